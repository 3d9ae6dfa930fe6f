// Package electrum is a chain.Backend for an Electrum server (ElectrumX, Fulcrum, electrs),
// spoken to over one TCP or TLS connection with newline-delimited JSON-RPC 2.0.
//
// The client negotiates protocol 1.4 to 1.4.2 (server.version) and checks the server's block 0
// is the wallet network's genesis block. Questions about many items go as JSON-RPC batches:
// one message per call for up to a few hundred items (histories 250, headers 250,
// transactions 50 per message, so an answer stays well under servers' size limits), answers
// matched by id in whatever order they come. Script hashes are sha256(scriptPubKey) with the
// bytes reversed, in hex. Every answer is checked: transactions must hash to the id asked,
// headers must be 80 bytes and link to each other, heights must not pass the tip, and the tip
// must not go backwards; a failed check is an error wrapping chain.ErrUnreachable, never
// wrong data.
//
// A connection that breaks is dropped; the call fails and the next call dials again.
package electrum
