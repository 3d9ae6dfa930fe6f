package electrum

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Transactions asks blockchain.transaction.get (raw hex) for each id, in batches of 50, and
// checks each transaction hashes to its id.
func (b *Backend) Transactions(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.transaction.get"
	index := map[chainhash.Hash]int{}
	var calls []*call
	var ids []chainhash.Hash
	for _, id := range txids {
		if _, ok := index[id]; !ok {
			index[id] = len(calls)
			calls = append(calls, &call{method: op, params: []any{id.String()}})
			ids = append(ids, id)
		}
	}
	if err := b.exchange(ctx, op, calls, txBatch); err != nil {
		return nil, err
	}
	got := make([]*wire.MsgTx, len(calls))
	for i, c := range calls {
		if c.err != nil {
			return nil, b.errs.Refused(op, fmt.Sprintf("%s: %v", ids[i], c.err))
		}
		var s string
		if err := json.Unmarshal(c.result, &s); err != nil {
			return nil, b.errs.Bad(op, "transaction %s: the answer is not a hex string", ids[i])
		}
		tx, err := netutil.DecodeTx(s, ids[i])
		if err != nil {
			return nil, b.errs.Bad(op, "%v", err)
		}
		if err := b.tooShortToTell(tx); err != nil {
			return nil, err
		}
		got[i] = tx
	}
	out := make([]*wire.MsgTx, len(txids))
	given := map[chainhash.Hash]bool{}
	for i, id := range txids {
		out[i] = got[index[id]]
		if given[id] {
			out[i] = out[i].Copy() // an id asked twice gets two transactions, not one shared
		}
		given[id] = true
	}
	return out, nil
}
