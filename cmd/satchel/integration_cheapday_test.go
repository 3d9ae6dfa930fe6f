package main

import (
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// A 400 sat tip from a wallet of seven coins of different sizes, on a 1 sat/vB day, spends
// one coin: the default policy never merges coins into a payment to someone else (the payee
// would learn about them). The old merging policy stays under its own name, and then the
// fee guard judges the whole fee, merging included.
func TestIntegrationATipSpendsOnlyWhatItNeeds(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 3_000, 3_500, 4_000, 4_500, 5_000, 200_000, 300_000)
	dest := regtest.NewKey("cheap", txbuilder.P2WPKH).Address
	p, r := c.send("a", dest, "400", "--fee-rate", "1")
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	if len(p.Inputs) != 1 || p.ConsolidationFee != 0 {
		t.Fatalf("a 400 sat tip spent %d coins (consolidation fee %d): want one", len(p.Inputs), p.ConsolidationFee)
	}
	assertFeeRate(t, n, p.TxID, 1000, p.Fee)
	// satchel-merge still merges on a cheap day (how many coins depends on its random
	// algorithms), and the guard judges its whole fee: under the default guard a plan whose fee
	// is over half the tip is refused, whatever part of it bought merging.
	q, r := c.send("a", dest, "400", "--fee-rate", "1", "--policy", "satchel-merge", "--dry-run", "--max-fee-ratio", "10")
	if r.code != 0 || len(q.Inputs) < 2 || q.ConsolidationFee > q.Fee {
		t.Fatalf("satchel-merge under a raised guard: exit %d %s, %d inputs, consolidation fee %d of %d", r.code, r.err, len(q.Inputs), q.ConsolidationFee, q.Fee)
	}
	for range 5 {
		g, r := c.send("a", dest, "400", "--fee-rate", "1", "--policy", "satchel-merge", "--dry-run")
		if r.code == 0 {
			if g.Fee*2 > 400 {
				t.Fatalf("satchel-merge paid a %d sat fee for a 400 sat tip past the 0.5 guard", g.Fee)
			}
			continue
		}
		if code, _ := jsonError(t, r.err); r.code != exitCannotPay || code != "fee_guard" {
			t.Fatalf("satchel-merge: exit %d %s", r.code, r.err)
		}
	}
}

// Cheap-day merging is its own transaction: consolidate --when-cheap merges a wallet's coins
// at 1 sat/vB once at least 20 can be merged, into the wallet's own change address; with fewer
// coins, or at 5 sat/vB (not cheap, and under 100 coins), it does nothing and says why.
func TestIntegrationConsolidateWhenCheap(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 3_000, 3_500, 4_000, 4_500, 5_000, 200_000, 300_000)
	if r := c.mustRun("", "consolidate", "--when-cheap", "--fee-rate", "1", "--yes", "--json", "--wallet", "a"); !contains(r.out, `"done": false`) {
		t.Fatalf("seven coins at 1 sat/vB: %s", r.out)
	}
	var more []txbuilder.Amount
	var total int64 = 520_000
	for i := range 15 {
		v := txbuilder.Amount(2_000 + 100*i)
		more = append(more, v)
		total += int64(v)
	}
	c.fund(n, "a", more...)
	r := c.mustRun("", "consolidate", "--when-cheap", "--fee-rate", "5", "--yes", "--json", "--wallet", "a")
	if !contains(r.out, `"done": false`) || !contains(r.out, "cheap") {
		t.Fatalf("at 5 sat/vB: %s", r.out)
	}
	r = c.mustRun("", "consolidate", "--when-cheap", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
	p := decodeJSON[consolidateJSON](t, r.out)
	if len(p.Inputs) != 22 || p.Saving <= 0 || len(p.Outputs) != 1 || !p.Outputs[0].Change && p.Outputs[0].Label != "consolidation" {
		t.Fatalf("merged %d coins into %d outputs, saving %d: want all 22 into 1", len(p.Inputs), len(p.Outputs), p.Saving)
	}
	assertFeeRate(t, n, p.TxID, 1000, p.Fee)
	if b := c.balance("a"); b.Confirmed+b.Unconfirmed != total-p.Fee {
		t.Fatalf("balance after merging %+v, want %d", b, total-p.Fee)
	}
}
