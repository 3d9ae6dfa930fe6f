package txbuilder

import (
	"math/rand/v2"
	"testing"
)

func TestSRDReachesPaddedTarget(t *testing.T) {
	pool := selPool(680, 80_000, 60_000, 40_000, 20_000, 10_000)
	for seed := range uint64(200) {
		sel, _ := selectSRD(pool, 95_000, MaxStandardTxWeight, rand.New(rand.NewPCG(seed, 1)))
		eff, _, _ := selSum(pool, sel)
		if eff < 95_000 {
			t.Fatalf("seed %d: %d below target", seed, eff)
		}
		// Random order stops as soon as the target is reached: every coin but the last drawn was
		// needed, so dropping the smallest falls below target or it was drawn last.
		if len(sel) > 4 {
			t.Fatalf("seed %d: %d inputs", seed, len(sel))
		}
	}
	if sel, _ := selectSRD(pool, 210_001, MaxStandardTxWeight, rand.New(rand.NewPCG(1, 1))); sel != nil {
		t.Fatalf("found %v beyond the pool's total", sel)
	}
}

func TestSRDDropsSmallestOverWeight(t *testing.T) {
	pool := selPool(680, 50_000, 40_000, 30_000, 1000, 1000, 1000, 1000, 1000, 1000, 1000)
	for seed := range uint64(50) {
		sel, _ := selectSRD(pool, 115_000, 3*P2WPKH.InputWeight(), rand.New(rand.NewPCG(seed, 2)))
		if eff, _, _ := selSum(pool, sel); len(sel) != 3 || eff != 120_000 {
			t.Fatalf("seed %d: %d inputs worth %d, want the three largest", seed, len(sel), eff)
		}
	}
}

func TestSRDDrawsUniformly(t *testing.T) {
	// Every coin covers the target alone, so the first draw decides.
	pool := selPool(680, 40_000, 30_000, 20_000, 10_000)
	rng := rand.New(rand.NewPCG(9, 9))
	counts := map[Amount]int{}
	for range 4000 {
		sel, _ := selectSRD(pool, 5_000, MaxStandardTxWeight, rng)
		counts[pool[sel[0]].eff]++
	}
	for v, c := range counts {
		if c < 850 || c > 1150 {
			t.Fatalf("coin %d drawn %d times of 4000", v, c)
		}
	}
}
