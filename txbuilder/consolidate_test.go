package txbuilder

import (
	"slices"
	"strings"
	"testing"
)

// unspentOf is the coins of req the selection left.
func unspentOf(req Request, sel Selection) []Coin {
	spent := map[uint32]bool{}
	for _, c := range sel.Inputs {
		spent[c.OutPoint.Index] = true
	}
	var out []Coin
	for _, c := range req.Coins {
		if !spent[c.OutPoint.Index] {
			out = append(out, c)
		}
	}
	return out
}

func TestSatchelMergeConsolidatesOnCheapDays(t *testing.T) {
	coins := selWPKHCoins(1_000_000, 500_000, 10_000, 20_000, 30_000)
	tests := []struct {
		name         string
		rate         int64
		coins        []Coin
		payment      Amount
		wantInputs   int    // 0: not checked
		wantLeft     int    // coins left after the payment, change included
		wantConsFee  Amount // the fee of one added coin
		consolidates bool
	}{
		{
			// 2 sat/vB is below the cheap rate (30% of 10 sat/vB): all but the two largest other
			// coins join the payment, each adding 68 vB at 2 sat/vB (136 sat) to the fee.
			name: "cheap day keeps the two largest", rate: 2, coins: coins, payment: 100_000,
			wantLeft: 3, wantConsFee: 136, consolidates: true,
		},
		{
			name: "above the cheap rate nothing is added", rate: 5, coins: coins, payment: 100_000,
			consolidates: false,
		},
		{
			// 120 coins at 5 sat/vB, below the long-term rate: the guard leaves 100 (99 plus the
			// change), so 21 coins are spent.
			name: "coin guard below the long-term rate", rate: 5, coins: selRepeatCoins(120, 10_000), payment: 15_000,
			wantInputs: 21, wantLeft: 100, consolidates: true,
		},
		{
			name: "coin guard off above the long-term rate", rate: 12, coins: selRepeatCoins(120, 10_000), payment: 15_000,
			consolidates: false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := selRequest(tc.rate, selPayees(tc.payment), tc.coins)
			sel, err := SatchelMergePolicy().Select(req)
			if err != nil {
				t.Fatal(err)
			}
			checkSelection(t, pricedAs(SatchelMergePolicy(), req), sel)
			got := strings.HasSuffix(sel.Algorithm, algoConsolidateSuffix)
			if got != tc.consolidates || (sel.ConsolidationFee > 0) != tc.consolidates {
				t.Fatalf("algorithm %s, consolidation fee %d; want consolidation %v", sel.Algorithm, sel.ConsolidationFee, tc.consolidates)
			}
			if !tc.consolidates {
				return
			}
			left := unspentOf(req, sel)
			if n := len(left) + 1; n != tc.wantLeft || sel.Change == 0 {
				t.Fatalf("%d coins left with change %d, want %d", n, sel.Change, tc.wantLeft)
			}
			if tc.wantInputs > 0 && len(sel.Inputs) != tc.wantInputs {
				t.Fatalf("%d inputs, want %d", len(sel.Inputs), tc.wantInputs)
			}
			if tc.wantConsFee > 0 && sel.ConsolidationFee%tc.wantConsFee != 0 {
				t.Fatalf("consolidation fee %d, not a multiple of %d", sel.ConsolidationFee, tc.wantConsFee)
			}
		})
	}
}

func TestConsolidateAddsSmallestFirst(t *testing.T) {
	// A pool sorted by effective value; the payment chose index 1. On a cheap day with two coins
	// kept, the two smallest others (indices 4 and 3) are added; the largest (0) and the next (2)
	// stay.
	pool := selPool(-10, 100_000, 80_000, 60_000, 40_000, 20_000)
	p := &params{feeRate: 2_000, longTerm: 3_000, requestLongTerm: 10_000, nPayees: 1,
		payeeWeight: P2WPKH.OutputWeight(), changeWeight: P2WPKH.OutputWeight(), coins: make([]Coin, 5)}
	pf := Portfolio{CheapPct: 30, KeepLargest: 2, MergeInPayment: true}
	got, added := pf.consolidate(p, pool, pick{algo: algoBnB, sel: []int32{1}})
	if want := []int32{1, 4, 3}; !slices.Equal(got.sel, want) || added != 2*pool[0].weight || got.algo != "bnb+consolidate" {
		t.Fatalf("got %v (%s), added %d WU; want %v", got.sel, got.algo, added, want)
	}
	// Above the cheap rate, with fewer coins than the guard, nothing changes.
	p.feeRate = 5_000
	if got, added := pf.consolidate(p, pool, pick{algo: algoBnB, sel: []int32{1}}); added != 0 || len(got.sel) != 1 || got.algo != algoBnB {
		t.Fatalf("above the cheap rate: %v (%s), added %d", got.sel, got.algo, added)
	}
}

func TestConsolidationStaysStandard(t *testing.T) {
	// 3,000 coins at 1 sat/vB: consolidation stops at the standard weight, about 1,470 inputs.
	req := selRequest(1, selPayees(1_000_000), selRepeatCoins(3_000, 5_000))
	sel, err := SatchelMergePolicy().Select(req)
	if err != nil {
		t.Fatal(err)
	}
	checkSelection(t, pricedAs(SatchelMergePolicy(), req), sel)
	if sel.Weight > MaxStandardTxWeight || len(sel.Inputs) < 1_400 {
		t.Fatalf("%d inputs, %d WU", len(sel.Inputs), sel.Weight)
	}
}

func TestChangeTargetCappedForSmallPayments(t *testing.T) {
	// At 20 sat/vB a 2,000 sat payment needs 2,840 sat with the fixed part. Core's change
	// target (50,000 sat + the 620 sat change output) needs the 60,000 sat coin; capped at
	// three times the payment (6,000 + 620) the 15,000 sat coin (13,640 effective) is enough.
	coins := selWPKHCoins(15_000, 60_000, 200_000)
	for _, tc := range []struct {
		pct  int64
		want Amount
	}{{0, 60_000}, {300, 15_000}} {
		pf := Portfolio{Label: "cg", CoinGrinderAbove: 1, ChangeTargetPct: tc.pct, ChangeRule: ChangeRuleMinViable, ConfirmationTiers: true}
		req := selRequest(20, selPayees(2_000), coins)
		sel, err := pf.Select(req)
		if err != nil {
			t.Fatal(err)
		}
		checkSelection(t, req, sel)
		if sel.Algorithm != algoCoinGrinder || len(sel.Inputs) != 1 || sel.Inputs[0].Value != tc.want {
			t.Fatalf("pct %d: %s spent %v, want the %d sat coin", tc.pct, sel.Algorithm, sel.Inputs, tc.want)
		}
	}
}

func TestValuedAtCheapRate(t *testing.T) {
	tests := []struct {
		name                      string
		cheapPct                  int64
		longTerm, discard         FeeRate
		wantLongTerm, wantDiscard FeeRate
		wantRequestLongTerm       FeeRate
	}{
		{"off keeps the request", 0, 0, 0, 0, 0, DefaultLongTermFeeRate},
		{"defaults become 3 sat/vB", 30, 0, 0, 3_000, 3_000, DefaultLongTermFeeRate},
		{"a lower discard rate stays", 30, 20_000, 2_000, 6_000, 2_000, 20_000},
		{"a higher discard rate is lowered", 30, 20_000, 9_000, 6_000, 6_000, 20_000},
		{"never zero", 30, 1, 0, 1, 1, 1},
	}
	for _, tc := range tests {
		req := Request{LongTermFeeRate: tc.longTerm, DiscardFeeRate: tc.discard}
		got, lt := Portfolio{CheapPct: tc.cheapPct}.valued(req)
		if got.LongTermFeeRate != tc.wantLongTerm || got.DiscardFeeRate != tc.wantDiscard || lt != tc.wantRequestLongTerm {
			t.Errorf("%s: long-term %d discard %d request %d, want %d %d %d", tc.name,
				got.LongTermFeeRate, got.DiscardFeeRate, lt, tc.wantLongTerm, tc.wantDiscard, tc.wantRequestLongTerm)
		}
	}
}
