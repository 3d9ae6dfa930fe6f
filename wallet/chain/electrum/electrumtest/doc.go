// Package electrumtest is an Electrum server for tests that answers from any chain.Backend,
// speaking newline-delimited JSON-RPC 2.0 over TCP (or TLS) on loopback. Each request becomes
// Backend calls; a batch's requests of one method become one Backend call, so a batch of
// histories costs the backend one ScriptHistories.
//
// A real Electrum server indexes every script; this one can only answer for scripts it knows,
// because a script hash cannot be turned back into the script. Register the scripts a test asks
// about with Watch; any other script hash gets the empty history of an unused script.
package electrumtest
