package p2p

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// matchPrefetch is how many filters MatchBlock fetches at once, from the block asked about
// up: a few MB on mainnet at most, and within the filter cache's bound.
const matchPrefetch = 100

// MatchBlock matches scripts against the verified filter of the block at height alone, and
// downloads that block (checked against its header and its filter, as every block is) only
// when the filter may hold one of them. Unlike ScriptHistories it neither watches the scripts
// nor writes the scan file: silent-payment candidates are worth a look in one block, and a
// found output's script joins the watched set when the wallet follows it as an address.
func (b *Backend) MatchBlock(ctx context.Context, height int32, hash chainhash.Hash, scripts [][]byte) ([]*wire.MsgTx, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.begin(ctx); err != nil {
		return nil, err
	}
	// A height above what is verified (the chain grew since the caller's headers) catches up.
	if height > int32(len(b.fh))-1 {
		if err := b.sync(ctx); err != nil {
			return nil, err
		}
	}
	tip := int32(len(b.fh)) - 1
	if height < 0 || height > tip {
		return nil, fmt.Errorf("%s: no block at height %d (tip %d)", b.name, height, tip)
	}
	if got := b.chain.hashes[height]; got != hash {
		return nil, fmt.Errorf("%s: block %d is %s, not %s: the chain changed; sync again: %w", b.name, height, got, hash, chain.ErrUnreachable)
	}
	if len(scripts) == 0 {
		return nil, nil
	}
	// The next filters come in the same request: a scan asks about the blocks in order, and one
	// round trip per block would be most of a long scan's time.
	hi := height
	for hi < min(height+matchPrefetch-1, tip) {
		if _, ok := b.filters[hi+1]; ok {
			break
		}
		hi++
	}
	if err := b.loadFilters(ctx, height, hi); err != nil {
		return nil, err
	}
	f, err := parseFilter(b.filters[height])
	if err != nil {
		return nil, b.unreachable("filter of block %d: %v", height, err)
	}
	hits, err := matchScripts(f, hash, scripts)
	if err != nil {
		return nil, b.unreachable("filter of block %d: %v", height, err)
	}
	want := map[scriptKey]bool{}
	for i, hit := range hits {
		if hit {
			want[keyOf(scripts[i])] = true
		}
	}
	if len(want) == 0 {
		b.forgetFilter(height)
		return nil, nil
	}
	blocks, err := b.loadBlocks(ctx, []int32{height})
	if err != nil {
		return nil, err
	}
	var out []*wire.MsgTx
	for _, tx := range blocks[0].Transactions {
		for _, o := range tx.TxOut {
			if want[keyOf(o.PkScript)] {
				// A copy: the block stays in the cache and the caller may change what it gets.
				out = append(out, tx.Copy())
				break
			}
		}
	}
	return out, nil
}

// forgetFilter drops a filter that matched nothing once the cache is over its bound, as the
// filter scan does: a silent-payment scan of a long range reads every filter once.
func (b *Backend) forgetFilter(height int32) {
	if b.filterBytes > maxFilterCache {
		b.filterBytes -= len(b.filters[height])
		delete(b.filters, height)
	}
}

// The backend matches one block's filter for silent-payment candidates.
var _ chain.BlockMatcher = (*Backend)(nil)
