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
fee, the fees and number of the policy's cheap-day consolidations (transactions of their own,
made after each line with a fee rate when the policy's rules say so), coins at the end and on
average, changeless payments, inputs per payment, coins revealed per payment (inputs the payment
could have done without), cost to empty (coins left x input size x 10 sat/vB), total cost (fees
+ consolidations + cost to empty), uneconomical change made and which algorithm won each
payment. Several runs (--runs) use seeds N, N+1, ... and report means with
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
	f.StringVar(&o.policy, "policy", "all", "policy to replay: core, satchel (the default), satchel-merge or all")
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
		for _, name := range txbuilder.PolicyNames() {
			pols = append(pols, txbuilder.Policies()[name])
		}
	default:
		p, ok := txbuilder.Policies()[o.policy]
		if !ok {
			return usageError{fmt.Errorf("--policy %q: use %s or all", o.policy, strings.Join(txbuilder.PolicyNames(), ", "))}
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
