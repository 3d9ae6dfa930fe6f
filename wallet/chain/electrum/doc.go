// Package electrum is a chain.Backend for an Electrum server (ElectrumX, Fulcrum, electrs),
// spoken to over one TCP or TLS connection with newline-delimited JSON-RPC 2.0.
//
// The client negotiates protocol 1.4 to 1.4.2 (server.version) and checks the server's block 0
// is the wallet network's genesis block. Questions about many items go as JSON-RPC batches:
// one message per call for up to a few hundred items (histories 250, headers 250,
// transactions 50, merkle proofs 250 per message, header chunks of 2016 two per message, so
// an answer stays well under servers' size limits), answers matched by id in whatever order
// they come. Script hashes are sha256(scriptPubKey) with the bytes reversed, in hex. Every
// answer is checked: transactions must hash to the id asked, headers must be 80 bytes and
// link to each other, heights must not pass the tip, and the tip must not go backwards; a
// failed check is an error wrapping chain.ErrUnreachable, never wrong data.
//
// # Light-client checks
//
// Unless options.NoSPV is set (or dial has no network), the backend trusts the server with
// nothing it can check, as Electrum does: the server can hide transactions, but cannot make up
// a confirmation without mining a header for it.
//
//   - Every confirmed item ScriptHistories returns is proven first: its merkle branch
//     (blockchain.transaction.get_merkle) must hash from the txid to the merkle root of the
//     verified header at its height. A branch pairing two hashes that read as a 64-byte
//     transaction is refused, and so is a 64-byte transaction from Transactions (an inner node
//     of the tree could pass for one).
//   - Headers come from blockchain.block.headers into a verified chain kept per Backend, from
//     the lowest height needed (the wallet's first confirmed transaction, or a header asked
//     for) up to the tip. Each header's hash must meet the target of its own bits, those bits
//     must be within the network's proof-of-work limit, each header must name the one below
//     as its previous block, and the top must be the tip the server announced (whose header is
//     itself checked when announced). BlockHeaders answers from this chain.
//   - A header at the height of one of the network's checkpoints (the genesis block and
//     chaincfg's list: on mainnet up to height 810,000) must be that block.
//   - On networks without the minimum-difficulty exception (mainnet, signet): bits stay the
//     same within a 2016-block period; at a period's start they must be exactly what the
//     retarget gives when the previous period's first header is in the chain, else at most
//     four times easier; and no header may be more than four times easier than the last
//     checkpoint below it (a floor: the checkpoint header is fetched once and matched to its
//     hash). Regtest's bits must stay at its limit. Testnet3 and testnet4 allow minimum-
//     difficulty blocks at any time: there only proof of work against the limit is checked.
//
// Not checked: the chain below the lowest height needed is not downloaded, so outside a
// checkpoint the first header of the verified chain is taken as given (its proof of work and
// the difficulty floor are checked, its ancestry is not); the retarget of a period whose first
// header lies below that is only bounded; timestamps (median time past, future limit), version
// bits, signet's block signatures and testnet's minimum-difficulty rules are not checked; the
// server's chain is not compared with any other server's, so a server (or a miner) can show a
// valid but shorter branch, and a server willing to mine headers at the floor's difficulty
// from the lowest height needed up to its tip could still invent a confirmation; what is not
// confirmed (the mempool) cannot be proven at all; and a server can always leave transactions
// out of a history, which no client can detect.
//
// A failed check is an error wrapping both chain.ErrUnreachable and ErrBadProof that says
// what the server got wrong ("merkle proof for TXID at HEIGHT does not match the block
// header"). An answer that may only mean the server's chain moved between two requests (new
// headers that do not link, a proof that fails) is asked once more against a fresh tip first.
//
// The verified chain and the proven transactions are cached in memory for the Backend's life,
// so a sync with nothing new costs no more messages than without the checks (fewer: headers
// are then answered from the cache). A first sync costs the headers from the lowest height
// needed to the tip (160 hex digits each, 2016 per request: about 1 MB per 6,000 blocks, so
// some 85 MB for a mainnet wallet whose first payment is ten years old), one message of
// proofs per 250 confirmed transactions in each history batch and, on mainnet, one checkpoint
// header. When the header at a cached height changes (a reorganisation), the chain is
// refetched from the fork, found by looking 8, 64, 512... blocks back, and transactions are
// proven again in their new blocks.
//
// With options.CacheDir (satchel gives the wallet's folder) both are also kept on disk between
// processes, in spv-headers and spv-proofs (formats in cache.go), so a later process fetches
// only the headers and proofs that are new. Nothing read back is taken on trust from the
// file: every header passes the same checks as a server's (proof of work, checkpoints,
// difficulty, links; a torn or broken tail is cut off; a chain starting above the server's
// tip is dropped), and a proof is kept with its branch and hashed up it again to the merkle
// root of the verified header at its height, so an edited record proves nothing. Headers are appended while the chain
// only grows; anything else (a reorganisation, a lower start) replaces the file atomically.
// Reading 100,000 cached headers back takes about 0.1 s here (BenchmarkLoadCache100k).
//
// A connection that breaks is dropped; the call fails and the next call dials again.
//
// # Subscriptions
//
// Backend implements chain.Notifier: WatchScripts subscribes to script hashes
// (blockchain.scripthash.subscribe) and new tips (blockchain.headers.subscribe) on a second
// connection, read by a goroutine of its own, and turns the server's notifications into values
// on a channel, so that a caller waiting for a payment syncs when told rather than polling. A
// server.ping a minute keeps the session alive; the channel closes when the connection fails.
// Notifications on the Backend's own connection (its Tip uses headers.subscribe) are skipped.
package electrum
