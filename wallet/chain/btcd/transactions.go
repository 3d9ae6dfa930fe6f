package btcd

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Transactions fetches raw transactions (getrawtransaction, one batch) and checks that each
// hashes to the id asked for, so a confused or hostile node cannot slip in another one, and
// drops its witness, which that id does not vouch for. An id
// the node does not know is an error naming it.
func (b *Backend) Transactions(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error) {
	return b.transactions(ctx, txids, false)
}

// transactionsWithWitness is Transactions keeping the witnesses, for the one use that needs
// them: a mempool transaction's input keys for a BIP352 scan. A witness the txid does not
// commit to can hide a silent payment there, but never invent one: the output key it would
// have to match is committed, and deriving it from a made-up key needs the scan key's secret.
func (b *Backend) transactionsWithWitness(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error) {
	return b.transactions(ctx, txids, true)
}

func (b *Backend) transactions(ctx context.Context, txids []chainhash.Hash, keepWitness bool) ([]*wire.MsgTx, error) {
	if len(txids) == 0 {
		return nil, nil
	}
	raws := make([]string, len(txids))
	calls := make([]*call, len(txids))
	for i, id := range txids {
		calls[i] = &call{cmd: cmd("getrawtransaction", id.String(), 0),
			out: &raws[i]}
	}
	if err := b.exchange(ctx, "getrawtransaction", calls); err != nil {
		return nil, err
	}
	txs := make([]*wire.MsgTx, len(txids))
	for i, c := range calls {
		if c.err != nil {
			if isNoIndex(c.err) {
				return nil, fmt.Errorf("%s: %w", b.name, ErrNoIndex)
			}
			return nil, fmt.Errorf("%s: transaction %s: %w", b.name, txids[i], c.err)
		}
		raw, err := hex.DecodeString(raws[i])
		if err != nil {
			return nil, b.inconsistent("getrawtransaction", "transaction %s is not hex", txids[i])
		}
		tx := new(wire.MsgTx)
		if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
			return nil, b.inconsistent("getrawtransaction", "transaction %s: %v", txids[i], err)
		}
		if got := tx.TxHash(); got != txids[i] {
			return nil, b.inconsistent("getrawtransaction",
				"server sent a transaction whose id does not match: asked %s, got %s",
				txids[i], got)
		}
		if !keepWitness {
			netutil.StripWitness(tx) // not committed by the txid: never trusted (see netutil.DecodeTx)
		}
		txs[i] = tx
	}
	return txs, nil
}
