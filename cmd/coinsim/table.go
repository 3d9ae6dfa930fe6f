package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/txbuilder/sim"
)

// writeTable prints one block per scenario: a row per policy with the main figures, then the
// refusals and the algorithms that won.
func writeTable(out io.Writer, sums []sim.Summary) error {
	if len(sums) == 0 {
		return nil
	}
	var b strings.Builder
	s0 := sums[0]
	seeds := fmt.Sprintf("seed %d", s0.Seed)
	if s0.Runs > 1 {
		seeds = fmt.Sprintf("seeds %d-%d", s0.Seed, s0.Seed+uint64(s0.Runs)-1)
	}
	discard := ""
	if s0.DiscardFeeRateKv > 0 {
		discard = fmt.Sprintf(", discard fee rate %s sat/vB", txbuilder.FeeRate(s0.DiscardFeeRateKv))
	}
	fmt.Fprintf(&b, "%s (%s, %d ops, %d run(s), %s%s; means, total cost min-max)\n", s0.Scenario, s0.Type, s0.Ops, s0.Runs, seeds, discard)
	fmt.Fprintf(&b, "%-13s %8s %7s %12s %8s %11s %6s %10s %9s %9s %10s %9s %7s %10s %12s %25s %7s\n",
		"policy", "payments", "refused", "fees_BTC", "fee/pay", "consol_BTC", "consol", "utxos_end", "mean_utxo", "changelss",
		"inputs/pay", "reveal/pay", "unecon", "empty_sat", "total_BTC", "total_sat_min-max", "±sd%")
	for _, s := range sums {
		sd := 0.0
		if s.TotalCost > 0 {
			sd = 100 * s.TotalCostSpread.StdDev / s.TotalCost
		}
		fmt.Fprintf(&b, "%-13s %8.0f %7.1f %12.5f %8.0f %11.5f %6.1f %10.1f %9.1f %9.1f %10.3f %9.3f %7.1f %10.0f %12.5f %25s %7.2f\n",
			s.Policy, s.Payments, s.Refused, s.TotalFees/1e8, s.MeanFee, s.ConsolidationFees/1e8, s.Consolidations,
			s.UTXOsEnd, s.MeanUTXOs, s.Changeless, s.MeanInputs, s.ExtraPerPayment, s.UneconomicalChg, s.CostToEmpty, s.TotalCost/1e8,
			fmt.Sprintf("%.0f-%.0f", s.TotalCostSpread.Min, s.TotalCostSpread.Max), sd)
	}
	for _, s := range sums {
		var parts []string
		for _, k := range sim.Keys(s.ByAlgorithm) {
			parts = append(parts, fmt.Sprintf("%s %.1f", k, s.ByAlgorithm[k]))
		}
		line := fmt.Sprintf("  %s won: %s", s.Policy, strings.Join(parts, ", "))
		if len(s.RefusedBy) > 0 {
			parts = parts[:0]
			for _, k := range sim.Keys(s.RefusedBy) {
				parts = append(parts, fmt.Sprintf("%s %.1f", k, s.RefusedBy[k]))
			}
			line += "; refused: " + strings.Join(parts, ", ")
		}
		fmt.Fprintln(&b, line)
	}
	fmt.Fprintln(&b)
	_, err := io.WriteString(out, b.String())
	return err
}
