package sim

import (
	"context"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// BenchmarkAblation replays both bustabit runs with seeds 1-5 through SatchelPolicy with one
// field changed per variant, and reports each variant's mean total cost, coins left and
// consolidations: the ablation table of BENCHMARKS.md.
//
//	go test ./txbuilder/sim -run '^$' -bench Ablation -benchtime 1x
func BenchmarkAblation(b *testing.B) {
	variants := []struct {
		name string
		edit func(*txbuilder.Portfolio)
	}{
		{"default", func(*txbuilder.Portfolio) {}},
		{"cheap23", func(p *txbuilder.Portfolio) { p.CheapPct = 23 }},
		{"cheap30", func(p *txbuilder.Portfolio) { p.CheapPct = 30 }},
		{"minmerge0", func(p *txbuilder.Portfolio) { p.MinMerge = 0 }},
		{"keep2", func(p *txbuilder.Portfolio) { p.KeepLargest = 2 }},
		{"previous-rules", func(p *txbuilder.Portfolio) { p.CheapPct, p.KeepLargest, p.MinMerge = 30, 2, 0 }},
		{"not-minimal", func(p *txbuilder.Portfolio) { p.Minimal = false }},
	}
	scs := benchScenarios(b)[:2]
	for _, v := range variants {
		pol := txbuilder.SatchelPolicy().(txbuilder.Portfolio)
		v.edit(&pol)
		for _, sc := range scs {
			b.Run(v.name+"/"+sc.Name, func(b *testing.B) {
				var s Summary
				for b.Loop() {
					runs, err := RunSeeds(context.Background(), sc, pol, Config{Seed: 1}, 5, 2)
					if err != nil {
						b.Fatal(err)
					}
					s = Summarize(sc.Name, v.name, "wpkh", 1, runs)
				}
				b.ReportMetric(s.TotalCost, "total_cost_sat")
				b.ReportMetric(s.UTXOsEnd, "utxos_end")
				b.ReportMetric(s.Consolidations, "consolidations")
			})
		}
	}
}
