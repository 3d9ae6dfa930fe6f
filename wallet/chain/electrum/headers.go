package electrum

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// BlockHeaders returns the best chain's headers at heights. With the light-client checks on,
// they come from the verified header chain, extended to cover them up to the tip. Otherwise it
// asks blockchain.block.header for each height, in batches of 250, and headers of consecutive
// heights must link.
func (b *Backend) BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	for _, h := range heights {
		if h < 0 {
			return nil, fmt.Errorf("%s: block height %d is negative", b.name, h)
		}
	}
	if b.spv != nil {
		return b.verifiedHeaders(ctx, heights)
	}
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.block.header"
	index := map[int32]int{}
	var calls []*call
	var distinct []int32
	for _, h := range heights {
		if _, ok := index[h]; !ok {
			index[h] = len(calls)
			calls = append(calls, &call{method: op, params: []any{h}})
			distinct = append(distinct, h)
		}
	}
	if err := b.exchange(ctx, op, calls, headerBatch); err != nil {
		return nil, err
	}
	got, err := b.headersFrom(calls, distinct)
	if err != nil {
		return nil, err
	}
	out := make([]*wire.BlockHeader, len(heights))
	for i, h := range heights {
		hd := *got[index[h]]
		out[i] = &hd
	}
	return out, nil
}

// headersFrom reads the answers of block.header calls for heights, and checks that headers of
// consecutive heights link.
func (b *Backend) headersFrom(calls []*call, heights []int32) ([]*wire.BlockHeader, error) {
	const op = "blockchain.block.header"
	out := make([]*wire.BlockHeader, len(calls))
	byHeight := map[int32]*wire.BlockHeader{}
	for i, c := range calls {
		if c.err != nil {
			return nil, b.errs.Refused(op, fmt.Sprintf("height %d: %v", heights[i], c.err))
		}
		var s string
		if err := json.Unmarshal(c.result, &s); err != nil {
			return nil, b.errs.Bad(op, "height %d: the answer is not a hex string", heights[i])
		}
		h, err := netutil.DecodeHeader(s)
		if err != nil {
			return nil, b.errs.Bad(op, "height %d: %v", heights[i], err)
		}
		out[i] = h
		byHeight[heights[i]] = h
	}
	for height, h := range byHeight {
		if prev, ok := byHeight[height-1]; ok && h.PrevBlock != prev.BlockHash() {
			return nil, b.errs.Bad(op, "the header at height %d does not follow the one at %d", height, height-1)
		}
	}
	return out, nil
}
