package txbuilder

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadAmount marks every amount or fee rate a user typed that satchel will not guess at. The
// wrapping error says why, so the CLI can print it as is.
var ErrBadAmount = errors.New("bad amount")

// MaxFeeRateInput is the highest fee rate ParseFeeRate accepts: 100,000 sat/vB. Anything above
// is far more likely a slip of the keyboard than a wish to spend a fortune on fees.
const MaxFeeRateInput FeeRate = 100_000 * 1000

// maxInputLen bounds the text ParseAmount and ParseFeeRate look at, so an absurd input is refused
// before any arithmetic and quoted back to the user at a readable length.
const maxInputLen = 64

// ParseAmount reads an amount the way a user types it. A bare whole number is satoshis
// ("2100"); a unit may follow without a space: "sat", "sats" or "btc", in any case. A decimal
// point needs the btc unit, since "0.001" alone could be read as either unit and a wrong guess
// loses money a thousandfold. Zero, negative, and more than 21 million BTC are refused, and so
// is any notation that could be misread: grouping commas, spaces, signs, exponents, hex.
func ParseAmount(s string) (Amount, error) {
	num, unit, err := splitAmount(s)
	if err != nil {
		return 0, badAmount(s, err.Error())
	}
	var a Amount
	switch unit {
	case "":
		if strings.Contains(num, ".") {
			return 0, badAmount(s, fmt.Sprintf("%s has a decimal point but no unit: "+
				"write %sbtc for bitcoin, or a whole number of satoshis", num, num))
		}
		a, err = parseFixed(num, 0)
	case "sat", "sats":
		if strings.Contains(num, ".") {
			return 0, badAmount(s, "satoshis are whole: a sat amount cannot have a decimal point")
		}
		a, err = parseFixed(num, 0)
	case "btc":
		a, err = parseFixed(num, 8)
	}
	if errors.Is(err, errTooLarge) || err == nil && a > MaxMoney {
		return 0, badAmount(s, "that is more than 21 million BTC")
	}
	if err != nil {
		return 0, badAmount(s, err.Error())
	}
	if a == 0 {
		return 0, badAmount(s, "the amount must be more than zero")
	}
	return a, nil
}

// FormatBTC writes an amount in bitcoin with as few decimals as it needs ("0.000021", "1"),
// the form BIP21 URIs and ParseAmount's btc unit take.
func FormatBTC(a Amount) string {
	sign := ""
	u := uint64(a)
	if a < 0 {
		sign = "-"
		u = uint64(-(a + 1)) + 1 // safe for the smallest int64
	}
	whole, frac := u/uint64(SatPerBTC), u%uint64(SatPerBTC)
	if frac == 0 {
		return fmt.Sprintf("%s%d", sign, whole)
	}
	return fmt.Sprintf("%s%d.%s", sign, whole, strings.TrimRight(fmt.Sprintf("%08d", frac), "0"))
}

// ParseFeeRate reads a fee rate in sat/vB with up to three decimals ("12", "0.5", "1.234"), an
// optional "sat/vB" unit in any case allowed. Three decimals is the precision FeeRate holds;
// more would be silently rounded, so it is refused instead.
func ParseFeeRate(s string) (FeeRate, error) {
	num := s
	if len(num) > len("sat/vb") && strings.EqualFold(num[len(num)-len("sat/vb"):], "sat/vb") {
		num = num[:len(num)-len("sat/vb")]
	}
	if strings.ContainsAny(num, " \t\r\n") {
		// checkNumber's words give an amount as the example (2100sat): a rate has its own.
		return 0, badFeeRate(s, "spaces are not allowed: write the number alone or joined to its unit, like 2 or 2sat/vB")
	}
	if i := strings.IndexAny(num, "sS/"); i > 0 && checkNumber(num[:i]) == nil {
		// "2sat", "2sats", "2sat/b": the only unit a fee rate takes is sat/vB.
		return 0, badFeeRate(s, fmt.Sprintf("a fee rate is in sat/vB: write %s or %ssat/vB", num[:i], num[:i]))
	}
	if strings.HasPrefix(num, "-") {
		return 0, badFeeRate(s, "a fee rate is never negative: give sat/vB, like 2 or 0.5")
	}
	if err := checkNumber(num); err != nil {
		if strings.HasPrefix(err.Error(), "the character ") {
			return 0, badFeeRate(s, "a fee rate is a number of sat/vB, like 2 or 0.5")
		}
		return 0, badFeeRate(s, err.Error())
	}
	r, err := parseFixed(num, 3)
	if errors.Is(err, errTooLarge) || err == nil && FeeRate(r) > MaxFeeRateInput {
		return 0, badFeeRate(s, fmt.Sprintf("more than %s sat/vB is surely a typo", Amount(MaxFeeRateInput/1000).Grouped()))
	}
	if err != nil {
		return 0, badFeeRate(s, err.Error())
	}
	if r == 0 {
		return 0, badFeeRate(s, "the fee rate must be more than zero")
	}
	return FeeRate(r), nil
}

// splitAmount separates the number from its unit and refuses notations ParseAmount never reads.
func splitAmount(s string) (num, unit string, err error) {
	lower := strings.ToLower(s)
	num = s
	for _, u := range []string{"sats", "sat", "btc"} {
		if strings.HasSuffix(lower, u) {
			num, unit = s[:len(s)-len(u)], u
			break
		}
	}
	if err := checkNumber(num); err != nil {
		return "", "", err
	}
	return num, unit, nil
}

// checkNumber refuses everything but digits with at most one decimal point, naming what is wrong.
func checkNumber(num string) error {
	switch {
	case num == "":
		return errors.New("no number given")
	case len(num) > maxInputLen:
		return errors.New("the number is too long")
	case strings.ContainsAny(num, " \t\r\n"):
		return errors.New("spaces are not allowed: write the number and unit together, like 2100sat")
	case strings.HasPrefix(num, "-"):
		return errors.New("negative amounts are not allowed")
	case strings.HasPrefix(num, "+"):
		return errors.New("a + sign is not allowed: write just the number")
	case strings.Contains(num, ","):
		return errors.New("grouping commas are not allowed: write 1000, not 1,000 " +
			"(and use a point for decimals)")
	case strings.HasPrefix(num, "0x") || strings.HasPrefix(num, "0X"):
		return errors.New("hexadecimal is not allowed: write a decimal number")
	case strings.ContainsAny(num, "eE"):
		return errors.New("exponents are not allowed: write the number out in full")
	case strings.Count(num, ".") > 1:
		return errors.New("more than one decimal point")
	case num[0] == '.' || num[len(num)-1] == '.':
		return errors.New("a decimal point needs digits on both sides, like 0.5")
	}
	for _, c := range num {
		if c != '.' && (c < '0' || c > '9') {
			return fmt.Errorf("the character %q does not belong in an amount: only digits, one decimal point and a unit "+
				"(sat, sats, btc) are allowed", c)
		}
	}
	return nil
}

// errTooLarge is a number far beyond any amount or fee rate; callers say their own bound, which
// tells the person what the limit is rather than only that there is one.
var errTooLarge = errors.New("the number is far too large")

// parseFixed reads a checked decimal with at most decimals digits after the point as an integer
// count of 10^-decimals units, refusing overflow.
func parseFixed(num string, decimals int) (Amount, error) {
	whole, frac, _ := strings.Cut(num, ".")
	if len(frac) > decimals {
		if decimals == 8 {
			return 0, errors.New("bitcoin has at most 8 decimals (1 satoshi = 0.00000001btc)")
		}
		return 0, fmt.Errorf("at most %d decimals are allowed", decimals)
	}
	frac += strings.Repeat("0", decimals-len(frac))
	// limit is far above MaxMoney and MaxFeeRateInput and far below overflow; callers check
	// their own bound afterwards.
	const limit = int64(1) << 59
	var v int64
	for _, c := range whole + frac {
		if v > limit {
			return 0, errTooLarge
		}
		v = v*10 + int64(c-'0')
	}
	return Amount(v), nil
}

func badAmount(s, reason string) error {
	return fmt.Errorf("%w %s: %s", ErrBadAmount, quote(s), reason)
}

func badFeeRate(s, reason string) error {
	return &feeRateError{msg: fmt.Sprintf("fee rate %s: %s", quote(s), reason)}
}

// feeRateError is a fee rate that does not read; it is an ErrBadAmount (the same class of
// input mistake) without saying "amount", which would send the reader to amount units.
type feeRateError struct{ msg string }

func (e *feeRateError) Error() string { return e.msg }
func (e *feeRateError) Unwrap() error { return ErrBadAmount }

// quote shows the user's text back, cut short if it is long.
func quote(s string) string {
	if len(s) > maxInputLen {
		s = s[:maxInputLen] + "…"
	}
	return fmt.Sprintf("%q", s)
}
