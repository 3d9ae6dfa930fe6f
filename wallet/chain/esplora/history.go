package esplora

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/btcsuite/btcd/chainhash/v2"
	"golang.org/x/sync/errgroup"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Paging limits of the Esplora API (electrs: CHAIN_TXS_PER_PAGE, MAX_MEMPOOL_TXS).
const (
	chainPage   = 25
	mempoolMost = 50
)

// ScriptHash is what Esplora's /scripthash/:hash takes: sha256 of the output script, in
// natural byte order (Electrum's script hash is the same bytes reversed).
func ScriptHash(script []byte) string {
	h := sha256.Sum256(script)
	return hex.EncodeToString(h[:])
}

// ScriptHistories reads each script's history, paging until the server has no more, with up to
// options.Concurrency scripts in flight.
func (b *Backend) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	ctx, cancel, err := b.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	out := make([][]chain.HistoryItem, len(scripts))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.concurrency)
	for i := range scripts {
		g.Go(func() error {
			h, err := b.history(gctx, scripts[i])
			out[i] = h
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := b.checkHeights(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// history reads one script's history: the first page holds up to 50 mempool transactions and
// the newest 25 confirmed ones; further confirmed ones come 25 a page after the last seen.
func (b *Backend) history(ctx context.Context, script []byte) ([]chain.HistoryItem, error) {
	base := "/scripthash/" + ScriptHash(script) + "/txs"
	path := base
	var items []chain.HistoryItem
	at := map[chainhash.Hash]int{}
	for page := 0; ; page++ {
		body, err := b.get(ctx, path)
		if err != nil {
			return nil, err
		}
		list, err := parseHistoryPage(body)
		if err != nil {
			return nil, b.errs.Bad("GET "+path, "%v", err)
		}
		var mempool, confirmed, fresh int
		var last chainhash.Hash
		for _, it := range list {
			if it.confirmed {
				confirmed++
				last = it.txid
			} else {
				if page > 0 {
					return nil, b.errs.Bad("GET "+path, "unconfirmed transaction %s in a page of confirmed ones", it.txid)
				}
				mempool++
			}
			i, seen := at[it.txid]
			switch {
			case !seen:
				at[it.txid] = len(items)
				items = append(items, chain.HistoryItem{TxID: it.txid, Height: it.height})
				fresh++
			case items[i].Height == 0:
				// Confirmed while we read: the confirmed entry wins.
				items[i].Height = it.height
			case it.height != 0 && it.height != items[i].Height:
				return nil, b.errs.Bad("GET "+path, "transaction %s listed at heights %d and %d",
					it.txid, items[i].Height, it.height)
			}
		}
		if mempool >= mempoolMost {
			return nil, b.errs.Bad("GET "+path, "the server lists at most %d unconfirmed transactions "+
				"per script and this script has that many: the history may be cut short (wait for "+
				"confirmations or use another backend)", mempoolMost)
		}
		if confirmed < chainPage {
			return items, nil
		}
		if fresh == 0 {
			return nil, b.errs.Bad("GET "+path, "the server sent the same page again")
		}
		path = base + "/chain/" + last.String()
	}
}

// checkHeights refuses histories with a transaction confirmed above the tip this backend
// reported, after reading the tip once more (a block may have come meanwhile).
func (b *Backend) checkHeights(ctx context.Context, hists [][]chain.HistoryItem) error {
	tip, ok := b.tips.Height()
	if !ok {
		return nil
	}
	top, above := netutil.HighestAbove(hists, tip)
	if !above {
		return nil
	}
	t, err := b.tip(ctx)
	if err != nil {
		return err
	}
	if top.Height > t.Height {
		return b.errs.Bad("GET /scripthash", "transaction %s is at height %d, above the tip %d",
			top.TxID, top.Height, t.Height)
	}
	return nil
}
