package btcd

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// Broadcast hands tx to the node (sendrawtransaction). A refusal comes back as a
// *chain.BroadcastError with the node's own words; no answer wraps chain.ErrUnreachable.
func (b *Backend) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		return chainhash.Hash{}, fmt.Errorf("serialize transaction: %w", err)
	}
	want := tx.TxHash()
	var got string
	c := &call{
		cmd: btcjson.NewSendRawTransactionCmd(hex.EncodeToString(buf.Bytes()), btcjson.Bool(false)),
		out: &got,
	}
	if err := b.exchange(ctx, "sendrawtransaction", []*call{c}); err != nil {
		return chainhash.Hash{}, err
	}
	if c.err != nil {
		var rerr *btcjson.RPCError
		if errors.As(c.err, &rerr) {
			return chainhash.Hash{}, &chain.BroadcastError{
				Cause:   RejectCause(rerr.Message),
				Message: rerr.Message,
			}
		}
		return chainhash.Hash{}, fmt.Errorf("%s: sendrawtransaction: %w", b.name, c.err)
	}
	if got != want.String() {
		return chainhash.Hash{}, b.inconsistent("sendrawtransaction",
			"sent %s, the node answered id %s", want, got)
	}
	return want, nil
}

// rejectRules map btcd's mempool reject texts (mempool/mempool.go, policy.go) to causes. The
// first matching rule wins, so the order matters: "payment is dust" also says "not standard".
var rejectRules = []struct {
	cause   chain.BroadcastCause
	needles []string
}{
	{chain.CauseAlreadyInChain, []string{
		"already have transaction", "transaction already exists", "already in block chain",
		"txn-already-known", "txn-already-in-mempool",
	}},
	{chain.CauseDust, []string{"dust"}},
	{chain.CauseFeeTooLow, []string{
		"insufficient fee", "insufficient priority", "under the required amount",
		"min relay fee not met", "due to low fees", "insufficient absolute fee",
		"mempool min fee not met",
	}},
	{chain.CauseConflict, []string{
		"already spent", "double spend", "fully-spent", "missing-inputs", "missing inputs",
		"txn-mempool-conflict", "evicts more transactions",
	}},
	{chain.CauseNonStandard, []string{"not standard", "non-standard", "nonstandard"}},
}

// RejectCause classifies a node's reject message. btcd calls a transaction that spends an
// output already spent in the chain an orphan of "unknown or fully-spent" outputs; for a
// wallet whose inputs came from its own history that means a conflict.
func RejectCause(msg string) chain.BroadcastCause {
	m := strings.ToLower(msg)
	for _, r := range rejectRules {
		for _, n := range r.needles {
			if strings.Contains(m, n) {
				return r.cause
			}
		}
	}
	return chain.CauseOther
}
