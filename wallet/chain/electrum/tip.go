package electrum

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Tip asks blockchain.headers.subscribe for the tip's height and header; the hash is the
// header's. A tip lower than one reported before is refused (see netutil.TipGuard).
func (b *Backend) Tip(ctx context.Context) (chain.Tip, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	return b.tip(ctx)
}

func (b *Backend) tip(ctx context.Context) (chain.Tip, error) {
	const op = "blockchain.headers.subscribe"
	c := &call{method: op}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return chain.Tip{}, err
	}
	if c.err != nil {
		return chain.Tip{}, b.errs.Refused(op, c.err.Error())
	}
	t, hdr, err := parseTip(c.result)
	if err != nil {
		return chain.Tip{}, b.errs.Bad(op, "%v", err)
	}
	if b.spv != nil {
		if err := b.spv.rules.checkTipAlone(t.Height, hdr, t.Hash); err != nil {
			return chain.Tip{}, b.spvErr(op, err)
		}
	}
	if prev, ok := b.tips.Observe(t); !ok {
		return chain.Tip{}, b.errs.Bad(op, "the tip went back from height %d to %d", prev.Height, t.Height)
	}
	if b.spv != nil {
		b.spv.noteTip(t)
	}
	return t, nil
}

// parseTip reads headers.subscribe's {"height": N, "hex": "<80-byte header>"}.
func parseTip(raw json.RawMessage) (chain.Tip, *wire.BlockHeader, error) {
	var r struct {
		Height *int64  `json:"height"`
		Hex    *string `json:"hex"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Height == nil || r.Hex == nil {
		return chain.Tip{}, nil, fmt.Errorf("the answer is not {height, hex}: %s", clip.Text(string(raw), 80))
	}
	if *r.Height < 0 || *r.Height > math.MaxInt32 {
		return chain.Tip{}, nil, fmt.Errorf("height %d is out of range", *r.Height)
	}
	h, err := netutil.DecodeHeader(*r.Hex)
	if err != nil {
		return chain.Tip{}, nil, err
	}
	return chain.Tip{Height: int32(*r.Height), Hash: h.BlockHash()}, h, nil
}
