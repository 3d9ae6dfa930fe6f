package p2p

// The fake peers of the tests live in this process.
func init() { allowSelfConns = true }
