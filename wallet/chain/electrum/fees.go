package electrum

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// EstimateFee asks blockchain.estimatefee, which answers BTC per 1,000 vbytes, or -1 without
// an estimate (chain.ErrNoEstimate). The number is read as an exact decimal.
func (b *Backend) EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.estimatefee"
	c := &call{method: op, params: []any{target}}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return 0, err
	}
	if c.err != nil {
		return 0, fmt.Errorf("%w: %s: estimatefee %d: %v", chain.ErrNoEstimate, b.name, target, c.err)
	}
	rate, err := parseRate(c.result)
	if err != nil {
		return 0, b.errs.Bad(op, "%v", err)
	}
	if rate <= 0 {
		return 0, fmt.Errorf("%w: %s: estimatefee %d answered %s", chain.ErrNoEstimate, b.name, target, clip.Text(string(c.result), 80))
	}
	return rate, nil
}

// RelayFee asks blockchain.relayfee (BTC per 1,000 vbytes).
func (b *Backend) RelayFee(ctx context.Context) (txbuilder.FeeRate, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	const op = "blockchain.relayfee"
	c := &call{method: op}
	if err := b.exchange(ctx, op, []*call{c}, 1); err != nil {
		return 0, err
	}
	if c.err != nil {
		return 0, b.errs.Refused(op, c.err.Error())
	}
	rate, err := parseRate(c.result)
	if err != nil {
		return 0, b.errs.Bad(op, "%v", err)
	}
	if rate < 0 {
		return 0, b.errs.Bad(op, "negative relay fee %s", clip.Text(string(c.result), 80))
	}
	return rate, nil
}

// parseRate reads a JSON number in BTC/kvB as sat/kvB, exactly.
func parseRate(raw json.RawMessage) (txbuilder.FeeRate, error) {
	v, err := netutil.ParseDecimal(strings.TrimSpace(string(raw)), 8)
	if err != nil {
		return 0, err
	}
	if v > int64(txbuilder.MaxMoney) {
		return 0, fmt.Errorf("fee rate %s is out of range", clip.Text(string(raw), 80))
	}
	return txbuilder.FeeRate(v), nil
}
