package main

import (
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// On a cheap day the satchel-merge policy (the default before issue 14, now asked for by name)
// merges small coins into the payment's change; the plan shows that part of the fee apart.
func TestIntegrationCheapDayConsolidationIsShownAndGuardedApart(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 3_000, 3_500, 4_000, 4_500, 5_000, 200_000, 300_000)
	dest := regtest.NewKey("cheap", txbuilder.P2WPKH).Address
	p, r := c.send("a", dest, "1000", "--fee-rate", "2", "--policy", "satchel-merge")
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	if p.ConsolidationFee <= 0 || len(p.Inputs) < 5 {
		t.Fatalf("no consolidation on a 2 sat/vB day: %d inputs, consolidation fee %d", len(p.Inputs), p.ConsolidationFee)
	}
	assertFeeRate(t, n, p.TxID, 2000, p.Fee)
	// Core's policy, and the default, spend fewer coins for the same payment.
	q, r := c.send("a", dest, "1000", "--fee-rate", "2", "--policy", "core", "--dry-run")
	if r.code != 0 || len(q.Inputs) >= len(p.Inputs) {
		t.Fatalf("core policy: %s, %d inputs against satchel-merge's %d", r.err, len(q.Inputs), len(p.Inputs))
	}
	q, r = c.send("a", dest, "1000", "--fee-rate", "2", "--dry-run")
	if r.code != 0 || len(q.Inputs) != 1 || q.ConsolidationFee != 0 {
		t.Fatalf("default policy: %s, %d inputs, consolidation fee %d", r.err, len(q.Inputs), q.ConsolidationFee)
	}
}
