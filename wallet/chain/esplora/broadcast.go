package esplora

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Broadcast posts the transaction's hex to /tx. The server answers the txid, or HTTP 400 with
// the node's reject text, which becomes a *chain.BroadcastError. When the post had to be
// retried (after a 429 or 5xx) and the server then says it already has the transaction, the
// earlier attempt went through: that is a success.
func (b *Backend) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	hexTx, err := netutil.EncodeTx(tx)
	if err != nil {
		return chainhash.Hash{}, err
	}
	ctx, cancel, err := b.begin(ctx)
	if err != nil {
		return chainhash.Hash{}, err
	}
	defer cancel()
	const op = "POST /tx"
	want := tx.TxHash()
	a, err := b.do(ctx, http.MethodPost, "/tx", []byte(hexTx))
	if err != nil {
		return chainhash.Hash{}, err
	}
	switch a.status {
	case http.StatusOK:
		got, err := parseHashText(a.body)
		if err != nil {
			return chainhash.Hash{}, b.errs.Bad(op, "%v", err)
		}
		if got != want {
			return chainhash.Hash{}, b.errs.Bad(op, "sent %s, the server answered id %s", want, got)
		}
		return want, nil
	case http.StatusBadRequest:
		refusal := chain.Refusal(rejectText(a.body))
		if a.tries > 1 && refusal.Cause == chain.CauseAlreadyInChain {
			return want, nil
		}
		return chainhash.Hash{}, refusal
	}
	return chainhash.Hash{}, b.errs.Refused(op, statusText(a.status, a.body))
}

// rejectText is the node's reject message out of an Esplora 400 body: electrs relays
// bitcoind's error as `sendrawtransaction RPC error: {"code":-26,"message":"..."}`. Any other
// body is kept whole.
func rejectText(body []byte) string {
	s := strings.TrimSpace(string(body))
	i := strings.Index(s, "RPC error: {")
	if i < 0 {
		return s
	}
	var e struct {
		Message *string `json:"message"`
	}
	if err := json.Unmarshal([]byte(s[i+len("RPC error: "):]), &e); err != nil || e.Message == nil || *e.Message == "" {
		return s
	}
	return *e.Message
}
