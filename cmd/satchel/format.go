package main

import (
	"fmt"
	"strconv"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
)

// fmtSat groups digits for people: 21,000 sat. Input never accepts this form.
func fmtSat(v int64) string { return groupDigits(v) + " sat" }

// fmtBTC shows satoshis as bitcoin with all 8 decimals: 0.00021000 BTC, 1,234.50000000 BTC.
func fmtBTC(v int64) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	whole := groupDigits(int64(u / 100_000_000))
	s := fmt.Sprintf("%s.%08d BTC", whole, u%100_000_000)
	if neg {
		return "-" + s
	}
	return s
}

// groupDigits writes an integer with thousands separators: -21,000.
func groupDigits(v int64) string {
	neg := v < 0
	s := strconv.FormatUint(uint64(v), 10)
	if neg {
		s = strconv.FormatUint(uint64(-v), 10)
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// fmtAmount shows an amount in the unit the user chose (--unit, config unit): 21,000 sat or
// 0.00021000 BTC. Human output only; --json always carries integer satoshis.
func (a *App) fmtAmount(v int64) string {
	if a.flags.unit == "btc" {
		return fmtBTC(v)
	}
	return fmtSat(v)
}

// fmtSignedAmount is fmtAmount with a + on gains.
func (a *App) fmtSignedAmount(v int64) string {
	if v > 0 {
		return "+" + a.fmtAmount(v)
	}
	return a.fmtAmount(v)
}

func decodeAddress(s string, w *wallet.Wallet) (*address.Address, error) {
	return address.Decode(s, w.Net())
}

// plural picks the singular or the plural form for a count: plural(1, "coin", "coins").
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count writes a count with its noun in the right form, digits grouped: "1 coin", "1,204 coins".
func count(n int, one, many string) string { return groupDigits(int64(n)) + " " + plural(n, one, many) }
