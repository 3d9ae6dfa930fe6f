package btcd

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// maxHeightCache bounds the block-hash-to-height cache; past it the cache starts over.
const maxHeightCache = 100_000

// Tip returns the best block: getbestblock, one round trip.
func (b *Backend) Tip(ctx context.Context) (chain.Tip, error) {
	var res bestBlock
	c := &call{cmd: cmd("getbestblock"), out: &res}
	if err := b.exchange(ctx, "getbestblock", []*call{c}); err != nil {
		return chain.Tip{}, err
	}
	if c.err != nil {
		return chain.Tip{}, fmt.Errorf("%s: getbestblock: %w", b.name, c.err)
	}
	h, err := chainhash.NewHashFromStr(res.Hash)
	if err != nil {
		return chain.Tip{}, b.inconsistent("getbestblock", "bad block hash %q", res.Hash)
	}
	return chain.Tip{Height: res.Height, Hash: *h}, nil
}

// BlockHeaders returns the best chain's headers at heights: one batch of getblockhash, one of
// getblockheader. A height above the tip is an error naming it.
func (b *Backend) BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	if len(heights) == 0 {
		return nil, nil
	}
	hashes, err := b.blockHashes(ctx, heights)
	if err != nil {
		return nil, err
	}
	calls := make([]*call, len(heights))
	raws := make([]string, len(heights))
	for i := range heights {
		calls[i] = &call{cmd: cmd("getblockheader", hashes[i], false),
			out: &raws[i]}
	}
	if err := b.exchange(ctx, "getblockheader", calls); err != nil {
		return nil, err
	}
	headers := make([]*wire.BlockHeader, len(heights))
	for i, c := range calls {
		if c.err != nil {
			// The chain moved between the two requests (a reorg dropped the block).
			return nil, fmt.Errorf("%s: header of block %s (height %d): %w", b.name,
				hashes[i], heights[i], c.err)
		}
		raw, err := hex.DecodeString(raws[i])
		if err != nil {
			return nil, b.inconsistent("getblockheader", "header %s is not hex", hashes[i])
		}
		var hdr wire.BlockHeader
		if err := hdr.Deserialize(bytes.NewReader(raw)); err != nil {
			return nil, b.inconsistent("getblockheader", "header %s: %v", hashes[i], err)
		}
		if got := hdr.BlockHash().String(); got != hashes[i] {
			return nil, b.inconsistent("getblockheader",
				"asked for block %s, got a header hashing to %s", hashes[i], got)
		}
		headers[i] = &hdr
	}
	return headers, nil
}

// blockHeights maps block hashes to heights, asking the node (one batch of verbose
// getblockheader) only for hashes it has not answered before.
func (b *Backend) blockHeights(ctx context.Context, hashes []chainhash.Hash) (map[chainhash.Hash]int32, error) {
	out := make(map[chainhash.Hash]int32, len(hashes))
	var missing []chainhash.Hash
	b.heightsMu.Lock()
	for _, h := range hashes {
		if ht, ok := b.heights[h]; ok {
			out[h] = ht
		} else if _, dup := out[h]; !dup {
			out[h] = -1
			missing = append(missing, h)
		}
	}
	b.heightsMu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}

	res := make([]blockHeaderVerbose, len(missing))
	calls := make([]*call, len(missing))
	for i, h := range missing {
		calls[i] = &call{cmd: cmd("getblockheader", h.String(), true),
			out: &res[i]}
	}
	if err := b.exchange(ctx, "getblockheader", calls); err != nil {
		return nil, err
	}
	b.heightsMu.Lock()
	defer b.heightsMu.Unlock()
	if len(b.heights)+len(missing) > maxHeightCache {
		clear(b.heights)
	}
	for i, c := range calls {
		if c.err != nil {
			return nil, fmt.Errorf("%s: header of block %s: %w", b.name, missing[i], c.err)
		}
		if res[i].Hash != missing[i].String() || res[i].Height < 0 {
			return nil, b.inconsistent("getblockheader", "asked for block %s, got %s at height %d",
				missing[i], res[i].Hash, res[i].Height)
		}
		out[missing[i]] = res[i].Height
		b.heights[missing[i]] = res[i].Height
	}
	return out, nil
}

// BlockTxIDs lists the transactions of the best chain's block at height, coinbase first:
// getblockhash, then getblock with verbosity 1 (ids only). A server in front of the node needs
// it to answer merkle proofs (chain.BlockTxLister); the wallet does not.
func (b *Backend) BlockTxIDs(ctx context.Context, height int32) ([]chainhash.Hash, error) {
	if height < 0 {
		return nil, fmt.Errorf("%s: block height %d is negative", b.name, height)
	}
	var hash string
	c := &call{cmd: cmd("getblockhash", height), out: &hash}
	if err := b.exchange(ctx, "getblockhash", []*call{c}); err != nil {
		return nil, err
	}
	if c.err != nil {
		return nil, fmt.Errorf("%s: block at height %d: %w", b.name, height, c.err)
	}
	var res blockVerbose
	c = &call{cmd: cmd("getblock", hash, 1), out: &res}
	if err := b.exchange(ctx, "getblock", []*call{c}); err != nil {
		return nil, err
	}
	if c.err != nil {
		// The chain moved between the two requests (a reorg dropped the block).
		return nil, fmt.Errorf("%s: block %s (height %d): %w", b.name, hash, height, c.err)
	}
	if res.Hash != hash || len(res.Tx) == 0 {
		return nil, b.inconsistent("getblock", "asked for block %s, got %s with %d transactions",
			hash, res.Hash, len(res.Tx))
	}
	ids := make([]chainhash.Hash, len(res.Tx))
	for i, s := range res.Tx {
		id, err := chainhash.NewHashFromStr(s)
		if err != nil {
			return nil, b.inconsistent("getblock", "block %s lists transaction %q", hash, s)
		}
		ids[i] = *id
	}
	return ids, nil
}

var _ chain.BlockTxLister = (*Backend)(nil)

// blockHashes is the best chain's block hash at each height: one batch of getblockhash. A
// height above the tip is an error naming it.
func (b *Backend) blockHashes(ctx context.Context, heights []int32) ([]string, error) {
	hashes := make([]string, len(heights))
	calls := make([]*call, len(heights))
	for i, h := range heights {
		calls[i] = &call{cmd: cmd("getblockhash", h), out: &hashes[i]}
	}
	if err := b.exchange(ctx, "getblockhash", calls); err != nil {
		return nil, err
	}
	for i, c := range calls {
		if c.err != nil {
			return nil, fmt.Errorf("%s: block at height %d: %w", b.name, heights[i], c.err)
		}
	}
	return hashes, nil
}
