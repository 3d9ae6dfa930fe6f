package main

import "testing"

// Two watch-only sends in a row, whose PSBTs are signed elsewhere, never choose the same coin:
// the first PSBT's coins are reserved.
func TestWatchOnlySendsReserveTheirCoins(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 40_000, 60_000)
	var plans []planJSON
	var psbts []string
	for i := 0; i < 2; i++ {
		r := c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "5")
		plans = append(plans, decodeJSON[planJSON](t, r.out))
		psbts = append(psbts, decodeJSON[struct {
			PSBT string `json:"psbt"`
		}](t, r.out).PSBT)
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
	// Abandoning the first PSBT gives its coin back (once), and the next send may use it.
	first := psbts[0]
	r := c.mustRun(first, "psbt", "abandon", "-", "--json", "--wallet", "cold")
	got := decodeJSON[psbtAbandonJSON](t, r.out)
	if len(got.Released) != 1 || got.Released[0] != plans[0].Inputs[0].OutPoint {
		t.Fatalf("abandon released %v, want %s", got.Released, plans[0].Inputs[0].OutPoint)
	}
	if again := decodeJSON[psbtAbandonJSON](t, c.mustRun(first, "psbt", "abandon", "-", "--json", "--wallet", "cold").out); len(again.Released) != 0 {
		t.Fatalf("a second abandon released %v", again.Released)
	}
	r = c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "5")
	if p := decodeJSON[planJSON](t, r.out); len(p.Inputs) != 1 || p.Inputs[0].OutPoint != plans[0].Inputs[0].OutPoint {
		t.Fatalf("the send after abandon spends %+v", p.Inputs)
	}
}
