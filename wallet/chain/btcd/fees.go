package btcd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"sync"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// jsonNumber is JSON's number syntax; the group is the exponent. It is compiled on first use:
// its bounded repetitions make a large program (about 1,300 allocations), which every satchel
// start paid for when it was compiled at package initialisation.
var jsonNumber = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^-?(?:0|[1-9][0-9]{0,30})(?:\.[0-9]{1,40})?(?:[eE]([+-]?[0-9]{1,4}))?$`)
})

// ErrBadRate marks a fee rate the node wrote in a form that is not a number.
var ErrBadRate = errors.New("not a fee rate")

// EstimateFee asks btcd's estimatefee (BTC/kB) for confirmation within target blocks. btcd
// errors until it has seen a few blocks and answers 0 without data; both, and a target it
// cannot estimate for, are chain.ErrNoEstimate with the node's reason.
func (b *Backend) EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error) {
	var raw json.RawMessage
	c := &call{cmd: cmd("estimatefee", target), out: &raw}
	if err := b.exchange(ctx, "estimatefee", []*call{c}); err != nil {
		return 0, err
	}
	if c.err != nil {
		return 0, fmt.Errorf("%w: %s: estimatefee %d: %w", chain.ErrNoEstimate, b.name, target, c.err)
	}
	rate, err := ParseBTCPerKB(string(raw))
	if err != nil {
		return 0, b.inconsistent("estimatefee", "%v", err)
	}
	if rate <= 0 {
		return 0, fmt.Errorf("%w: %s: estimatefee %d answered %s", chain.ErrNoEstimate, b.name,
			target, raw)
	}
	return rate, nil
}

// RelayFee is the node's minimum relay fee (getinfo relayfee, BTC/kB).
func (b *Backend) RelayFee(ctx context.Context) (txbuilder.FeeRate, error) {
	var info struct {
		RelayFee json.RawMessage `json:"relayfee"`
	}
	c := &call{cmd: cmd("getinfo"), out: &info}
	if err := b.exchange(ctx, "getinfo", []*call{c}); err != nil {
		return 0, err
	}
	if c.err != nil {
		return 0, fmt.Errorf("%s: getinfo: %w", b.name, c.err)
	}
	rate, err := ParseBTCPerKB(string(info.RelayFee))
	if err != nil || rate < 0 {
		return 0, b.inconsistent("getinfo", "relayfee %q: %v", info.RelayFee, err)
	}
	return rate, nil
}

// ParseBTCPerKB converts a JSON number in BTC per 1,000 bytes, as btcd writes fee rates, to a
// FeeRate in sat/kvB without floating point: the text is read as an exact decimal and
// multiplied by 10^8. btcd computes the figure in float64, so 1 sat/vB can arrive as
// 1.0000000000000001e-05; the result is rounded to the nearest sat/kvB (0.001 sat/vB), which
// removes such noise, and a positive rate is never rounded down to zero. Negative answers
// (btcd's -1 for "no estimate") are returned as is, for the caller to judge.
func ParseBTCPerKB(s string) (txbuilder.FeeRate, error) {
	m := jsonNumber().FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%w: %q", ErrBadRate, s)
	}
	if m[1] != "" {
		// Keep exponents small so a hostile answer cannot make big.Rat build huge numbers.
		exp, err := strconv.Atoi(m[1])
		if err != nil || exp > 20 || exp < -40 {
			return 0, fmt.Errorf("%w: %q has an absurd exponent", ErrBadRate, s)
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrBadRate, s)
	}
	r.Mul(r, big.NewRat(int64(txbuilder.SatPerBTC), 1)) // sat per 1000 vB
	neg := r.Sign() < 0
	if neg {
		r.Neg(r)
	}
	// round half up: floor(r + 1/2)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() || q.Int64() > int64(txbuilder.MaxMoney) {
		return 0, fmt.Errorf("%w: %q is out of range", ErrBadRate, s)
	}
	v := q.Int64()
	if v == 0 && r.Cmp(big.NewRat(1, 2)) > 0 {
		v = 1
	}
	if neg {
		v = -v
	}
	return txbuilder.FeeRate(v), nil
}
