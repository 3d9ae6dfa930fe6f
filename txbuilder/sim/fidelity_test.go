package sim

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// TestCorePolicyMatchesPublishedBaseline pins CorePolicy to Bitcoin Core's published 2022
// baseline (260ede1, mean of 5 runs; achow101/coin-selection-simulation PR #10, see
// BENCHMARKS.md): replayed with seeds 1-5 and the simulator's defaults (discard fee rate 10
// sat/vB, no fitted override), mean total cost and mean fees must stay within 2% of Core's on
// both bustabit runs, so a change to the shared selection code cannot drift the baseline every
// other figure is compared with. About 10 s of CPU; skipped with -short.
func TestCorePolicyMatchesPublishedBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 2 x 5 runs of 15,081 lines")
	}
	published := []struct {
		rates           string
		fees, totalCost float64 // sat
	}{
		{"feerates/2019-2020-per-day.csv", 49_495_000, 49_579_000},
		{"feerates/peak-and-tail.csv", 10_729_000, 10_743_000},
	}
	for _, pub := range published {
		pf, err := os.Open(testdata + "payments/bustabit-tiny-hot-wallet.csv")
		if err != nil {
			t.Fatal(err)
		}
		ff, err := os.Open(testdata + pub.rates)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := ParseSplit(pf.Name(), pf, ff.Name(), ff)
		pf.Close()
		ff.Close()
		if err != nil {
			t.Fatal(err)
		}
		runs, err := RunSeeds(context.Background(), sc, txbuilder.CorePolicy(), Config{Seed: 1}, 5, 2)
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(sc.Name, "core", "wpkh", 1, runs)
		for _, m := range []struct {
			name      string
			got, want float64
		}{{"fees", s.TotalFees, pub.fees}, {"total cost", s.TotalCost, pub.totalCost}} {
			if dev := m.got/m.want - 1; math.Abs(dev) > 0.02 {
				t.Errorf("%s: core %s %.0f sat, published %.0f: %+.2f%%, over 2%%", sc.Name, m.name, m.got, m.want, 100*dev)
			} else {
				t.Logf("%s: core %s %.0f sat, published %.0f: %+.2f%%", sc.Name, m.name, m.got, m.want, 100*dev)
			}
		}
	}
}
