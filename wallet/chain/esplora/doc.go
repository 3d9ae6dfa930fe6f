// Package esplora is a chain.Backend for an Esplora REST server (Blockstream's electrs
// "new-index" HTTP API, as served by blockstream.info, mempool.space and self-hosted
// instances).
//
// Each script's history is read from /scripthash/:hash/txs and paged through
// /scripthash/:hash/txs/chain/:last_seen_txid; the hash is sha256(scriptPubKey) in natural
// byte order (Electrum reverses it; Esplora does not). Esplora answers one question per
// request, so calls about many items run a few requests at once (options.Concurrency).
// Every answer is checked before use: a transaction must hash to the id asked for, a header to
// the block hash it was fetched by, heights must not pass the tip, and the tip must not go
// backwards; a failed check is an error wrapping chain.ErrUnreachable, never wrong data.
//
// Esplora has no relay-fee endpoint: RelayFee answers 1 sat/vB, or less when the server's own
// fee estimates go lower (a node that estimates 0.5 sat/vB relays it).
package esplora
