package sim

import (
	"context"
	"os"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// benchScenarios are the four workloads BENCHMARKS.md reports, from testdata/sim.
func benchScenarios(b *testing.B) []*Scenario {
	b.Helper()
	open := func(path string) *os.File {
		f, err := os.Open(testdata + path)
		if err != nil {
			b.Fatal(err)
		}
		return f
	}
	var out []*Scenario
	for _, rates := range []string{"feerates/2019-2020-per-day.csv", "feerates/peak-and-tail.csv"} {
		pf, ff := open("payments/bustabit-tiny-hot-wallet.csv"), open(rates)
		sc, err := ParseSplit(pf.Name(), pf, ff.Name(), ff)
		pf.Close()
		ff.Close()
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, sc)
	}
	for _, path := range []string{"tips/tips-sender.csv", "tips/tips-receiver.csv"} {
		f := open(path)
		sc, err := ParseCombined(f.Name(), f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, sc)
	}
	return out
}

// BenchmarkReplay replays each workload once per iteration and policy (seed = iteration) and
// reports its costs, so a long simulation runs only when asked for:
//
//	go test ./txbuilder/sim -run '^$' -bench Replay -benchtime 5x
//
// The reported metrics are means over the iterations; cmd/coinsim gives the full table.
func BenchmarkReplay(b *testing.B) {
	for _, sc := range benchScenarios(b) {
		for _, pol := range []txbuilder.Policy{txbuilder.CorePolicy(), txbuilder.SatchelPolicy()} {
			b.Run(sc.Name+"/"+pol.Name(), func(b *testing.B) {
				var cost, fees, coins float64
				n := 0
				for b.Loop() {
					res, err := Run(context.Background(), sc, pol, Config{Seed: uint64(n + 1)})
					if err != nil {
						b.Fatal(err)
					}
					cost += float64(res.TotalCost())
					fees += float64(res.Fees)
					coins += float64(res.CoinsEnd)
					n++
				}
				b.ReportMetric(cost/float64(n), "total_cost_sat")
				b.ReportMetric(fees/float64(n), "fees_sat")
				b.ReportMetric(coins/float64(n), "utxos_end")
			})
		}
	}
}
