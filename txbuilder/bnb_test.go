package txbuilder

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// selPool builds P2WPKH candidates with the given effective values; waste is each input's
// fee now minus at the long-term rate (positive above the long-term rate).
func selPool(waste Amount, effs ...Amount) []utxo {
	pool := make([]utxo, len(effs))
	for i, e := range effs {
		pool[i] = utxo{eff: e, fee: 680 + waste, waste: waste, weight: P2WPKH.InputWeight(), coin: int32(i)}
	}
	sortPool(pool)
	return pool
}

func selSum(pool []utxo, sel []int32) (eff Amount, waste Amount, w Weight) {
	for _, i := range sel {
		eff += pool[i].eff
		waste += pool[i].waste
		w += pool[i].weight
	}
	return
}

func TestBnBHandExamples(t *testing.T) {
	tests := []struct {
		name           string
		waste          Amount
		effs           []Amount
		target, window Amount
		wantSum        Amount
		wantInputs     int // 0: expect no solution
	}{
		// {5000,1000}, {4000,2000} and {3000,2000,1000} all hit 6000; above the long-term rate
		// every input is waste, so two inputs win.
		{"high fee rate prefers fewer inputs", 680, []Amount{5000, 4000, 3000, 2000, 1000}, 6000, 500, 6000, 2},
		// Below the long-term rate each input saves fees later: three inputs win.
		{"low fee rate consolidates", -340, []Amount{5000, 4000, 3000, 2000, 1000}, 6000, 500, 6000, 3},
		// Nothing lands in [6600, 6700].
		{"no set in the window", 680, []Amount{5000, 4000, 3000, 2000, 1000}, 6600, 100, 0, 0},
		// The window admits overshoot: 5000+2000 = 7000 is within 6600+500.
		{"excess within cost of change", 680, []Amount{5000, 4000, 3000, 2000, 1000}, 6600, 500, 7000, 2},
		// A single exact coin beats any pair.
		{"single exact coin", 680, []Amount{9000, 6000, 3000, 3000}, 6000, 0, 6000, 1},
		{"not enough in total", 680, []Amount{1000, 1000}, 2001, 1000, 0, 0},
		{"empty pool", 680, nil, 1, 1000, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pool := selPool(tc.waste, tc.effs...)
			sel, _ := selectBnB(pool, tc.target, tc.window, MaxStandardTxWeight)
			if tc.wantInputs == 0 {
				if sel != nil {
					t.Fatalf("found %v", sel)
				}
				return
			}
			sum, _, _ := selSum(pool, sel)
			if sum != tc.wantSum || len(sel) != tc.wantInputs {
				t.Fatalf("got sum %d with %d inputs, want %d with %d", sum, len(sel), tc.wantSum, tc.wantInputs)
			}
		})
	}
}

func TestBnBClonesFindDeepSolution(t *testing.T) {
	// 500 equal coins: the clone rule keeps the search linear.
	effs := make([]Amount, 500)
	for i := range effs {
		effs[i] = 1000
	}
	pool := selPool(680, effs...)
	sel, _ := selectBnB(pool, 250_000, 0, MaxStandardTxWeight)
	if len(sel) != 250 {
		t.Fatalf("got %d inputs, want 250", len(sel))
	}
}

func TestBnBGivesUpWithoutSolution(t *testing.T) {
	// Even values and an odd target with no window: no solution, and the search space is far
	// larger than SearchTries.
	effs := make([]Amount, 60)
	for i := range effs {
		effs[i] = Amount(2 * (1000 + 37*i))
	}
	sel, _ := selectBnB(selPool(680, effs...), 500_001, 0, MaxStandardTxWeight)
	if sel != nil {
		t.Fatalf("found %v", sel)
	}
}

func TestBnBRespectsMaxWeight(t *testing.T) {
	pool := selPool(680, 1000, 1000, 1000, 1000)
	sel, over := selectBnB(pool, 3000, 0, 2*P2WPKH.InputWeight())
	if sel != nil || !over {
		t.Fatalf("got %v, over weight %v", sel, over)
	}
}

// TestBnBMatchesExhaustiveSearch checks on small pools that BnB finds the least-waste changeless
// set, by comparing with every subset it may consider: like Core's, the search stops adding coins
// once the target is reached, so a set qualifies only if it was short of the target before its
// last coin (in pool order).
func TestBnBMatchesExhaustiveSearch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rate := rapid.Int64Range(1, 60).Draw(t, "rate")
		n := rapid.IntRange(0, 11).Draw(t, "n")
		coins := make([]Coin, n)
		for i := range coins {
			ty := rapid.SampledFrom([]ScriptType{P2WPKH, P2TR, P2PKH, P2SHP2WPKH}).Draw(t, "type")
			coins[i] = selCoin(i, Amount(rapid.Int64Range(1, 60_000).Draw(t, "value")), ty)
		}
		req := selRequest(rate, selPayees(10_000), coins)
		p, err := prepare(req)
		if err != nil {
			t.Fatal(err)
		}
		pool := p.pool[:p.npos]
		target := Amount(rapid.Int64Range(1, 150_000).Draw(t, "target"))
		window := Amount(rapid.Int64Range(0, 5_000).Draw(t, "window"))
		maxW := Weight(rapid.Int64Range(1000, 4000).Draw(t, "maxWeight"))

		bestWaste, found := Amount(0), false
		for mask := 1; mask < 1<<len(pool); mask++ {
			var sel []int32
			for i := range pool {
				if mask&(1<<i) != 0 {
					sel = append(sel, int32(i))
				}
			}
			eff, waste, w := selSum(pool, sel)
			if eff < target || eff > target+window || w > maxW || eff-pool[sel[len(sel)-1]].eff >= target {
				continue
			}
			if waste += eff - target; !found || waste < bestWaste {
				bestWaste, found = waste, true
			}
		}
		sel, _ := selectBnB(pool, target, window, maxW)
		if !found {
			if sel != nil {
				t.Fatalf("BnB found %v where no subset fits", sel)
			}
			return
		}
		if sel == nil {
			t.Fatalf("BnB found nothing; best waste %d", bestWaste)
		}
		eff, waste, w := selSum(pool, sel)
		if eff < target || eff > target+window || w > maxW {
			t.Fatalf("BnB set out of bounds: eff %d weight %d", eff, w)
		}
		if waste+eff-target != bestWaste {
			t.Fatalf("BnB waste %d, best possible %d", waste+eff-target, bestWaste)
		}
		if slices.ContainsFunc(sel, func(i int32) bool { return pool[i].eff <= 0 }) {
			t.Fatal("BnB used a coin of non-positive effective value")
		}
	})
}

// TestSortPoolOrder checks both sort paths (small and radix) against the documented order.
func TestSortPoolOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 700).Draw(t, "n")
		spread := rapid.Int64Range(1, int64(MaxMoney)).Draw(t, "spread")
		pool := make([]utxo, n)
		for i := range pool {
			w := rapid.SampledFrom([]Weight{230, 272, 364, 592}).Draw(t, "weight")
			// Few distinct values so ties are common.
			eff := Amount(rapid.Int64Range(-1000, 1000).Draw(t, "eff")) * Amount(spread/1000+1)
			pool[i] = utxo{eff: eff, weight: w, coin: int32(i)}
		}
		sortPool(pool)
		for i := 1; i < n; i++ {
			a, b := pool[i-1], pool[i]
			if a.eff < b.eff || a.eff == b.eff && (a.weight > b.weight || a.weight == b.weight && a.coin > b.coin) {
				t.Fatalf("out of order at %d: %+v then %+v", i, a, b)
			}
		}
	})
}
