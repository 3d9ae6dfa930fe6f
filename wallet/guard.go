package wallet

import (
	"errors"
	"fmt"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// ErrFeeGuard means a payment's fee is out of proportion to what it pays; the user can lower
// the guard.
var ErrFeeGuard = errors.New("fee guard")

// MaxFeeRate is the highest rate satchel ever pays: above it the rate is surely a typo.
const MaxFeeRate txbuilder.FeeRate = 1_000_000 // 1,000 sat/vB

// FeeGuard bounds what a payment may cost. MaxRatioPPM is the fee's largest share of the amount
// paid, in millionths (500,000 = 0.5); MaxFee is an absolute cap in satoshis (0: none).
type FeeGuard struct {
	MaxRatioPPM int64
	MaxFee      txbuilder.Amount
}

// DefaultFeeGuard refuses a fee above half the amount paid.
var DefaultFeeGuard = FeeGuard{MaxRatioPPM: 500_000}

// FeeGuardError gives the figures of a refused payment.
type FeeGuardError struct {
	Fee, Amount txbuilder.Amount
	Reason      string
}

func (e *FeeGuardError) Error() string {
	return fmt.Sprintf("fee guard: the fee of %s sat is %s of the %s sat paid; %s", e.Fee.Grouped(), Share(e.Fee, e.Amount), e.Amount.Grouped(), e.Reason)
}

// Unwrap makes errors.Is(err, ErrFeeGuard) hold.
func (e *FeeGuardError) Unwrap() error { return ErrFeeGuard }

// Check refuses a plan whose fee breaks the guard, and reports whether the fee is high enough
// to warn about (more than 10% of the amount paid).
func (g FeeGuard) Check(p *Plan) (warn bool, err error) {
	// The whole fee: change dropped into it and coins merged on a cheap day (--policy
	// satchel-merge) are paid by this payment too, and no part of it escapes the guard.
	return g.CheckFee(p.Selection.Fee, p.Amount, p.Request.FeeRate)
}

// CheckFee is Check for a fee, the amount it pays for, and the rate it pays (0 when not
// known yet): a PSBT to sign is judged by the same rules as the wallet's own plans.
func (g FeeGuard) CheckFee(fee, amt txbuilder.Amount, rate txbuilder.FeeRate) (warn bool, err error) {
	if rate > MaxFeeRate {
		return false, &FeeGuardError{Fee: fee, Amount: amt, Reason: fmt.Sprintf("a fee rate of %s sat/vB is above the 1,000 sat/vB that satchel ever pays", rate)}
	}
	if g.MaxFee > 0 && fee > g.MaxFee {
		return false, &FeeGuardError{Fee: fee, Amount: amt, Reason: fmt.Sprintf("that is above --max-fee %s sat: raise it to pay anyway", g.MaxFee.Grouped())}
	}
	if g.MaxRatioPPM > 0 && int64(fee)*1_000_000 > int64(amt)*g.MaxRatioPPM {
		return false, &FeeGuardError{Fee: fee, Amount: amt, Reason: fmt.Sprintf("that is above --max-fee-ratio %s: raise it to pay anyway", ppmString(g.MaxRatioPPM))}
	}
	return int64(fee)*10 > int64(amt), nil
}

// Share prints part as a percentage of whole with two decimals, in integer arithmetic.
func Share(part, whole txbuilder.Amount) string {
	if whole <= 0 {
		return "n/a"
	}
	bp := (int64(part)*1_000_000/int64(whole) + 50) / 100 // hundredths of a percent, rounded
	return fmt.Sprintf("%d.%02d%%", bp/100, bp%100)
}

func ppmString(ppm int64) string {
	s := fmt.Sprintf("%d.%06d", ppm/1_000_000, ppm%1_000_000)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// ParseRatio reads a decimal ratio such as 0.5 or 1 into millionths.
func ParseRatio(s string) (int64, error) {
	var whole, frac int64
	var fracDigits int
	seenDot := false
	if s == "" {
		return 0, fmt.Errorf("%w: empty ratio", ErrBadInput)
	}
	for _, r := range s {
		switch {
		case r == '.' && !seenDot:
			seenDot = true
		case r >= '0' && r <= '9':
			if seenDot {
				if fracDigits == 6 {
					return 0, fmt.Errorf("%w: ratio %q has more than 6 decimals", ErrBadInput, s)
				}
				frac = frac*10 + int64(r-'0')
				fracDigits++
			} else {
				whole = whole*10 + int64(r-'0')
				if whole > 1000 {
					return 0, fmt.Errorf("%w: ratio %q is too large", ErrBadInput, s)
				}
			}
		case r == '-' && !seenDot && whole == 0 && fracDigits == 0:
			return 0, fmt.Errorf("%w: ratio %q must not be negative: give a share of the amount like 0.5", ErrBadInput, s)
		default:
			return 0, fmt.Errorf("%w: ratio %q is not a decimal number like 0.5", ErrBadInput, s)
		}
	}
	for ; fracDigits < 6; fracDigits++ {
		frac *= 10
	}
	v := whole*1_000_000 + frac
	if v <= 0 {
		return 0, fmt.Errorf("%w: ratio %q must be above 0", ErrBadInput, s)
	}
	return v, nil
}
