package regtest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/chainhash/v2"
)

// Height is the node's best block height.
func (n *Node) Height(t testing.TB) int32 {
	t.Helper()
	_, h, err := n.RPC().GetBestBlock()
	if err != nil {
		t.Fatalf("getbestblock: %v", err)
	}
	return h
}

// InvalidateBlock marks a block invalid, so the node reorganises to the best chain without
// it; mining then builds a competing branch. Its transactions return to the mempool.
func (n *Node) InvalidateBlock(t testing.TB, hash chainhash.Hash) {
	t.Helper()
	if err := n.RPC().InvalidateBlock(&hash); err != nil {
		t.Fatalf("invalidateblock %s: %v", hash, err)
	}
}

// ReconsiderBlock undoes InvalidateBlock; the node switches back if that branch is longer.
func (n *Node) ReconsiderBlock(t testing.TB, hash chainhash.Hash) {
	t.Helper()
	if err := n.RPC().ReconsiderBlock(&hash); err != nil {
		t.Fatalf("reconsiderblock %s: %v", hash, err)
	}
}

// MempoolTxIDs lists the transactions waiting in the node's mempool.
func (n *Node) MempoolTxIDs(t testing.TB) []chainhash.Hash {
	t.Helper()
	ids, err := n.RPC().GetRawMempool()
	if err != nil {
		t.Fatalf("getrawmempool: %v", err)
	}
	out := make([]chainhash.Hash, len(ids))
	for i, id := range ids {
		out[i] = *id
	}
	return out
}

// TxConfirmations is how deep txid is buried: 0 in the mempool, -1 when the node does not
// know it (never seen, evicted, or dropped by a reorg without returning to the mempool).
func (n *Node) TxConfirmations(t testing.TB, txid chainhash.Hash) int64 {
	t.Helper()
	res, err := n.RPC().GetRawTransactionVerbose(&txid)
	var rerr *btcjson.RPCError
	if errors.As(err, &rerr) && rerr.Code == btcjson.ErrRPCNoTxInfo {
		return -1
	}
	if err != nil {
		t.Fatalf("getrawtransaction %s: %v", txid, err)
	}
	return int64(res.Confirmations)
}

// TestMempoolAccept asks whether the node would take a raw transaction (hex), without
// broadcasting it. reason is the node's reject text when it would not.
func (n *Node) TestMempoolAccept(t testing.TB, rawHex string) (ok bool, reason string) {
	t.Helper()
	txs, _ := json.Marshal([]string{rawHex})
	res, err := n.RPC().RawRequest("testmempoolaccept", []json.RawMessage{txs, json.RawMessage("0")})
	if err != nil {
		t.Fatalf("testmempoolaccept: %v", err)
	}
	var out []btcjson.TestMempoolAcceptResult
	if err := json.Unmarshal(res, &out); err != nil || len(out) != 1 {
		t.Fatalf("testmempoolaccept: unreadable answer %s", res)
	}
	return out[0].Allowed, out[0].RejectReason
}
