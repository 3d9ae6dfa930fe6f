package esplora

import (
	"context"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"golang.org/x/sync/errgroup"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Transactions fetches each transaction's hex (/tx/:txid/hex) and checks it hashes to the id
// asked for.
func (b *Backend) Transactions(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error) {
	ctx, cancel, err := b.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	out := make([]*wire.MsgTx, len(txids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.concurrency)
	for i := range txids {
		g.Go(func() error {
			path := "/tx/" + txids[i].String() + "/hex"
			body, err := b.get(gctx, path)
			if err != nil {
				return err
			}
			tx, err := netutil.DecodeTx(strings.TrimSpace(string(body)), txids[i])
			if err != nil {
				return b.errs.Bad("GET "+path, "%v", err)
			}
			out[i] = tx
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
