package txbuilder

import (
	"testing"

	"pgregory.net/rapid"
)

func TestCoinGrinderHandExamples(t *testing.T) {
	// At 50 sat/vB: P2PKH 148 vB, P2WPKH 68 vB, P2TR 58 vB inputs.
	coins := []Coin{
		selCoin(0, 200_000, P2PKH),  // 593 WU
		selCoin(1, 110_000, P2WPKH), // 106,600, 272 WU
		selCoin(2, 100_000, P2TR),   // 97,100, 230 WU
		selCoin(3, 60_000, P2TR),    // 57,100, 230 WU
	}
	req := selRequest(50, selPayees(100_000), coins)
	p, err := prepare(req)
	if err != nil {
		t.Fatal(err)
	}
	sel, _ := selectCoinGrinder(p.pool, 150_000, 0, MaxStandardTxWeight)
	_, _, w := selSum(p.pool, sel)
	// The lone P2PKH coin (593 WU) and P2WPKH+P2TR (502 WU) fund 150,000 too, but the two
	// P2TR coins (460 WU) are lightest.
	if w != 2*P2TR.InputWeight() {
		t.Fatalf("weight %d, want the P2TR pair", w)
	}
	// With a goal only P2TR+P2TR+P2WPKH or P2PKH+anything reach, the three light coins
	// (732 WU) beat P2PKH plus the lightest helper (822 WU).
	sel, _ = selectCoinGrinder(p.pool, 240_000, 0, MaxStandardTxWeight)
	eff, _, w := selSum(p.pool, sel)
	if eff < 240_000 || w != P2WPKH.InputWeight()+2*P2TR.InputWeight() {
		t.Fatalf("eff %d weight %d", eff, w)
	}
	// Too little in total.
	if sel, _ := selectCoinGrinder(p.pool, 1_000_000, 0, MaxStandardTxWeight); sel != nil {
		t.Fatalf("found %v", sel)
	}
	// Weight limit below any solution.
	if sel, over := selectCoinGrinder(p.pool, 150_000, 0, 400); sel != nil || !over {
		t.Fatalf("found %v over %v", sel, over)
	}
}

func TestCoinGrinderEqualWeightPrefersLessValue(t *testing.T) {
	pool := selPool(680, 90_000, 60_000, 55_000)
	sel, _ := selectCoinGrinder(pool, 50_000, 0, MaxStandardTxWeight)
	if eff, _, _ := selSum(pool, sel); len(sel) != 1 || eff != 55_000 {
		t.Fatalf("got %d inputs worth %d", len(sel), eff)
	}
}

// TestCoinGrinderMatchesExhaustiveSearch checks on small mixed-type pools that CoinGrinder finds
// the lightest funding set (then the smallest amount), by comparing with every subset.
func TestCoinGrinderMatchesExhaustiveSearch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rate := rapid.Int64Range(31, 300).Draw(t, "rate")
		n := rapid.IntRange(0, 11).Draw(t, "n")
		coins := make([]Coin, n)
		for i := range coins {
			ty := rapid.SampledFrom([]ScriptType{P2WPKH, P2TR, P2PKH, P2SHP2WPKH}).Draw(t, "type")
			// Few distinct values, so clones occur.
			v := Amount(rapid.SampledFrom([]int64{30_000, 50_000, 70_000, 120_000, 400_000}).Draw(t, "value"))
			coins[i] = selCoin(i, v, ty)
		}
		p, err := prepare(selRequest(rate, selPayees(10_000), coins))
		if err != nil {
			t.Fatal(err)
		}
		pool := p.pool[:p.npos]
		goal := Amount(rapid.Int64Range(1, 800_000).Draw(t, "goal"))
		maxW := Weight(rapid.Int64Range(500, 4000).Draw(t, "maxWeight"))

		bestW, bestAmt, found := Weight(0), Amount(0), false
		for mask := 1; mask < 1<<len(pool); mask++ {
			var sel []int32
			for i := range pool {
				if mask&(1<<i) != 0 {
					sel = append(sel, int32(i))
				}
			}
			eff, _, w := selSum(pool, sel)
			if eff < goal || w > maxW {
				continue
			}
			if !found || w < bestW || (w == bestW && eff < bestAmt) {
				bestW, bestAmt, found = w, eff, true
			}
		}
		sel, _ := selectCoinGrinder(pool, goal, 0, maxW)
		if !found {
			if sel != nil {
				t.Fatalf("found %v where nothing fits", sel)
			}
			return
		}
		eff, _, w := selSum(pool, sel)
		if sel == nil || w != bestW || eff != bestAmt {
			t.Fatalf("got weight %d amount %d, best %d %d", w, eff, bestW, bestAmt)
		}
	})
}
