package electrum

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Broadcast sends the transaction with blockchain.transaction.broadcast. The server answers
// the txid, or a JSON-RPC error with the node's reject text, which becomes a
// *chain.BroadcastError.
func (b *Backend) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	hexTx, err := netutil.EncodeTx(tx)
	if err != nil {
		return chainhash.Hash{}, err
	}
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.transaction.broadcast"
	c := &call{method: op, params: []any{hexTx}}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return chainhash.Hash{}, err
	}
	if c.err != nil {
		return chainhash.Hash{}, chain.Refusal(stripRawTx(c.err.Message))
	}
	want := tx.TxHash()
	var s string
	if err := json.Unmarshal(c.result, &s); err != nil {
		return chainhash.Hash{}, b.errs.Bad(op, "the answer is not a txid: %s", clip.Text(string(c.result), 80))
	}
	got, err := netutil.ParseHash(s)
	if err != nil {
		// Protocol 1.0 put refusals in the result; a server doing so still refused.
		return chainhash.Hash{}, chain.Refusal(s)
	}
	if got != want {
		return chainhash.Hash{}, b.errs.Bad(op, "sent %s, the server answered id %s", want, got)
	}
	return want, nil
}

// stripRawTx drops the "[<raw transaction hex>]" line ElectrumX appends to a refusal.
func stripRawTx(msg string) string {
	i := strings.LastIndex(msg, "\n[")
	if i < 0 || !strings.HasSuffix(msg, "]") {
		return msg
	}
	if _, err := hex.DecodeString(msg[i+2 : len(msg)-1]); err != nil {
		return msg
	}
	return strings.TrimSpace(msg[:i])
}
