package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// txSession opens the wallet, syncs it and reads the fee rate: --fee-rate, else the backend's
// estimate for target blocks. The backend is required unless planOnly or the wallet is
// watch-only. check, when not nil, looks at the command's input against the synced wallet
// before any fee rate is asked for: a txid that is not ours or an empty tip queue is said
// first, not hidden behind "give --fee-rate".
func (a *App) txSession(cmd *cobra.Command, feeRate string, target int, planOnly bool, check func(*wallet.Wallet) error) (*wallet.Wallet, chain.Backend, txbuilder.FeeRate, error) {
	if f := cmd.Flags().Lookup("target"); f != nil && !f.Changed {
		// No --target: the fee-target setting (env, wallet or global config) decides.
		if v, _, err := a.lookupSetting("", "fee-target"); err == nil && v != "" {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				target = n
			}
		}
	}
	var rate txbuilder.FeeRate
	if feeRate != "" {
		r, err := parseFeeRateFlag("--fee-rate", feeRate)
		if err != nil {
			return nil, nil, 0, err
		}
		if r > wallet.MaxFeeRate {
			return nil, nil, 0, &codedError{exit: exitCannotPay, code: "fee_guard", err: fmt.Errorf("--fee-rate %s sat/vB is above 1,000 sat/vB, which satchel never pays", r)}
		}
		rate = r
	}
	w, err := a.openWallet(true)
	if err != nil {
		return nil, nil, 0, err
	}
	// A watch-only wallet signs and sends nothing: its sends end in an unsigned PSBT, which
	// needs neither consent nor the network.
	planOnly = planOnly || w.Meta().WatchOnly
	if !planOnly && !a.flags.yes && !a.canPrompt() {
		// What is wrong with the input is said before the missing --yes: adding --yes only to
		// hear then that the txid is not ours wastes a try. The wallet as it is answers that:
		// a sync never makes a payment ours (bump-fee and abandon need one this wallet sent)
		// nor fills the tip queue.
		if check != nil {
			if err := check(w); err != nil {
				w.Close()
				return nil, nil, 0, err
			}
		}
		w.Close()
		return nil, nil, 0, usagef("confirmation_needed", "not a terminal: nothing is sent without --yes (or use --dry-run to see the plan)")
	}
	if a.flags.offline && !planOnly {
		w.Close()
		return nil, nil, 0, usagef("offline", "sending needs the network: drop --offline, or add --dry-run to plan")
	}
	// Without a backend nothing can be sent: say that alone, not first "answering from local
	// state" as a plan would.
	raw, rawErr := a.backendURL(w)
	if !planOnly && rawErr == nil && raw == "" {
		w.Close()
		return nil, nil, 0, usagef("no_backend", "sending needs a backend: give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL")
	}
	// When no sync will run (--offline, or no backend for a plan), the check sees what it
	// would see after one: a command with nothing to do says that alone, not first the
	// warning that it answers from local state.
	if check != nil && (a.flags.offline || rawErr == nil && raw == "") {
		if err := check(w); err != nil {
			w.Close()
			return nil, nil, 0, err
		}
		check = nil
	}
	_, be, err := a.syncWallet(cmd, w)
	if err != nil {
		w.Close()
		return nil, nil, 0, err
	}
	fail := func(err error) (*wallet.Wallet, chain.Backend, txbuilder.FeeRate, error) {
		if be != nil {
			be.Close()
		}
		w.Close()
		return nil, nil, 0, err
	}
	if be == nil && !planOnly {
		return fail(usagef("no_backend", "sending needs a backend: give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL"))
	}
	if check != nil {
		if err := check(w); err != nil {
			return fail(err)
		}
	}
	// The rate's decision (floor, sanity check against the last estimate seen) is the wallet's;
	// here only the user's word is asked for a suspicious estimate.
	if rate == 0 && be == nil {
		if a.flags.offline {
			// A backend may well be set: --offline is why none was asked.
			return fail(usagef("fee_rate_needed", "--offline asks no backend for a fee estimate: give --fee-rate SAT_PER_VB (or drop --offline)"))
		}
		return fail(usagef("fee_rate_needed", "no backend to estimate the fee: give --fee-rate SAT_PER_VB"))
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
	choice, err := w.FeeRateFor(ctx, be, target, rate)
	cancel()
	if err != nil {
		return fail(a.feeChoiceError(be, err))
	}
	if err := a.confirmFeeChoice(w, choice, planOnly); err != nil {
		return fail(err)
	}
	rate, a.feeSource = choice.Rate, choice.Source
	if be != nil {
		floor, err := a.relayFee(cmd, be)
		if err != nil {
			return fail(err)
		}
		if rate < floor {
			return fail(usagef("fee_rate_too_low", fmt.Sprintf("%s sat/vB (%s) is below the backend's minimum relay fee of %s sat/vB: give a higher --fee-rate", rate, a.feeSource, floor)))
		}
	}
	return w, be, rate, nil
}

func (a *App) relayFee(cmd *cobra.Command, be chain.Backend) (txbuilder.FeeRate, error) {
	ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
	defer cancel()
	return be.RelayFee(ctx)
}

type bumpJSON struct {
	planJSON
	Replaces string `json:"replaces"`
	OldFee   int64  `json:"old_fee_sat"`
}

func newBumpFeeCmd(a *App) *cobra.Command {
	var feeRate string
	var dryRun bool
	var gf guardFlags
	c := &cobra.Command{
		Use:   "bump-fee TXID --fee-rate N",
		Short: "Replace a stuck payment of ours with one paying a higher fee (RBF)",
		Long: `Replace a pending transaction this wallet sent (BIP125) with one that pays the same payees at a
higher fee rate: its change shrinks, or another coin is added when there is not enough. History
then shows the old transaction as replaced.`,
		Example: "  satchel bump-fee 4a5e1e4b...a33b --fee-rate 12\n  satchel bump-fee 4a5e1e4b...a33b --fee-rate 12 --dry-run --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := chainhash.NewHashFromStr(args[0])
			if err != nil || len(args[0]) != 64 {
				return usagef("bad_txid", fmt.Sprintf("%q is not a txid (64 hex characters)", args[0]))
			}
			if feeRate == "" {
				return usagef("fee_rate_needed", "bump-fee needs --fee-rate SAT_PER_VB")
			}
			guard, err := gf.guard()
			if err != nil {
				return err
			}
			w, be, rate, err := a.txSession(cmd, feeRate, 6, dryRun, func(w *wallet.Wallet) error { return w.CheckReplaceable(*id, "bump") })
			if errors.Is(err, wallet.ErrNotReplaceable) {
				return usagef("not_replaceable", err.Error())
			}
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
			}
			relay := txbuilder.SatPerVB(1)
			if be != nil {
				if relay, err = a.relayFee(cmd, be); err != nil {
					return err
				}
			}
			var bp *wallet.BumpPlan
			err = a.pay(cmd, w, be, func() (*wallet.Plan, error) {
				var err error
				if bp, err = w.PlanBump(wallet.BumpRequest{TxID: *id, FeeRate: rate, RelayFee: relay}); err != nil {
					return nil, err
				}
				return bp.Plan, nil
			}, guard, dryRun, "", func(p planJSON) any {
				return bumpJSON{planJSON: p, Replaces: id.String(), OldFee: int64(bp.OldFee)}
			})
			if errors.Is(err, wallet.ErrNotReplaceable) {
				return usagef("not_replaceable", err.Error())
			}
			return err
		},
	}
	c.Flags().StringVar(&feeRate, "fee-rate", "", "the new fee rate in sat/vB (must beat the current one)")
	gf.register(c)
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show the replacement; sign and send nothing")
	return c
}

type consolidateJSON struct {
	planJSON
	Saving int64 `json:"saving_sat"`
}

func newConsolidateCmd(a *App) *cobra.Command {
	var feeRate, maxFeeRate, maxCoin string
	var dryRun, whenCheap bool
	c := &cobra.Command{
		Use:   "consolidate",
		Short: "Merge small coins into one while fees are low, when it saves money",
		Long: `Merge the wallet's spendable coins (or those worth at most --max-coin-value) into one output to
its own next change address, but only when the fee rate is at most --max-fee-rate and merging
now costs less than spending each coin later at the long-term rate (10 sat/vB). The plan says
how much it saves. When it would not save money, it says why and exits 0.

--when-cheap applies the cheap-day rules instead, for cron: below 25% of the long-term rate
(2.5 sat/vB) merge every coin once at least 20 can be merged; below the long-term rate merge
down to 100 coins when the wallet holds more; merge the coins of one address together. Payments
never merge coins (a payee would learn about them): this is the way to do it, as a transaction
of the wallet to itself.`,
		Example: "  satchel consolidate --dry-run\n  satchel consolidate --fee-rate 1 --yes --json\n  */30 * * * * satchel consolidate --when-cheap --yes --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var maxRate txbuilder.FeeRate = txbuilder.SatPerVB(5)
			if maxFeeRate != "" {
				r, err := parseFeeRateFlag("--max-fee-rate", maxFeeRate)
				if err != nil {
					return err
				}
				maxRate = r
			}
			var maxValue txbuilder.Amount
			if maxCoin != "" {
				v, err := txbuilder.ParseAmount(maxCoin)
				if err != nil {
					return usagef("bad_amount", "--max-coin-value: "+err.Error())
				}
				maxValue = v
			}
			w, be, rate, err := a.txSession(cmd, feeRate, 144, dryRun, nil)
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
			}
			if rate > maxRate && (!whenCheap || maxFeeRate != "") {
				return a.nothingToDo(fmt.Sprintf("the fee rate %s sat/vB is above --max-fee-rate %s sat/vB: try again when fees are lower", rate, maxRate))
			}
			var cp *wallet.ConsolidatePlan
			err = a.pay(cmd, w, be, func() (*wallet.Plan, error) {
				var err error
				if cp, err = w.PlanConsolidate(wallet.ConsolidateRequest{FeeRate: rate, MaxCoinValue: maxValue, WhenCheap: whenCheap}); err != nil {
					return nil, err
				}
				if !a.flags.json {
					fmt.Fprintf(a.Err, "merging saves about %s at the long-term rate\n", a.fmtAmount(int64(cp.Saving)))
				}
				return cp.Plan, nil
			}, wallet.DefaultFeeGuard, dryRun, "consolidation", func(p planJSON) any {
				return consolidateJSON{planJSON: p, Saving: int64(cp.Saving)}
			})
			if errors.Is(err, wallet.ErrNothingToDo) {
				return a.nothingToDo(err.Error())
			}
			return err
		},
	}
	c.Flags().StringVar(&feeRate, "fee-rate", "", "fee rate in sat/vB (default: the backend's ~1 day estimate)")
	c.Flags().StringVar(&maxFeeRate, "max-fee-rate", "", "do nothing above this fee rate (default 5 sat/vB)")
	c.Flags().StringVar(&maxCoin, "max-coin-value", "", "merge only coins worth at most this")
	c.Flags().BoolVar(&whenCheap, "when-cheap", false, "merge by the cheap-day rules (for cron): only on cheap days, at least 20 coins")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show the plan; sign and send nothing")
	return c
}

// nothingToDo reports a command that decided not to act: exit 0, the reason on stdout.
func (a *App) nothingToDo(reason string) error {
	if a.flags.json {
		return a.printJSON(map[string]any{"done": false, "reason": reason})
	}
	fmt.Fprintln(a.Out, "Nothing to do: "+strings.TrimPrefix(reason, "nothing to do: "))
	return nil
}
