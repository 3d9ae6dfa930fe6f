package fiat

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// ErrBadAmount marks a fiat amount satchel will not read.
var ErrBadAmount = errors.New("bad fiat amount")

// Micro is the number of micro-units in one unit of a currency (or one bitcoin of a price).
const Micro = 1_000_000

// maxDecimals is the most decimals a fiat amount may have: what Micro can hold exactly.
const maxDecimals = 6

// maxUnits bounds a fiat amount (10^12 units): more is surely a slip of the keyboard, and the
// bound keeps micro-units far inside int64.
const maxUnits = 1_000_000_000_000

// Amount is a fiat amount as typed: micro-units of Currency (an ISO 4217 code, upper case).
type Amount struct {
	Micro    int64
	Currency string
}

// String writes the amount with at least two decimals: "5.00 USD", "0.125 EUR".
func (a Amount) String() string { return FormatMicro(a.Micro, 2) + " " + a.Currency }

// Looks says whether s is written as a fiat amount (digits, then a three-letter code that is
// not a bitcoin unit), so a caller knows which parser's error to show.
func Looks(s string) bool {
	if len(s) < 4 {
		return false
	}
	code := strings.ToLower(s[len(s)-3:])
	if code == "sat" || code == "btc" || code == "ats" {
		return false
	}
	for i := len(s) - 3; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s[0] >= '0' && s[0] <= '9' || s[0] == '.'
}

// ParseAmount reads a fiat amount: a decimal number and an ISO 4217 code written together, in
// any case ("5usd", "2.50EUR", "3gbp"). Like bitcoin amounts it refuses grouping, signs,
// exponents, spaces, zero, and more than six decimals.
func ParseAmount(s string) (Amount, error) {
	bad := func(why string) (Amount, error) {
		return Amount{}, fmt.Errorf("%w %q: %s", ErrBadAmount, clip.Text(s, 40), why)
	}
	if len(s) > 40 {
		return bad("too long")
	}
	if !Looks(s) {
		return bad("write a number and a currency code together, like 5usd or 2.50EUR")
	}
	num, code := s[:len(s)-3], strings.ToUpper(s[len(s)-3:])
	if n := len(num); n > 0 && letter(num[n-1]) {
		// More than three letters: the unit is what is wrong ("1000satoshi", "5usdt"), not
		// the number.
		i := len(s)
		for i > 0 && letter(s[i-1]) {
			i--
		}
		return bad(fmt.Sprintf("%q is not a unit: use sat, sats or btc, or a three-letter currency code such as usd", clip.Text(s[i:], 40)))
	}
	if !KnownCurrency(code) {
		return bad(fmt.Sprintf("%q is not a unit: use sat or btc, or a currency code such as usd or eur", strings.ToLower(code)))
	}
	whole, frac, dot := strings.Cut(num, ".")
	if whole == "" || !digits(whole) || (dot && (frac == "" || !digits(frac))) {
		return bad("the number must be digits with at most one decimal point, like 2.50 (no grouping, sign or exponent)")
	}
	if len(frac) > maxDecimals {
		return bad(fmt.Sprintf("at most %d decimals", maxDecimals))
	}
	n, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", maxDecimals-len(frac)), 10)
	if !ok {
		return bad("not a number")
	}
	if n.Sign() == 0 {
		return bad("the amount must be more than zero")
	}
	if n.Cmp(big.NewInt(maxUnits*Micro)) > 0 {
		return bad("more than 10^12 is surely a typo")
	}
	return Amount{Micro: n.Int64(), Currency: code}, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// FormatMicro writes micro-units as a decimal with at least min decimals and no more than it
// needs beyond them, rounding nothing: 5000000 -> "5.00", 125000 -> "0.125".
func FormatMicro(v int64, min int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/Micro, v%Micro
	f := strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
	for len(f) < min {
		f += "0"
	}
	if f == "" {
		return fmt.Sprintf("%s%d", sign, whole)
	}
	return fmt.Sprintf("%s%d.%s", sign, whole, f)
}

// divRound is a*b/c rounded half up, for non-negative a, b and positive c, in big integers so
// that no product overflows.
func divRound(a, b, c int64) int64 {
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	d := big.NewInt(c)
	n.Add(n, new(big.Int).Rsh(d, 1))
	n.Quo(n, d)
	if !n.IsInt64() {
		return -1
	}
	return n.Int64()
}

// letter says whether c is an ASCII letter.
func letter(c byte) bool { c |= 0x20; return c >= 'a' && c <= 'z' }

// iso4217 lists the active ISO 4217 currency codes that circulate (funds codes, precious
// metals and test codes left out): the currencies a price source could quote.
const iso4217 = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP " +
	"BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS " +
	"GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD " +
	"KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR " +
	"NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP " +
	"STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG " +
	"XOF XPF YER ZAR ZMW ZWG ZWL"

// KnownCurrency reports whether code (three capitals) is a currency a price source may quote:
// a made-up code would only fail later, at the first conversion.
func KnownCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i+3 <= len(iso4217); i += 4 {
		if iso4217[i:i+3] == code {
			return true
		}
	}
	return false
}
