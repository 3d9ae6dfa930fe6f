// Package store keeps a wallet's state in one bbolt file, wallet.db: the accounts and their
// public keys, the addresses handed out and seen used, the wallet's transactions, the coins and
// history derived from them, labels and frozen coins.
//
// # Layout
//
// Integer keys are big-endian so cursor scans come out in numeric order. Buckets:
//
//	meta      string key -> value. "schema" (uint32, see migrations.go), "wallet" (JSON Meta),
//	          "sync" (JSON SyncState), "set:"+name (a per-wallet setting), "seq:"+name (a
//	          counter), "schedule:"+id (JSON Schedule: a recurring tip; its occurrences become
//	          tips "<id>@YYYY-MM-DD" in the tips bucket), "price:"+txid hex (JSON PriceRecord: the
//	          price of bitcoin a payment satchel made was converted or shown at). No migration:
//	          an older satchel ignores these keys.
//	accounts  purpose (uint32) -> JSON Account: the account xpub, whether it is in use, the
//	          next receive index not yet handed out.
//	addrs     pkScript -> Addr (binary, see records.go): purpose, chain, index, used, and the
//	          hash of the script's last seen history, so an unchanged script costs nothing.
//	addridx   purpose|chain|index (3 x uint32) -> pkScript, the same addresses in derivation order.
//	txs       txid (32 bytes, internal byte order) -> Tx (binary): raw transaction, height, block
//	          hash and time, first seen, status, fee and net effect on the wallet.
//	hist      ^order (uint32)|^time (uint64)|txid -> HistRow (binary): the history, newest first in
//	          a forward scan; order is the block height, or 0xffffffff for pending transactions.
//	coins     txid|vout (uint32) -> Coin (binary): unspent outputs of the wallet.
//	frozen    txid|vout -> empty value: coins never spent automatically.
//	labels    "tx:"+txid hex | "addr:"+address | "out:"+txid:vout -> label text.
//	tips      tip id -> JSON Tip: the queue of tips waiting to be paid together (schema 2).
//	silent    BIP352 scanning state, made on first use (no schema change): "scan" (32-byte scan private key: it sees
//	          silent payments, it cannot spend them), "spend" (33-byte spend public key),
//	          "birthday" (uint32, first block to scan), "birthday-time" (uint64 unix seconds, a
//	          birthday date the next sync turns into a height), "scanned" (uint32, height scanned
//	          through), "blk:"+height (uint32) -> 32-byte hash of each scanned block (recent
//	          ones; a stored hash the node no longer has at that height is a reorg),
//	          "out:"+pkScript -> JSON SilentOut (txid, vout, height, tweak, label, seq) for
//	          each found output, whose script is also in addrs with purpose 352, and
//	          "label:"+m (uint32) -> label text of each labelled address handed out (m >= 1).
//
// The derived buckets (coins, hist) are rebuilt from txs inside the same write transaction that
// changes txs, so a crash at any moment leaves either the old or the new state, never a mix.
//
// # Locking
//
// bbolt takes a shared file lock for read-only opens and an exclusive one for writers. Readers
// (balance --offline, history --offline, ...) therefore run side by side; a writer waits up to a
// short timeout and then fails with ErrBusy.
package store
