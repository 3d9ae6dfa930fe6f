// Package regtest runs a real btcd node for integration tests, so that every test of syncing,
// sending and broadcasting in satchel talks to the same software a user's node runs rather
// than to a mock.
//
// BuildBtcd compiles the btcd version pinned in go.mod (a `tool` there) once per test binary
// and caches the binary across runs. Start launches a throwaway regtest node on loopback
// ports, with mainnet-like relay policy (--rejectnonstd --norelaypriority --limitfreerelay=0),
// --txindex --addrindex, and the harness faucet as mining address; it mines past coinbase
// maturity and registers a cleanup that stops the node even when the test fails. Pdeathsig
// (Linux) also stops it when the test binary dies without running cleanups (a -timeout panic).
//
// The faucet is a fixed P2WPKH key. Send, SendMany and SendFrom build, sign and broadcast
// transactions from it (or from any Key): the spendable coins are found through the node's
// address index, so several sends in a row, without mining, chain on each other's change.
//
//	node := regtest.Start(t)
//	txid := node.Send(t, addr, 50_000)
//	node.Mine(t, 1)
//
// Note: btcd deletes its regtest database on every start, so Restart gives a new chain.
package regtest
