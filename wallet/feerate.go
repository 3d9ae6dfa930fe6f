package wallet

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// MinRelayFeeRate is the lowest rate satchel plans at: Bitcoin Core's default minimum relay fee
// (0.1 sat/vB since 29.1). A server's estimate below it would build a transaction no node
// relays, so such an estimate is raised to it.
const MinRelayFeeRate txbuilder.FeeRate = 100

// SuspiciousFeeRate is the rate above which an estimate is questioned when it is also more than
// SuspiciousFeeJump times the last estimate this wallet accepted for the same target: real fee
// markets spike, but a lying server that multiplies the rate makes the same picture, and at
// 100 sat/vB and above the difference is real money.
const SuspiciousFeeRate txbuilder.FeeRate = 100_000

// SuspiciousFeeJump is how many times the last accepted estimate an estimate may be before it
// is questioned (when it is also above SuspiciousFeeRate).
const SuspiciousFeeJump = 5

// FeeChoice is the fee rate a transaction is planned at and where it came from.
type FeeChoice struct {
	// Rate is the rate to plan at.
	Rate txbuilder.FeeRate
	// Source says where Rate came from, for plans: "--fee-rate", or "estimate for N blocks
	// from SERVER" (with a note when the estimate was raised to the relay floor).
	Source string
	// Suspicious, when not empty, says why an estimate needs the user's word (a prompt answer)
	// or an explicit --fee-rate before anything is signed at it. Accept records it once given.
	Suspicious string
	// target is the confirmation target of an estimate (0 for an explicit rate).
	target int
}

// ErrFeeRateTooLow means an explicit fee rate is below the minimum relay rate.
var ErrFeeRateTooLow = errors.New("fee rate below the minimum relay rate")

// feeEstimateKey is the per-wallet setting holding the last accepted estimate for a target.
func feeEstimateKey(target int) string { return "fee-estimate:" + strconv.Itoa(target) }

// FeeRateFor decides the rate of a transaction: explicit (--fee-rate) when it is not zero,
// else the backend's estimate for target blocks, raised to MinRelayFeeRate and judged against
// the last estimate this wallet accepted for that target. A rate that is not suspicious is
// recorded as the new reference; a suspicious one is recorded only by Accept, after the user
// agreed, so a server cannot ratchet the reference up by asking repeatedly.
func (w *Wallet) FeeRateFor(ctx context.Context, be chain.Backend, target int, explicit txbuilder.FeeRate) (FeeChoice, error) {
	if explicit != 0 {
		if explicit < MinRelayFeeRate {
			return FeeChoice{}, fmt.Errorf("%w: %s sat/vB is below %s sat/vB, which no node relays", ErrFeeRateTooLow, explicit, MinRelayFeeRate)
		}
		return FeeChoice{Rate: explicit, Source: "--fee-rate"}, nil
	}
	if be == nil {
		return FeeChoice{}, fmt.Errorf("no backend to estimate the fee: %w", chain.ErrNoEstimate)
	}
	est, err := be.EstimateFee(ctx, target)
	if err != nil {
		return FeeChoice{}, fmt.Errorf("estimate for %d blocks: %w", target, err)
	}
	if est <= 0 {
		return FeeChoice{}, fmt.Errorf("%s answered a fee estimate of %s sat/vB for %d blocks: %w", be.Name(), est, target, chain.ErrNoEstimate)
	}
	c := FeeChoice{Rate: est, target: target, Source: fmt.Sprintf("estimate for %d blocks from %s", target, be.Name())}
	if est < MinRelayFeeRate {
		c.Rate = MinRelayFeeRate
		c.Source += fmt.Sprintf(" (%s sat/vB, raised to the %s sat/vB relay floor)", est, MinRelayFeeRate)
	}
	prev, err := w.lastFeeEstimate(target)
	if err != nil {
		return FeeChoice{}, err
	}
	if c.Rate > SuspiciousFeeRate && c.Rate > prev*SuspiciousFeeJump {
		if prev == 0 {
			c.Suspicious = fmt.Sprintf("%s estimates %s sat/vB for %d blocks, above %s sat/vB, and this wallet has seen no estimate before to compare it with",
				be.Name(), c.Rate, target, SuspiciousFeeRate)
		} else {
			c.Suspicious = fmt.Sprintf("%s estimates %s sat/vB for %d blocks, more than %d times the %s sat/vB it last saw and above %s sat/vB",
				be.Name(), c.Rate, target, SuspiciousFeeJump, prev, SuspiciousFeeRate)
		}
		return c, nil
	}
	return c, w.Accept(c)
}

// Accept records an estimate as the reference the next one is judged against. An explicit
// rate records nothing: it says nothing about the fee market.
func (w *Wallet) Accept(c FeeChoice) error {
	if c.target == 0 {
		return nil
	}
	if prev, err := w.lastFeeEstimate(c.target); err != nil || prev == c.Rate {
		return err
	}
	if err := w.writable(); err != nil {
		return err
	}
	defer w.release()
	return w.st.Update(func(tx *store.Txn) error {
		return tx.PutSetting(feeEstimateKey(c.target), strconv.FormatInt(int64(c.Rate), 10))
	})
}

// lastFeeEstimate is the last accepted estimate for target, 0 when there is none (or the stored
// value does not read, which only makes the next check stricter).
func (w *Wallet) lastFeeEstimate(target int) (txbuilder.FeeRate, error) {
	var r txbuilder.FeeRate
	err := w.st.View(func(tx *store.Txn) error {
		if v := tx.Setting(feeEstimateKey(target)); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				r = txbuilder.FeeRate(n)
			}
		}
		return nil
	})
	return r, err
}
