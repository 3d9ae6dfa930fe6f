package esplora

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// defaultRelayFee is the relay floor of Bitcoin Core before 29.1 and of btcd: what RelayFee
// answers when the estimates show nothing lower.
var defaultRelayFee = txbuilder.SatPerVB(1)

// EstimateFee reads /fee-estimates and answers the rate of the smallest target at or above the
// one asked (a longer target than asked never pays less than needed); past the longest
// target the server gives, that longest target's rate. No estimates at all (regtest) is
// chain.ErrNoEstimate.
func (b *Backend) EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error) {
	est, err := b.estimates(ctx)
	if err != nil {
		return 0, err
	}
	if len(est) == 0 {
		return 0, fmt.Errorf("%s: %w", b.name, chain.ErrNoEstimate)
	}
	targets := make([]int, 0, len(est))
	for t := range est {
		targets = append(targets, t)
	}
	sort.Ints(targets)
	for _, t := range targets {
		if t >= target {
			return est[t], nil
		}
	}
	return est[targets[len(targets)-1]], nil
}

// RelayFee is 1 sat/vB, or the lowest fee estimate when that is lower: Esplora has no relay-fee
// endpoint, and a node that estimates below 1 sat/vB relays at that rate. A server without
// /fee-estimates (HTTP 404) gets the 1 sat/vB default.
func (b *Backend) RelayFee(ctx context.Context) (txbuilder.FeeRate, error) {
	est, err := b.estimates(ctx)
	if err != nil {
		var nf *notFound
		if errors.As(err, &nf) {
			return defaultRelayFee, nil
		}
		return 0, err
	}
	floor := defaultRelayFee
	for _, r := range est {
		floor = min(floor, r)
	}
	return floor, nil
}

// notFound is a 404 from /fee-estimates.
type notFound struct{ err error }

func (e *notFound) Error() string { return e.err.Error() }
func (e *notFound) Unwrap() error { return e.err }

func (b *Backend) estimates(ctx context.Context) (map[int]txbuilder.FeeRate, error) {
	ctx, cancel, err := b.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	const path = "/fee-estimates"
	a, err := b.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if a.status != http.StatusOK {
		err := b.errs.Refused("GET "+path, statusText(a.status, a.body))
		if a.status == http.StatusNotFound {
			return nil, &notFound{err}
		}
		return nil, err
	}
	est, err := parseFeeEstimates(a.body)
	if err != nil {
		return nil, b.errs.Bad("GET "+path, "%v", err)
	}
	return est, nil
}
