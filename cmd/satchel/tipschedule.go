package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/bip353"
	"github.com/satchel-wallet/satchel/wallet/fiat"
)

// scheduleAmountText is a schedule's amount for the text list: satoshis, or the fiat amount.
func scheduleAmountText(a *App, s scheduleJSON) string {
	if s.Amount == nil {
		return s.Fiat
	}
	return a.fmtAmount(*s.Amount)
}

// scheduleJSON is a recurring tip as tip schedule prints it.
type scheduleJSON struct {
	ID      string   `json:"id"`
	Address string   `json:"address"`
	Name    string   `json:"name,omitempty"`
	Amount  *int64   `json:"amount_sat"`
	Fiat    string   `json:"fiat,omitempty"`
	Label   string   `json:"label,omitempty"`
	Every   string   `json:"every"`
	Start   string   `json:"start"`
	Until   *string  `json:"until"`
	CatchUp string   `json:"catch_up"`
	NextDue *string  `json:"next_due"`
	Status  string   `json:"status"`
	Queued  []string `json:"queued,omitempty"`
}

// scheduleCancelJSON is what tip schedule cancel prints: the schedule, how many of its queued
// tips were cancelled with it, and whether an earlier cancel had already stopped it (then
// nothing was changed).
type scheduleCancelJSON struct {
	scheduleJSON
	TipsCancelled    int  `json:"tips_cancelled"`
	AlreadyCancelled bool `json:"already_cancelled"`
}

func scheduleOut(s wallet.Schedule) scheduleJSON {
	j := scheduleJSON{ID: s.ID, Address: s.Address, Name: s.Name, Label: s.Label, Every: s.Every,
		Start: s.Start.Format(time.DateOnly), CatchUp: s.CatchUp, Status: "active"}
	if s.FiatCurrency != "" {
		j.Fiat = fiat.Amount{Micro: s.FiatMicro, Currency: s.FiatCurrency}.String()
	} else {
		amt := s.Amount
		j.Amount = &amt
	}
	if !s.Until.IsZero() {
		u := s.Until.Format(time.DateOnly)
		j.Until = &u
	}
	if d, ok := wallet.NextDue(s); ok {
		n := d.Format(time.DateOnly)
		j.NextDue = &n
	} else if !s.Cancelled {
		j.Status = "ended"
	}
	if s.Cancelled {
		j.Status = "cancelled"
	}
	return j
}

// queueScheduled turns the schedules' due occurrences into queued tips and says so on stderr.
// Every tip command and sync call it, so an occurrence is queued by whichever runs first.
func (a *App) queueScheduled(ctx context.Context, w *wallet.Wallet) error {
	q, skipped, err := w.QueueScheduled(a.converter(ctx, w), a.nameResolver(ctx))
	if err != nil {
		return err
	}
	if skipped != nil {
		for _, line := range strings.Split(skipped.Error(), "\n") {
			a.warn("schedule_not_queued", line+": its due occurrences wait for the next run")
		}
	}
	if len(q) == 0 {
		return nil
	}
	ids := make([]string, len(q))
	for i, t := range q {
		ids[i] = t.ID
	}
	a.warn("scheduled_tips", fmt.Sprintf("queued %s: %s", count(len(q), "scheduled tip", "scheduled tips"), strings.Join(ids, ", ")))
	return nil
}

// converter converts fiat amounts at the price of the moment (fetched once per command) and
// shows each conversion on stderr.
func (a *App) converter(ctx context.Context, w *wallet.Wallet) wallet.Converter {
	return func(f fiat.Amount) (int64, error) {
		p, err := a.fetchPrice(ctx, w)
		if err != nil {
			return 0, err
		}
		q, err := p.Convert(f, a.Now())
		if err != nil {
			return 0, err
		}
		a.warn("fiat_conversion", q.String(a.Now()))
		return q.Sat, nil
	}
}

func newTipScheduleCmd(a *App) *cobra.Command {
	var every, start, until, label, catchUp string
	c := &cobra.Command{
		Use:   "schedule DEST AMOUNT --every 1d|1w|1mo",
		Short: "Tip the same payee every day, week or month",
		Long: `Create a recurring tip. On each date of the schedule (UTC) an occurrence becomes a queued tip
with the id SCHEDULE@YYYY-MM-DD, queued once, by the first tip command or sync that runs on or
after that date; the next tip flush pays it with the other queued tips. Each occurrence is due
(like tip add --by) on the following date, so a flush that waits for low fees still pays it in
time. Monthly dates keep the start's day of the month, clamped to a shorter month's last day
(from the 31st: 28 or 29 February, 31 March, 30 April). A bitcoin: URI that carries an amount
may come alone, as for tip add.

--start DATE (YYYY-MM-DD, default today; at most a year ago) and --until DATE (the last date an
occurrence may fall on) bound the schedule. Occurrences that fell due while satchel did not run:
--catch-up all (the default) queues each of them once; --catch-up none queues only the latest
and skips the earlier ones for good. Spending caps apply to every flush as to any payment.

` + exitStatusHelp,
		Example: "  satchel tip schedule bc1q... 2100 --every 1w --label podcast\n  satchel tip schedule bc1q... 10000 --every 1mo --start 2026-01-31 --until 2026-12-31\n  satchel tip schedule list\n  satchel tip schedule cancel sched-1",
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := mistypedSubcommand(cmd, args); err != nil {
				return err
			}
			net, err := wallet.NetworkParams(a.flags.network)
			if err != nil {
				return err
			}
			// A bitcoin: URI with its amount comes alone, as for tip add.
			amount := ""
			if len(args) > 1 {
				amount = args[1]
			}
			// A BIP353 name is resolved (and validated) now, and again whenever occurrences
			// are queued.
			dest, err := a.resolveDest(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			pay, all, err := parsePayee(net, dest, amount, label)
			if err != nil {
				return err
			}
			if all {
				return usagef("bad_amount", "a recurring tip needs an amount, not all")
			}
			if pay.SilentPayment != nil {
				return usagef("bad_address", "a silent payment address cannot be scheduled: its output is derived when the batch is signed")
			}
			if pay.Fiat == nil && pay.Amount < pay.Type.DustLimit() {
				return &codedError{exit: exitCannotPay, code: "below_dust", err: fmt.Errorf("%s is below the dust limit of %s for a %s (nodes do not relay smaller outputs): give at least %s", fmtSat(int64(pay.Amount)), fmtSat(int64(pay.Type.DustLimit())), pay.Type.AddressKind(), fmtSat(int64(pay.Type.DustLimit())))}
			}
			if err := checkLabelArg("--label", label); err != nil {
				return err
			}
			if every == "" {
				return usagef("no_every", "give --every 1d, 1w or 1mo")
			}
			e, err := wallet.ParseEvery(every)
			if err != nil {
				return usagef("bad_every", inputWhy(err))
			}
			req := wallet.ScheduleRequest{Payment: pay, Every: e, CatchUp: catchUp}
			if dest != args[0] {
				n, _ := bip353.ParseName(strings.TrimSpace(args[0]))
				req.Name = n.String()
			}
			if catchUp != "all" && catchUp != "none" {
				return usagef("bad_catch_up", fmt.Sprintf("--catch-up %q: use all or none", catchUp))
			}
			for _, d := range []struct {
				flag, v string
				to      *time.Time
			}{{"--start", start, &req.Start}, {"--until", until, &req.Until}} {
				if d.v == "" {
					continue
				}
				if *d.to, err = wallet.ParseDate(d.v); err != nil {
					return usagef("bad_date", d.flag+": "+inputWhy(err))
				}
			}
			w, err := a.openWallet(false)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := a.queueScheduled(cmd.Context(), w); err != nil {
				return err
			}
			s, queued, err := w.AddSchedule(req, a.converter(cmd.Context(), w))
			if a.flags.offline && errors.Is(err, fiat.ErrUnreachable) {
				return offlineFiat() // an occurrence due now needs the price
			}
			if err != nil {
				return priceErr(err)
			}
			out := scheduleOut(s)
			for _, t := range queued {
				out.Queued = append(out.Queued, t.ID)
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintln(a.Out, s.ID)
			if len(out.Queued) > 0 {
				fmt.Fprintf(a.Err, "queued now: %s\n", strings.Join(out.Queued, ", "))
			}
			if out.NextDue != nil {
				fmt.Fprintf(a.Err, "next occurrence: %s\n", *out.NextDue)
			}
			return nil
		},
	}
	c.Flags().StringVar(&every, "every", "", "period: 1d, 1w or 1mo (any count: 2w, 3mo)")
	c.Flags().StringVar(&start, "start", "", "date of the first occurrence, YYYY-MM-DD (UTC; default today)")
	c.Flags().StringVar(&until, "until", "", "last date an occurrence may fall on, YYYY-MM-DD (UTC)")
	c.Flags().StringVar(&label, "label", "", "label each tip")
	c.Flags().StringVar(&catchUp, "catch-up", "all", "missed occurrences: all (each queued once) or none (only the latest)")

	list := &cobra.Command{
		Use:     "list",
		Short:   "List recurring tips and their next due date",
		Long:    "List the recurring tips: amount, payee, period, next due date and status (active, ended, cancelled).\n\n" + exitStatusHelp,
		Example: "  satchel tip schedule list\n  satchel tip schedule list --json",
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
			all, err := w.Schedules()
			if err != nil {
				return err
			}
			out := make([]scheduleJSON, 0, len(all))
			for _, s := range all {
				out = append(out, scheduleOut(s))
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				fmt.Fprintln(a.Out, emptySchedules)
				return nil
			}
			return a.printSchedules(out)
		},
	}
	cancel := &cobra.Command{
		Use:     "cancel ID",
		Short:   "Stop a recurring tip",
		Long:    "Stop a recurring tip: no further occurrence is queued, and its queued tips not yet paid are cancelled.\nA schedule already cancelled says so and exits 0 (already_cancelled in --json).\n\n" + exitStatusHelp,
		Example: "  satchel tip schedule cancel sched-1",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usagef("bad_input", "the schedule's ID is empty: give one that satchel tip schedule list shows")
			}
			w, err := a.openWallet(false)
			if err != nil {
				return err
			}
			defer w.Close()
			s, n, already, err := w.CancelSchedule(args[0])
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(scheduleCancelJSON{scheduleJSON: scheduleOut(s), TipsCancelled: n, AlreadyCancelled: already})
			}
			switch {
			case already:
				fmt.Fprintf(a.Out, "%s was already cancelled\n", s.ID)
			case n == 0:
				fmt.Fprintf(a.Out, "%s cancelled\n", s.ID)
			default:
				fmt.Fprintf(a.Out, "%s cancelled, with its %s\n", s.ID, count(n, "queued tip", "queued tips"))
			}
			return nil
		},
	}
	c.AddCommand(list, cancel)
	return c
}

// printSchedules shows the schedules as a table, as tip list shows the queue: a header row,
// amounts right-aligned, the payee's name when it has one, ended and cancelled ones dim.
func (a *App) printSchedules(out []scheduleJSON) error {
	t := newTable("ID", "STATUS", "AMOUNT", "EVERY", "NEXT", "UNTIL", "PAYEE", "LABEL")
	t.alignRight(2)
	for _, s := range out {
		row := stylePlain
		if s.Status != "active" {
			row = styleDim
		}
		next := "-"
		if s.NextDue != nil {
			next = *s.NextDue
		}
		until := "-"
		if s.Until != nil {
			until = *s.Until
		}
		payee := s.Address
		if s.Name != "" {
			payee = s.Name
		}
		t.add(txt(s.ID).in(row), txt(s.Status).in(row), txt(scheduleAmountText(a, s)).in(row), txt(s.Every).in(row),
			txt(next).in(row), txt(until).in(row), txt(payee).in(row), txt(s.Label).in(row))
	}
	return t.write(a)
}
