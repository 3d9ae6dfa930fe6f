package main

import (
	"strconv"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
)

// fmtSat groups digits for people: 21,000 sat. Input never accepts this form.
func fmtSat(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out) + " sat"
	}
	return string(out) + " sat"
}

// fmtSigned is fmtSat with a + on gains, for history.
func fmtSigned(v int64) string {
	if v > 0 {
		return "+" + fmtSat(v)
	}
	return fmtSat(v)
}

func decodeAddress(s string, w *wallet.Wallet) (*address.Address, error) {
	return address.Decode(s, w.Net())
}
