// Package electrumtest is an Electrum server for tests that answers from any chain.Backend,
// speaking newline-delimited JSON-RPC 2.0 over TCP (or TLS) on loopback. Each request becomes
// Backend calls; a batch's requests of one method become one Backend call, so a batch of
// histories costs the backend one ScriptHistories.
//
// A real Electrum server indexes every script; this one can only answer for scripts it knows,
// because a script hash cannot be turned back into the script. Register the scripts a test asks
// about with Watch; any other script hash gets the empty history of an unused script.
//
// blockchain.transaction.get_merkle needs a block's whole list of transactions, which only a
// backend implementing chain.BlockTxLister gives (chaintest.Chain and the btcd backend do);
// over any other, it answers an error. blockchain.block.headers serves up to 2016 headers per
// request, without checkpoint proofs.
//
// blockchain.scripthash.subscribe answers the protocol's status (the hex sha256 of the
// history written as "txid:height:" entries, or null) and, like blockchain.headers.subscribe,
// subscribes the connection. A Backend cannot push, so while any connection has a script
// subscription the server asks its backend every PollInterval what changed and sends the
// notifications; Server.Notify does it at once.
//
// WithLie and Server.Lie make the server deceive its clients in the ways a light client must
// notice (forged headers, proofs that do not lead to the block) or cannot (hidden
// transactions), so tests can check both.
package electrumtest
