package txbuilder

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// At 2 sat/vB with the default rules (cheap below 2.5 sat/vB, at least 20 coins), merging n
// P2WPKH coins into one P2WPKH output weighs 42 + 124 + n x 272 WU (+8 past 252 inputs).
func TestCheapDayConsolidation(t *testing.T) {
	unconfirmed := func(c Coin) Coin { c.Confirmations = 0; return c }
	grouped := func(cs []Coin, g string) []Coin {
		out := slices.Clone(cs)
		for i := range out {
			out[i].Group = g
		}
		return out
	}
	many := func(n int, v Amount) []Coin { return selRepeatCoins(n, v) }
	tests := []struct {
		name       string
		coins      []Coin
		rate       int64 // sat/vB
		rules      CheapDayRules
		wantInputs int // 0: no plan
	}{
		{"cheap day merges every coin", many(25, 10_000), 2, DefaultCheapDayRules(), 25},
		{"not cheap at the threshold", many(25, 10_000), 3, DefaultCheapDayRules(), 0},
		{"too few coins to be worth a transaction", many(19, 10_000), 2, DefaultCheapDayRules(), 0},
		{"keep the largest", append(many(24, 10_000), selCoin(99, 5_000_000, P2WPKH)), 2,
			CheapDayRules{CheapPct: 25, KeepLargest: 1}, 24},
		{"unconfirmed coins wait", append(many(20, 10_000), unconfirmed(selCoin(50, 10_000, P2WPKH))), 2, DefaultCheapDayRules(), 20},
		{"uneconomical coins stay", append(many(20, 10_000), selCoin(60, 100, P2WPKH)), 2, DefaultCheapDayRules(), 20},
		{"coin guard below the long-term rate", many(130, 10_000), 8, DefaultCheapDayRules(), 31},
		{"coin guard off at the long-term rate", many(130, 10_000), 10, DefaultCheapDayRules(), 0},
		// The smallest unit is address "a" (two 3,000 sat coins): merging one unit merges both.
		{"an address's coins go together", append(many(19, 10_000), grouped(many(2, 3_000), "a")...), 2,
			CheapDayRules{CheapPct: 25, MinMerge: 2, KeepLargest: 19}, 2},
		{"an address with an unconfirmed coin waits whole", append(many(20, 10_000),
			grouped([]Coin{selCoin(70, 10_000, P2WPKH), unconfirmed(selCoin(71, 10_000, P2WPKH))}, "b")...), 2, DefaultCheapDayRules(), 20},
		{"standard weight caps the merge", many(2_000, 10_000), 1, DefaultCheapDayRules(), 1_469},
		// 440 sat less the 356 sat fee leaves 84 sat, below the 294 sat dust limit.
		{"merged value would be dust", many(2, 220), 2, CheapDayRules{CheapPct: 25, MinMerge: 2}, 0},
		// 2 coins at 9 sat/vB: 1,360 sat later, less 1,602 now and 680 for the merged coin.
		{"no saving near the long-term rate", many(101, 10_000)[:2], 9, CheapDayRules{CoinGuard: 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Distinct outpoints even where helpers restart the index.
			for i := range tc.coins {
				tc.coins[i].OutPoint.Index = uint32(i)
			}
			orig := slices.Clone(tc.coins)
			plan, ok := CheapDayConsolidation(tc.coins, SatPerVB(tc.rate), 0, P2WPKH, tc.rules)
			if !slices.Equal(orig, tc.coins) {
				t.Fatal("coins modified")
			}
			if tc.wantInputs == 0 {
				if ok {
					t.Fatalf("plan of %d inputs: %s", len(plan.Inputs), plan.Reason)
				}
				return
			}
			if !ok || len(plan.Inputs) != tc.wantInputs {
				t.Fatalf("ok %v, %d inputs, want %d", ok, len(plan.Inputs), tc.wantInputs)
			}
			var sum Amount
			var w Weight
			groups := map[string]int{}
			for _, c := range plan.Inputs {
				sum += c.Value
				w += c.InputWeight()
				if c.Confirmations < 1 || c.EffectiveValue(SatPerVB(tc.rate)) <= 0 {
					t.Fatalf("merged %+v", c)
				}
				groups[c.Group]++
			}
			if plan.Weight != EstimateTxWeight(len(plan.Inputs), 1, w, P2WPKH.OutputWeight()) || plan.Weight > MaxStandardTxWeight {
				t.Fatalf("weight %d", plan.Weight)
			}
			if plan.Fee != SatPerVB(tc.rate).FeeForWeight(plan.Weight) || plan.Value != sum-plan.Fee || plan.Saving <= 0 || plan.Reason == "" {
				t.Fatalf("fee %d value %d of %d saving %d reason %q", plan.Fee, plan.Value, sum, plan.Saving, plan.Reason)
			}
			for g, n := range groups {
				if g != "" && n != 2 {
					t.Fatalf("group %q split: %d merged", g, n)
				}
			}
			if groups["b"] != 0 {
				t.Fatal("merged an address holding an unconfirmed coin")
			}
		})
	}
}

// The first reproduction: a 400 sat tip from a wallet of 7 coins of different sizes at
// 1 sat/vB spent 5 of them. The default spends one; the old policy, asked for by name, merges.
func TestDefaultPaysFromTheCoinsItNeeds(t *testing.T) {
	coins := selWPKHCoins(1_000, 2_500, 4_000, 8_000, 30_000, 250_000, 1_000_000)
	for seed := range uint64(20) {
		req := selRequest(1, selPayees(400), coins)
		req.Rand = rand.New(rand.NewPCG(seed, seed))
		sel, err := SatchelPolicy().Select(req)
		if err != nil {
			t.Fatal(err)
		}
		checkSelection(t, pricedAs(SatchelPolicy(), req), sel)
		if len(sel.Inputs) != 1 || sel.ConsolidationFee != 0 || ExtraInputs(req, sel) != 0 {
			t.Fatalf("seed %d: %d inputs (%s), consolidation fee %d", seed, len(sel.Inputs), sel.Algorithm, sel.ConsolidationFee)
		}
	}
	req := selRequest(1, selPayees(400), coins)
	sel, err := SatchelMergePolicy().Select(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Inputs) < 5 || sel.ConsolidationFee == 0 || ExtraInputs(req, sel) == 0 {
		t.Fatalf("satchel-merge: %d inputs, consolidation fee %d", len(sel.Inputs), sel.ConsolidationFee)
	}
}

func TestCoinsOnOneAddressAreSpentTogether(t *testing.T) {
	// Two coins on address "a" (30,000 + 5,000) and a lone 40,000: at 20 sat/vB the lone coin
	// alone would pay 25,000 with the least weight, but the default policy treats "a" as one
	// 35,000 sat unit and either spends both of its coins or neither.
	coins := selWPKHCoins(30_000, 5_000, 40_000)
	coins[0].Group, coins[1].Group = "a", "a"
	for seed := range uint64(30) {
		req := selRequest(20, selPayees(25_000), coins)
		req.Rand = rand.New(rand.NewPCG(seed, 1))
		for _, pol := range []Policy{SatchelPolicy(), CorePolicy()} {
			sel, err := pol.Select(req)
			if err != nil {
				t.Fatal(err)
			}
			checkSelection(t, pricedAs(pol, req), sel)
			if pol.Name() == "satchel" && slices.Contains(sel.Inputs, coins[0]) != slices.Contains(sel.Inputs, coins[1]) {
				t.Fatalf("seed %d: %s split address a: %v", seed, pol.Name(), sel.Inputs)
			}
		}
	}
	// Core's grouped second attempt sees "a" whole: with only the two coins of "a", paying
	// 31,000 needs both either way, so both attempts agree and the fee is the two-input one.
	req := selRequest(20, selPayees(31_000), coins[:2])
	sel, err := CorePolicy().Select(req)
	if err != nil || len(sel.Inputs) != 2 {
		t.Fatalf("core: %v, %d inputs", err, len(sel.Inputs))
	}
}

func TestGroupsOfOneChangeNothing(t *testing.T) {
	// A wallet without address reuse: every coin its own group. Every policy selects exactly as
	// with no groups, so Core's fidelity to its published runs is untouched.
	coins := make([]Coin, 40)
	for i := range coins {
		coins[i] = selCoin(i, Amount(1_000+i*7_919%200_000), P2WPKH)
	}
	named := slices.Clone(coins)
	for i := range named {
		named[i].Group = string(rune('A' + i))
	}
	for _, pol := range allPolicies() {
		for seed := range uint64(10) {
			a := selRequest(12, selPayees(150_000), coins)
			a.Rand = rand.New(rand.NewPCG(seed, 0))
			b := selRequest(12, selPayees(150_000), named)
			b.Rand = rand.New(rand.NewPCG(seed, 0))
			sa, errA := pol.Select(a)
			sb, errB := pol.Select(b)
			if (errA == nil) != (errB == nil) || len(sa.Inputs) != len(sb.Inputs) || sa.Fee != sb.Fee || sa.Algorithm != sb.Algorithm {
				t.Fatalf("%s seed %d: %d inputs fee %d (%s) vs %d inputs fee %d (%s)", pol.Name(), seed,
					len(sa.Inputs), sa.Fee, sa.Algorithm, len(sb.Inputs), sb.Fee, sb.Algorithm)
			}
			for i := range sa.Inputs {
				if sa.Inputs[i].OutPoint != sb.Inputs[i].OutPoint {
					t.Fatalf("%s seed %d: input %d differs", pol.Name(), seed, i)
				}
			}
		}
	}
}

func TestExtraInputs(t *testing.T) {
	coins := selWPKHCoins(50_000, 3_000, 2_000, 2_000)
	coins[2].Group, coins[3].Group = "g", "g"
	tests := []struct {
		name     string
		inputs   []Coin
		required []Coin
		want     int
	}{
		{"one coin that pays", coins[:1], nil, 0},
		{"a small coin besides it", coins[:2], nil, 1},
		{"an address's two coins count together", []Coin{coins[0], coins[2], coins[3]}, nil, 2},
		{"required coins are the caller's choice", coins[:2], coins[1:2], 0},
		// 40,000 needs the 50,000 coin; without the 3,000 one the rest still pays.
		{"every coin needed", []Coin{coins[1], coins[2], coins[3]}, nil, 0},
	}
	for _, tc := range tests {
		pay := Amount(10_000)
		if tc.name == "every coin needed" {
			pay = 6_500
		}
		req := selRequest(5, selPayees(pay), nil)
		req.Required = tc.required
		if got := ExtraInputs(req, Selection{Inputs: tc.inputs}); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
