package esplora

import (
	"context"
	"fmt"
	"net/http"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// Tip reads the best height (/blocks/tip/height) and the hash at that height
// (/block-height/:height), so the pair is consistent even if a block arrives in between. A tip
// lower than one this backend reported before is refused (see netutil.TipGuard).
func (b *Backend) Tip(ctx context.Context) (chain.Tip, error) {
	ctx, cancel, err := b.begin(ctx)
	if err != nil {
		return chain.Tip{}, err
	}
	defer cancel()
	return b.tip(ctx)
}

func (b *Backend) tip(ctx context.Context) (chain.Tip, error) {
	const path = "/blocks/tip/height"
	body, err := b.get(ctx, path)
	if err != nil {
		return chain.Tip{}, err
	}
	h, err := parseHeight(body)
	if err != nil {
		return chain.Tip{}, b.errs.Bad("GET "+path, "%v", err)
	}
	hash, err := b.blockHash(ctx, h)
	if err != nil {
		return chain.Tip{}, err
	}
	t := chain.Tip{Height: h, Hash: hash}
	if prev, ok := b.tips.Observe(t); !ok {
		return chain.Tip{}, b.errs.Bad("GET "+path, "the tip went back from height %d to %d "+
			"(a server behind a load balancer lagging?)", prev.Height, h)
	}
	return t, nil
}

// blockHash is the hash of the best chain's block at height h.
func (b *Backend) blockHash(ctx context.Context, h int32) (chainhash.Hash, error) {
	path := fmt.Sprintf("/block-height/%d", h)
	a, err := b.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return chainhash.Hash{}, err
	}
	if a.status != http.StatusOK {
		return chainhash.Hash{}, b.errs.Refused("GET "+path, statusText(a.status, a.body))
	}
	hash, err := parseHashText(a.body)
	if err != nil {
		return chainhash.Hash{}, b.errs.Bad("GET "+path, "%v", err)
	}
	return hash, nil
}
