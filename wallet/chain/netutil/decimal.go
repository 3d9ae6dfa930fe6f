package netutil

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// ErrBadNumber marks a number a server wrote in a form that is not a JSON number, or out of
// range.
var ErrBadNumber = errors.New("not a usable number")

// Limits on the decimal text accepted, so a hostile answer cannot make huge numbers.
const (
	maxDigits   = 60
	maxExponent = 60
)

// ParseDecimal reads s, a JSON number, and returns it times 10^shift as an integer, without
// floating point: "0.5" with shift 3 is exactly 500 (a fee rate of 0.5 sat/vB in sat/kvB),
// "1e-05" with shift 8 is 1000. Digits beyond the integer are rounded half up, which removes
// float noise such as 1.0000000000000001e-05; a positive value is never rounded down to zero.
func ParseDecimal(s string, shift int) (int64, error) {
	neg, mant, exp, err := splitNumber(s)
	if err != nil {
		return 0, err
	}
	exp += shift
	n, ok := new(big.Int).SetString(mant, 10)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrBadNumber, s)
	}
	if exp >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
	} else {
		zero := n.Sign() == 0
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil)
		half := new(big.Int).Rsh(div, 1)
		n.Add(n, half)
		n.Quo(n, div)
		if n.Sign() == 0 && !zero {
			n.SetInt64(1)
		}
	}
	if neg {
		n.Neg(n)
	}
	if !n.IsInt64() {
		return 0, fmt.Errorf("%w: %q is out of range", ErrBadNumber, s)
	}
	return n.Int64(), nil
}

// splitNumber checks JSON number syntax and returns the sign, the digits without the decimal
// point and the power of ten they are to be multiplied by.
func splitNumber(s string) (neg bool, mant string, exp int, err error) {
	bad := func() (bool, string, int, error) { return false, "", 0, fmt.Errorf("%w: %q", ErrBadNumber, s) }
	t := s
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	intPart := t
	var frac, expPart string
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		intPart, expPart = t[:i], t[i+1:]
		if expPart == "" {
			return bad()
		}
	}
	if i := strings.IndexByte(intPart, '.'); i >= 0 {
		intPart, frac = intPart[:i], intPart[i+1:]
		if frac == "" {
			return bad()
		}
	}
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') || !allDigits(intPart) || !allDigits(frac) {
		return bad()
	}
	if len(intPart)+len(frac) > maxDigits {
		return false, "", 0, fmt.Errorf("%w: %q has too many digits", ErrBadNumber, s)
	}
	if expPart != "" {
		e := expPart
		if e[0] == '+' || e[0] == '-' {
			e = e[1:]
		}
		if e == "" || !allDigits(e) || len(e) > 4 {
			return bad()
		}
		exp, _ = strconv.Atoi(expPart)
		if exp > maxExponent || exp < -maxExponent {
			return false, "", 0, fmt.Errorf("%w: %q has an absurd exponent", ErrBadNumber, s)
		}
	}
	mant = strings.TrimLeft(intPart+frac, "0")
	if mant == "" {
		mant = "0"
	}
	return neg, mant, exp - len(frac), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatDecimal writes v divided by 10^shift as the shortest decimal text that ParseDecimal
// reads back to v: FormatDecimal(1000, 8) is "0.00001".
func FormatDecimal(v int64, shift int) string {
	neg := v < 0
	u := new(big.Int).SetInt64(v)
	u.Abs(u)
	digits := u.String()
	if shift <= 0 {
		s := digits
		if digits != "0" {
			s += strings.Repeat("0", -shift)
		}
		if neg {
			s = "-" + s
		}
		return s
	}
	if len(digits) <= shift {
		digits = strings.Repeat("0", shift-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-shift], strings.TrimRight(digits[len(digits)-shift:], "0")
	s := whole
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}
