package txbuilder

import (
	"math/rand/v2"
	"testing"
)

func TestDustAtRateMatchesCore(t *testing.T) {
	tests := []struct {
		ty   ScriptType
		rate FeeRate
		want Amount
	}{
		// At the 3 sat/vB relay rate these are Core's (and units.go's) dust limits.
		{P2PKH, MinDiscardFeeRate, 546},
		{P2SH, MinDiscardFeeRate, 540},
		{P2SHP2WPKH, MinDiscardFeeRate, 540},
		{P2WPKH, MinDiscardFeeRate, 294},
		{P2WSH, MinDiscardFeeRate, 330},
		{P2TR, MinDiscardFeeRate, 330},
		// NOTES.md 3.7: at a 10 sat/vB discard rate.
		{P2WPKH, SatPerVB(10), 980},
		{P2TR, SatPerVB(10), 1100},
	}
	for _, tc := range tests {
		if got := dustAtRate(tc.ty, tc.rate); got != tc.want {
			t.Errorf("%s at %s sat/vB: %d, want %d", tc.ty, tc.rate, got, tc.want)
		}
		if tc.rate == MinDiscardFeeRate && tc.ty.DustLimit() != tc.want {
			t.Errorf("%s: units.go dust %d disagrees", tc.ty, tc.ty.DustLimit())
		}
	}
}

func TestMinChangeByRule(t *testing.T) {
	tests := []struct {
		name          string
		rate, discard int64
		rule          ChangeRule
		want          Amount
	}{
		// Discard 10: dust 980 beats cost of change 31+680 = 711.
		{"core, low rate: dust at discard rate", 1, 10, ChangeRuleCostOfChange, 980},
		// At 20 sat/vB cost of change is 620+680 = 1300, and Core drops change at or below it.
		{"core, high rate: cost of change", 20, 10, ChangeRuleCostOfChange, 1301},
		// Current Core only asks the change be worth more than spending it (681) and not dust.
		{"min viable, high rate: dust at discard rate", 20, 10, ChangeRuleMinViable, 980},
		// Discard 3: dust 294; cost to spend 204, cost of change 31+204 = 235.
		{"core, discard 3", 1, 3, ChangeRuleCostOfChange, 294},
		{"core, discard 3, 10 sat/vB", 10, 3, ChangeRuleCostOfChange, 515},
		{"min viable, discard 3", 10, 3, ChangeRuleMinViable, 294},
	}
	for _, tc := range tests {
		req := selRequest(tc.rate, selPayees(10_000), nil)
		req.DiscardFeeRate = SatPerVB(tc.discard)
		p, err := prepare(req)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := p.minChange(tc.rule); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestDiscardRateDefaultsAndFloor(t *testing.T) {
	req := selRequest(1, selPayees(10_000), nil)
	req.DiscardFeeRate, req.LongTermFeeRate = 0, 0
	p, _ := prepare(req)
	if p.discard != DefaultDiscardFeeRate || p.longTerm != DefaultLongTermFeeRate {
		t.Fatalf("defaults: discard %d long-term %d", p.discard, p.longTerm)
	}
	req.DiscardFeeRate = 1000
	p, _ = prepare(req)
	if p.discard != MinDiscardFeeRate {
		t.Fatalf("discard below relay dust rate kept: %d", p.discard)
	}
}

func TestSelectionWaste(t *testing.T) {
	req := selRequest(20, selPayees(10_000), nil)
	req.DiscardFeeRate = SatPerVB(10)
	p, _ := prepare(req)
	// cost of change: 31 vB at 20 + 68 vB at 10.
	if p.costOfChange != 620+680 {
		t.Fatalf("cost of change %d", p.costOfChange)
	}
	if got := p.selectionWaste(680, 50_000, 49_000, true); got != 680+1300 {
		t.Fatalf("with change: %d", got)
	}
	if got := p.selectionWaste(680, 50_000, 49_000, false); got != 680+1000 {
		t.Fatalf("without change: %d", got)
	}
}

func TestChangeTargetRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	if got := changeTarget(25_000, 31, rng); got != 50_031 {
		t.Fatalf("small payment: %d", got)
	}
	for range 1000 {
		// Payment 100k: between 50k and 200k, plus the change fee.
		if got := changeTarget(100_000, 31, rng); got < 50_031 || got >= 200_031 {
			t.Fatalf("100k payment: %d", got)
		}
		// Large payment: capped at CHANGE_UPPER.
		if got := changeTarget(5_000_000, 31, rng); got < 50_031 || got >= 1_000_031 {
			t.Fatalf("5M payment: %d", got)
		}
	}
}
