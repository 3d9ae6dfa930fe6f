package main

import (
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// A bitcoin: URI's amount is what the payee asked for: another amount typed after it, or "all",
// stops the send (exit 2) instead of replacing it; the same amount, or none, pays the URI's.
func TestURIAmountIsNeverOverridden(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("a")))))
	dest := outsider
	u := "bitcoin:" + dest + "?amount=0.000021"
	for _, tc := range []struct {
		name string
		args []string
		want int64 // 0: refused
	}{
		{"URI alone", []string{u}, 2100},
		{"same amount typed", []string{u, "2100"}, 2100},
		{"another amount", []string{u, "5000"}, 0},
		{"all", []string{u, "all"}, 0},
		{"--to URI alone", []string{"--to", u}, 2100},
		{"--to URI=other", []string{"--to", u + "=5000"}, 0},
		{"--to URI=same", []string{"--to", u + "=2100"}, 2100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"send", "--dry-run", "--json", "--wallet", "a", "--fee-rate", "1"}, tc.args...)
			r := c.run("", args...)
			if tc.want == 0 {
				if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "amount_mismatch" || !strings.Contains(msg, "2100 sat") {
					t.Fatalf("exit %d %s", r.code, r.err)
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d %s", r.code, r.err)
			}
			if p := decodeJSON[planJSON](t, r.out); p.Amount != tc.want {
				t.Fatalf("pays %d, want %d", p.Amount, tc.want)
			}
		})
	}
}
