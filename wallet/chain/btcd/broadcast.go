package btcd

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"

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
		cmd: cmd("sendrawtransaction", hex.EncodeToString(buf.Bytes()), false),
		out: &got,
	}
	if err := b.exchange(ctx, "sendrawtransaction", []*call{c}); err != nil {
		return chainhash.Hash{}, err
	}
	if c.err != nil {
		var rerr *RPCError
		if errors.As(c.err, &rerr) {
			return chainhash.Hash{}, chain.Refusal(rerr.Message)
		}
		return chainhash.Hash{}, fmt.Errorf("%s: sendrawtransaction: %w", b.name, c.err)
	}
	if got != want.String() {
		return chainhash.Hash{}, b.inconsistent("sendrawtransaction",
			"sent %s, the node answered id %s", want, got)
	}
	return want, nil
}
