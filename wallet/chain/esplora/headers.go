package esplora

import (
	"bytes"
	"context"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"golang.org/x/sync/errgroup"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// BlockHeaders reads, for each height, the block hash (/block-height/:height) and then its
// header (/block/:hash/header), and checks the header hashes to that hash.
func (b *Backend) BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	for _, h := range heights {
		if h < 0 {
			return nil, fmt.Errorf("%s: block height %d is negative", b.name, h)
		}
	}
	ctx, cancel, err := b.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	// Ask once per distinct height.
	index := map[int32]int{}
	var distinct []int32
	for _, h := range heights {
		if _, ok := index[h]; !ok {
			index[h] = len(distinct)
			distinct = append(distinct, h)
		}
	}
	got := make([]*wire.BlockHeader, len(distinct))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.concurrency)
	for i := range distinct {
		g.Go(func() error {
			hash, err := b.blockHash(gctx, distinct[i])
			if err != nil {
				return err
			}
			hdr, err := b.header(gctx, hash)
			got[i] = hdr
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]*wire.BlockHeader, len(heights))
	for i, h := range heights {
		hd := *got[index[h]]
		out[i] = &hd
	}
	return out, nil
}

// header fetches the header of block hash and checks it is that block's.
func (b *Backend) header(ctx context.Context, hash chainhash.Hash) (*wire.BlockHeader, error) {
	path := "/block/" + hash.String() + "/header"
	body, err := b.get(ctx, path)
	if err != nil {
		return nil, err
	}
	hdr, err := netutil.DecodeHeader(string(bytes.TrimSpace(body)))
	if err != nil {
		return nil, b.errs.Bad("GET "+path, "%v", err)
	}
	if got := hdr.BlockHash(); got != hash {
		return nil, b.errs.Bad("GET "+path, "the header hashes to %s", got)
	}
	return hdr, nil
}
