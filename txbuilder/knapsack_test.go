package txbuilder

import (
	"math/rand/v2"
	"testing"
)

func TestKnapsackHandExamples(t *testing.T) {
	tests := []struct {
		name       string
		effs       []Amount
		target, ct Amount
		wantSum    Amount
		wantInputs int
	}{
		{"single coin equal to target", []Amount{5000, 3000, 2000}, 3000, 0, 3000, 1},
		// Smaller coins total 2,000: the smallest larger coin pays.
		{"smaller coins insufficient", []Amount{50_000, 20_000, 1000, 1000}, 10_000, 0, 20_000, 1},
		// {6000,3000} and {5000,4000} hit 9,000 exactly.
		{"exact subset", []Amount{6000, 5000, 4000, 3000}, 9000, 0, 9000, 2},
		// The best subset overshoots to 10,000; the larger coin overshoots less.
		{"lowest larger is closer", []Amount{9100, 6000, 4000}, 9000, 0, 9100, 1},
		// No subset hits 50,000 exactly, so Core searches again for 50,000 + 20,000 of change:
		// 60,000 + 25,000.
		{"second search for change target", []Amount{60_000, 30_000, 25_000}, 50_000, 20_000, 85_000, 2},
		// Only the smaller coins together sum to exactly the target.
		{"all smaller coins equal target", []Amount{40_000, 3000, 2000}, 5000, 0, 5000, 2},
		// Core's Knapsack spends coins of negative effective value: pass 2 reaches 14,500 via
		// -500, closer than 15,000.
		{"spends uneconomical coin", []Amount{10_000, 5_000, -500}, 14_000, 0, 14_500, 3},
		{"insufficient", []Amount{1000, 1000}, 5000, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pool := selPool(680, tc.effs...)
			var s subsetSearch
			sel, _ := selectKnapsack(pool, tc.target, tc.ct, MaxStandardTxWeight, rand.New(rand.NewPCG(5, 6)), &s)
			sum, _, _ := selSum(pool, sel)
			if sum != tc.wantSum || len(sel) != tc.wantInputs {
				t.Fatalf("got sum %d with %d inputs, want %d with %d", sum, len(sel), tc.wantSum, tc.wantInputs)
			}
		})
	}
}

// naiveSubset is Core's ApproximateBestSubset written plainly: a coin flip per coin in pass 1,
// every left-out coin in pass 2. It returns the best sum.
func naiveSubset(vals []Amount, total, target Amount, iterations int, rng *rand.Rand) Amount {
	best := total
	incl := make([]bool, len(vals))
	for rep := 0; rep < iterations && best != target; rep++ {
		clear(incl)
		var sum Amount
		reached := false
		for pass := 0; pass < 2 && !reached; pass++ {
			for i, v := range vals {
				if pass == 0 && rng.IntN(2) == 0 || pass == 1 && incl[i] {
					continue
				}
				sum += v
				incl[i] = true
				if sum >= target {
					reached = true
					best = min(best, sum)
					sum -= v
					incl[i] = false
				}
			}
		}
	}
	return best
}

// TestSubsetSearchMatchesCoreDistribution checks that the skipping search yields the same
// distribution of results as Core's coin-by-coin version.
func TestSubsetSearchMatchesCoreDistribution(t *testing.T) {
	tests := []struct {
		name       string
		vals       []Amount
		target     Amount
		iterations int
	}{
		{"many candidates", []Amount{7000, 5000, 4000, 3000, 2000, 2000, 1000}, 9000, 1},
		{"pass 2 often needed", []Amount{4000, 3000, 2000, 1000}, 6500, 1},
		{"negative values", []Amount{6000, 3000, 2500, 1000, -300, -700}, 8200, 1},
		{"a few iterations", []Amount{9000, 6500, 5000, 3300, 2100, 1700, 800, 450}, 12_345, 3},
	}
	const runs = 20_000
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var total Amount
			for _, v := range tc.vals {
				total += v
			}
			pool := selPool(0, tc.vals...)
			naive, fast := map[Amount]int{}, map[Amount]int{}
			rng := rand.New(rand.NewPCG(11, 12))
			var s subsetSearch
			for range runs {
				naive[naiveSubset(tc.vals, total, tc.target, tc.iterations, rng)]++
				s.reset(pool, rng)
				_, _, got := s.run(total, tc.target, tc.iterations)
				fast[got]++
			}
			for sum := range unionKeys(naive, fast) {
				a, b := float64(naive[sum])/runs, float64(fast[sum])/runs
				if d := a - b; d > 0.02 || d < -0.02 {
					t.Errorf("best sum %d: Core-style %.3f, fast %.3f", sum, a, b)
				}
			}
		})
	}
}

func unionKeys(a, b map[Amount]int) map[Amount]bool {
	out := map[Amount]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func TestBitSourceIsFair(t *testing.T) {
	b := bitSource{r: rand.New(rand.NewPCG(1, 1))}
	counts := make([]int, 4)
	for range 40_000 {
		if n := b.tails(); n < len(counts) {
			counts[n]++
		}
	}
	// Geometric(1/2): 20,000, 10,000, 5,000, 2,500.
	for i, want := range []int{20_000, 10_000, 5_000, 2_500} {
		if d := counts[i] - want; d > want/10 || d < -want/10 {
			t.Fatalf("%d tails: %d times, want about %d", i, counts[i], want)
		}
	}
}
