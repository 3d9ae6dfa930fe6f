package main

import "testing"

// Two watch-only sends in a row, whose PSBTs are signed elsewhere, never choose the same coin:
// the first PSBT's coins are reserved.
func TestWatchOnlySendsReserveTheirCoins(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 40_000, 60_000)
	var plans []planJSON
	for i := 0; i < 2; i++ {
		r := c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "5")
		plans = append(plans, decodeJSON[planJSON](t, r.out))
	}
	seen := map[string]bool{}
	for _, p := range plans {
		for _, in := range p.Inputs {
			if seen[in.OutPoint] {
				t.Fatalf("coin %s chosen by two PSBTs", in.OutPoint)
			}
			seen[in.OutPoint] = true
		}
	}
	// Both coins are now reserved: a third send has nothing to spend.
	if r := c.run("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "5"); r.code != exitCannotPay {
		t.Fatalf("third send: exit %d %s", r.code, r.err)
	}
}
