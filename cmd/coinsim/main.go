// Command coinsim replays coin-selection scenarios through satchel's policies and reports what
// each costs: fees, coins left, and the total cost of a wallet's life.
//
//	coinsim SCENARIO... [--policy core|satchel|all] [--type wpkh|tr] [--seed N] [--runs N]
//	        [--json] [--feerates FILE] [--jobs N] [--include-uneconomical] [--discard-feerate R]
//
// A SCENARIO is a combined file ("amount_BTC,feerate_BTC_per_kvB" per line) or, with --feerates,
// a payments file (one signed amount in BTC per line) paired line by line with the fee rates.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/txbuilder/sim"
)

type options struct {
	policy              string
	typ                 string
	seed                uint64
	runs                int
	jobs                int
	json                bool
	feerates            string
	includeUneconomical bool
	discard             string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cmd := newCommand(os.Stdout)
	cmd.SetContext(ctx)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "coinsim:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line (exit 2).
type usageError struct{ error }

func newCommand(out io.Writer) *cobra.Command {
	var o options
	c := &cobra.Command{
		Use:   "coinsim SCENARIO...",
		Short: "Replay coin-selection scenarios through satchel's policies",
		Long: `coinsim replays deposits and payments through the same coin selection that satchel send
uses and reports, per scenario and policy: payments made and refused (with why), total fees, mean
fee, coins at the end and on average, changeless payments, inputs per payment, cost to empty (coins
left x input size x 10 sat/vB), total cost (fees + cost to empty), uneconomical change made and
which algorithm won each payment. Several runs (--runs) use seeds N, N+1, ... and report means with
their spread.

A combined SCENARIO has one "amount_BTC,feerate_BTC_per_kvB" per line: a positive amount is a
deposit, a negative one a payment, 0 nothing; one block is mined after every line. With --feerates,
each SCENARIO is a payments file (one signed amount per line) paired line by line with the fee
rates, which are cycled; deposits use up a fee rate line too.`,
		Example:       "  coinsim payments/bustabit-tiny-hot-wallet.csv --feerates feerates/peak-and-tail.csv --runs 5\n  coinsim tips/tips-sender.csv --policy all --json",
		Args:          cobra.MinimumNArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(cmd.Context(), out, args, o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.policy, "policy", "all", "policy to replay: core, satchel or all")
	f.StringVar(&o.typ, "type", "wpkh", "the wallet's script type: wpkh or tr")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the first run")
	f.IntVar(&o.runs, "runs", 1, "runs per scenario and policy, with seeds seed, seed+1, ...")
	f.IntVar(&o.jobs, "jobs", 1, "runs to replay at the same time")
	f.BoolVar(&o.json, "json", false, "print one JSON object per line per scenario and policy")
	f.StringVar(&o.feerates, "feerates", "", "fee rates FILE (BTC/kvB per line): SCENARIOs are then payments files")
	f.BoolVar(&o.includeUneconomical, "include-uneconomical", false, "let payments spend coins worth less than their spending cost, as satchel send --include-uneconomical")
	f.StringVar(&o.discard, "discard-feerate", "", "override the discard fee rate (sat/vB) of every request, as Core's estimator did in the published runs; satchel send uses the default, 10")
	c.SetOut(out)
	return c
}

func run(ctx context.Context, out io.Writer, args []string, o options) error {
	if o.runs < 1 || o.jobs < 1 {
		return usageError{errors.New("--runs and --jobs must be at least 1")}
	}
	var typ txbuilder.ScriptType
	switch o.typ {
	case "wpkh":
		typ = txbuilder.P2WPKH
	case "tr":
		typ = txbuilder.P2TR
	default:
		return usageError{fmt.Errorf("--type %q: use wpkh or tr", o.typ)}
	}
	var pols []txbuilder.Policy
	switch o.policy {
	case "all":
		pols = []txbuilder.Policy{txbuilder.CorePolicy(), txbuilder.SatchelPolicy()}
	default:
		p, ok := txbuilder.Policies()[o.policy]
		if !ok {
			return usageError{fmt.Errorf("--policy %q: use core, satchel or all", o.policy)}
		}
		pols = []txbuilder.Policy{p}
	}
	cfg := sim.Config{Type: typ, Seed: o.seed, IncludeUneconomical: o.includeUneconomical}
	if o.discard != "" {
		r, err := txbuilder.ParseFeeRate(o.discard)
		if err != nil {
			return usageError{fmt.Errorf("--discard-feerate: %w", err)}
		}
		cfg.DiscardFeeRate = r
	}
	for _, path := range args {
		sc, err := load(path, o.feerates)
		if err != nil {
			return err
		}
		var sums []sim.Summary
		for _, pol := range pols {
			results, err := sim.RunSeeds(ctx, sc, pol, cfg, o.runs, o.jobs)
			if err != nil {
				return err
			}
			s := sim.Summarize(sc.Name, pol.Name(), o.typ, o.seed, results)
			s.DiscardFeeRateKv = int64(cfg.DiscardFeeRate)
			if o.json {
				b, err := json.Marshal(s)
				if err != nil {
					return fmt.Errorf("encode %s: %w", sc.Name, err)
				}
				if _, err := fmt.Fprintf(out, "%s\n", b); err != nil {
					return err
				}
				continue
			}
			sums = append(sums, s)
		}
		if !o.json {
			if err := writeTable(out, sums); err != nil {
				return err
			}
		}
	}
	return nil
}

// load reads a combined scenario, or a payments file paired with feerates when that is set.
func load(path, feerates string) (*sim.Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if feerates == "" {
		return sim.ParseCombined(path, f)
	}
	g, err := os.Open(feerates)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	return sim.ParseSplit(path, f, feerates, g)
}

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
	fmt.Fprintf(&b, "%-8s %8s %7s %12s %8s %10s %9s %9s %10s %7s %10s %12s %25s %7s\n",
		"policy", "payments", "refused", "fees_BTC", "fee/pay", "utxos_end", "mean_utxo", "changelss",
		"inputs/pay", "unecon", "empty_sat", "total_BTC", "total_sat_min-max", "±sd%")
	for _, s := range sums {
		sd := 0.0
		if s.TotalCost > 0 {
			sd = 100 * s.TotalCostSpread.StdDev / s.TotalCost
		}
		fmt.Fprintf(&b, "%-8s %8.0f %7.1f %12.5f %8.0f %10.1f %9.1f %9.1f %10.3f %7.1f %10.0f %12.5f %25s %7.2f\n",
			s.Policy, s.Payments, s.Refused, s.TotalFees/1e8, s.MeanFee, s.UTXOsEnd, s.MeanUTXOs, s.Changeless,
			s.MeanInputs, s.UneconomicalChg, s.CostToEmpty, s.TotalCost/1e8,
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
