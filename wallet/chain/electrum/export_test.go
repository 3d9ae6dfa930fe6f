package electrum

// The package's tests and benchmarks (some in package electrum_test) turn knobs Open does
// not offer: batching off, light-client checks off.
type Options = options

// Dial is dial, for tests.
var Dial = dial
