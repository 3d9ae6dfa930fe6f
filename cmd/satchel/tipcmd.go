package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

type tipJSON struct {
	ID      string     `json:"id"`
	Address string     `json:"address"`
	Amount  int64      `json:"amount_sat"`
	Fiat    string     `json:"fiat,omitempty"`
	Label   string     `json:"label,omitempty"`
	By      *time.Time `json:"by"`
	Created time.Time  `json:"created"`
	Status  string     `json:"status"`
	TxID    string     `json:"txid,omitempty"`
}

// tipAddJSON is what tip add prints: the tip, and whether its --id had queued it before (then
// nothing was added; status says what became of it).
type tipAddJSON struct {
	tipJSON
	AlreadyQueued bool `json:"already_queued"`
}

// tipCancelJSON is what tip cancel prints: the tip, and whether an earlier cancel had already
// taken it out of the queue (then nothing was changed).
type tipCancelJSON struct {
	tipJSON
	AlreadyCancelled bool `json:"already_cancelled"`
}

func tipOut(t wallet.Tip) tipJSON {
	j := tipJSON{ID: t.ID, Address: t.Address, Amount: t.Amount, Fiat: t.Fiat, Label: t.Label, Created: jsonTime(t.Created), Status: "queued"}
	if !t.By.IsZero() {
		j.By = jsonTimePtr(t.By)
	}
	switch {
	case t.Cancelled:
		j.Status = "cancelled"
	case t.Paid():
		j.Status, j.TxID = "paid", t.PaidBy.String()
	}
	return j
}

// parseBy reads --by: a duration from now (30m, 6h, 2d) or an RFC 3339 time.
func parseBy(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if strings.HasSuffix(s, "d") {
		var days int
		if _, err := fmt.Sscanf(s, "%dd", &days); err == nil && days > 0 && days <= 3650 && fmt.Sprintf("%dd", days) == s {
			return now.Add(time.Duration(days) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(d), nil
	}
	// A duration that reads but is not a deadline ahead says what is wrong with it, not that
	// it is no duration.
	if n, ok := strings.CutSuffix(s, "d"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		return time.Time{}, usagef("bad_by", fmt.Sprintf("--by %q: give from 1d to 3,650d (ten years)", s))
	}
	if d, err := time.ParseDuration(s); err == nil || strings.HasPrefix(s, "-") {
		if err == nil && d == 0 || strings.HasPrefix(s, "-") {
			return time.Time{}, usagef("bad_by", fmt.Sprintf("--by %q: a deadline is ahead: give a duration from now such as 6h or 2d", s))
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		// A deadline already past is a typo (a year, a month), not a tip to pay at once.
		if !t.After(now) {
			return time.Time{}, usagef("bad_by", fmt.Sprintf("--by %s is already past: give a later time, or a duration such as 6h", s))
		}
		return t, nil
	}
	return time.Time{}, usagef("bad_by", fmt.Sprintf("--by %q: give a duration (90m, 6h, 2d) or a time (2026-12-01T18:00:00Z)", s))
}

type tipFlushJSON struct {
	planJSON
	Tips      []string `json:"tips"`
	AloneFees int64    `json:"alone_fees_sat"`
	Saving    int64    `json:"saving_sat"`
}

func newTipCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "tip",
		Short: "Queue tips and pay them together when fees are low",
		Long: `Queue small payments (tip add) and pay every queued tip in one transaction (tip flush) when
the fee rate is at or below a threshold, or the overdue ones whatever the rate. One transaction
for many tips shares the fixed cost and the change: the plan says how much that saves.`,
		Example: "  satchel tip add bc1q... 2100 --label coffee --by 2d\n  satchel tip list\n  satchel tip flush --dry-run",
	}
	var label, by, id string
	add := &cobra.Command{
		Use:   "add DEST AMOUNT",
		Short: "Put a tip in the queue",
		Long: `Put a tip in the queue kept in the wallet and print its id. --id makes it idempotent: a script
that retries with the same id never queues twice. --by sets a deadline after which flush pays it
whatever the fee rate.

` + exitStatusHelp,
		Example: "  satchel tip add bc1q... 2100 --label coffee\n  satchel tip add 'bitcoin:bc1q...?amount=0.00002' --id order-1234 --by 6h --json",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			net, err := wallet.NetworkParams(a.flags.network)
			if err != nil {
				return err
			}
			amount := ""
			if len(args) > 1 {
				amount = args[1]
			}
			dest, err := a.resolveDest(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			pay, all, err := parsePayee(net, dest, amount, label)
			if err != nil {
				return err
			}
			if all {
				return usagef("bad_amount", "a tip needs an amount, not all")
			}
			if pay.SilentPayment != nil {
				return usagef("bad_address", "a silent payment address cannot be queued: its output is derived when the batch is signed; send it now with satchel send")
			}
			if pay.Fiat == nil && pay.Amount < pay.Type.DustLimit() {
				return &codedError{exit: exitCannotPay, code: "below_dust", err: fmt.Errorf("%s is below the dust limit of %s for a %s (nodes do not relay smaller outputs): give at least %s", fmtSat(int64(pay.Amount)), fmtSat(int64(pay.Type.DustLimit())), pay.Type.AddressKind(), fmtSat(int64(pay.Type.DustLimit())))}
			}
			if len(id) > 100 || strings.ContainsFunc(id, func(r rune) bool { return unicode.IsSpace(r) || clip.Hides(r) }) {
				return usagef("bad_id", "--id must be at most 100 bytes without spaces or control characters")
			}
			if err := checkLabelArg("--label", label); err != nil {
				return err
			}
			deadline, err := parseBy(by, a.Now())
			if err != nil {
				return err
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := a.queueScheduled(cmd.Context(), w); err != nil {
				return err
			}
			if pay.Fiat != nil && id != "" {
				// A retry of a tip in a currency is the tip already queued: no price asked,
				// no conversion that a new price would make differ.
				old, same, err := w.TipRetry(id, pay)
				if err != nil {
					return err
				}
				if same {
					pay.Fiat, pay.Amount = nil, txbuilder.Amount(old.Amount)
				}
			}
			if pay.Fiat != nil {
				// A queued tip keeps satoshis: its fiat amount is converted now, and shown.
				ps := []wallet.Payment{pay}
				if err := a.convertPays(cmd.Context(), w, ps); err != nil {
					return err
				}
				pay = ps[0]
				a.warn("fiat_conversion", a.fx.quotes[0].String(a.Now()))
			}
			t, existed, err := w.AddTip(wallet.TipRequest{Payment: pay, By: deadline, ID: id, Now: a.Now()})
			if errors.Is(err, wallet.ErrTipConflict) {
				return usagef("tip_id_conflict", err.Error())
			}
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(tipAddJSON{tipJSON: tipOut(t), AlreadyQueued: existed})
			}
			// The same --id again is the same tip, in whatever state it is now: a retry
			// must not read "queued" about a tip paid or cancelled since.
			switch {
			case existed && t.Cancelled:
				fmt.Fprintf(a.Out, "%s (already queued, and cancelled since: give another --id to queue it again)\n", t.ID)
			case existed && t.Paid():
				fmt.Fprintf(a.Out, "%s (already queued, and paid since by %s)\n", t.ID, t.PaidBy)
			case existed:
				fmt.Fprintf(a.Out, "%s (already queued)\n", t.ID)
			default:
				fmt.Fprintln(a.Out, t.ID)
			}
			return nil
		},
	}
	add.Flags().StringVar(&label, "label", "", "label the tip")
	add.Flags().StringVar(&by, "by", "", "deadline: a duration (6h, 2d) or an RFC 3339 time")
	add.Flags().StringVar(&id, "id", "", "idempotency key: the same id queues once")

	list := &cobra.Command{
		Use:     "list",
		Short:   "List queued, paid and cancelled tips",
		Long:    "List the tips in the queue with their status (queued, paid, cancelled) and, for a queued tip\ngiven --by, its deadline and how long is left.\n\n" + exitStatusHelp,
		Example: "  satchel tip list\n  satchel tip list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := a.queueScheduled(cmd.Context(), w); err != nil {
				return err
			}
			tips, err := w.Tips()
			if err != nil {
				return err
			}
			out := make([]tipJSON, 0, len(tips))
			for _, t := range tips {
				out = append(out, tipOut(t))
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				fmt.Fprintln(a.Out, emptyTips)
				return nil
			}
			return a.printTips(out)
		},
	}
	cancel := &cobra.Command{
		Use:     "cancel ID",
		Short:   "Take a queued tip out of the queue",
		Long:    "Cancel a queued tip so flush never pays it. A tip already cancelled says so and exits 0\n(already_cancelled in --json); a paid tip cannot be cancelled (exit 2).\n\n" + exitStatusHelp,
		Example: "  satchel tip cancel tip-3",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usagef("bad_input", "the tip's ID is empty: give one that satchel tip list shows")
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := a.queueScheduled(cmd.Context(), w); err != nil {
				return err
			}
			t, already, err := w.CancelTip(args[0])
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(tipCancelJSON{tipJSON: tipOut(t), AlreadyCancelled: already})
			}
			if already {
				fmt.Fprintf(a.Out, "%s was already cancelled\n", t.ID)
				return nil
			}
			fmt.Fprintf(a.Out, "%s cancelled\n", t.ID)
			return nil
		},
	}
	var maxFeeRate, feeRate string
	var dryRun bool
	var target int
	flush := &cobra.Command{
		Use:   "flush",
		Short: "Pay the queued tips in one transaction when fees are low",
		Long: `Pay every queued tip in one transaction when the fee rate is at or below the threshold
(--max-fee-rate; default: the backend's ~1 day estimate), or only the overdue ones (past --by)
whatever the rate. With nothing to do it says why and exits 0, so cron can run it every few
minutes. Every guard of send applies. The plan reports what the batch saves next to sending each
tip alone. A tip counts as paid only when a transaction of ours pays its destination and amount,
so a crash between broadcast and record never pays a tip twice: the next sync recognises it.

` + exitStatusHelp,
		Example: "  satchel tip flush --dry-run\n  satchel tip flush --max-fee-rate 3 --yes --json\n  */10 * * * * satchel tip flush --yes --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var threshold txbuilder.FeeRate
			if maxFeeRate != "" {
				r, err := parseFeeRateFlag("--max-fee-rate", maxFeeRate)
				if err != nil {
					return err
				}
				threshold = r
			}
			if target < 1 || target > 1008 {
				return usagef("bad_target", "--target must be between 1 and 1008 blocks")
			}
			// Scheduled tips that fell due join the queue before it is looked at; an empty
			// queue is said before any fee rate is asked for.
			w, be, rate, err := a.txSession(cmd, feeRate, target, dryRun, func(w *wallet.Wallet) error {
				if err := a.queueScheduled(cmd.Context(), w); err != nil {
					return err
				}
				return w.CheckQueue()
			})
			if errors.Is(err, wallet.ErrNothingToFlush) {
				return a.nothingToDo(err.Error())
			}
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
			}
			if threshold == 0 && be != nil {
				ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
				threshold, err = be.EstimateFee(ctx, 144)
				cancel()
				if err != nil && !errors.Is(err, chain.ErrNoEstimate) {
					return err
				}
				// Without an estimate (regtest) and without --max-fee-rate there is no threshold.
			}
			var fp *wallet.FlushPlan
			var ids []string
			err = a.pay(cmd, w, be, func() (*wallet.Plan, error) {
				var err error
				if fp, err = w.PlanFlush(wallet.FlushRequest{FeeRate: rate, Threshold: threshold, Now: a.Now()}); err != nil {
					return nil, err
				}
				ids = make([]string, len(fp.Tips))
				for i, t := range fp.Tips {
					ids[i] = t.ID
				}
				switch {
				case a.flags.json:
				case len(ids) == 1: // nothing to compare: one tip costs what it costs alone
					fmt.Fprintf(a.Err, "1 tip: %s in fees\n", a.fmtAmount(int64(fp.Selection.Fee)))
				default:
					fmt.Fprintf(a.Err, "%s in one transaction: %s in fees instead of %s sent one by one (saves %s)\n",
						count(len(ids), "tip", "tips"), a.fmtAmount(int64(fp.Selection.Fee)), a.fmtAmount(int64(fp.AloneFees)), a.fmtAmount(int64(fp.Saving)))
				}
				return fp.Plan, nil
			}, wallet.DefaultFeeGuard, dryRun, "tips", func(p planJSON) any {
				return tipFlushJSON{planJSON: p, Tips: ids, AloneFees: int64(fp.AloneFees), Saving: int64(fp.Saving)}
			})
			if errors.Is(err, wallet.ErrNothingToFlush) {
				return a.nothingToDo(err.Error())
			}
			if err == nil && !dryRun {
				a.offerConsolidation(w, rate)
			}
			return err
		},
	}
	flush.Flags().StringVar(&maxFeeRate, "max-fee-rate", "", "pay all tips only at or below this rate (default: the ~1 day estimate)")
	flush.Flags().StringVar(&feeRate, "fee-rate", "", "fee rate in sat/vB (default: the backend's estimate for --target)")
	flush.Flags().IntVar(&target, "target", 6, "confirmation target in blocks for the estimate")
	flush.Flags().BoolVar(&dryRun, "dry-run", false, "show the plan; sign and send nothing")
	c.AddCommand(add, list, cancel, flush, newTipScheduleCmd(a))
	return c
}

// offerConsolidation says, after a flush on a cheap day, that merging small coins now (as a
// transaction of the wallet to itself) would save: flush never merges them into the tips.
func (a *App) offerConsolidation(w *wallet.Wallet, rate txbuilder.FeeRate) {
	cp, err := w.PlanConsolidate(wallet.ConsolidateRequest{FeeRate: rate, WhenCheap: true})
	if err != nil {
		return
	}
	a.warn("consolidate_hint", fmt.Sprintf("fees are cheap: satchel consolidate --when-cheap would merge %d coins for %s and save about %s later",
		len(cp.Built.Inputs), a.fmtAmount(int64(cp.Selection.Fee)), a.fmtAmount(int64(cp.Saving))))
}
