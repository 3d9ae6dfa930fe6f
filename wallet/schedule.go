package wallet

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/fiat"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Converter turns a fiat amount into satoshis at the price of the moment (see ConvertPayments);
// the caller fetches the price, and shows the conversion.
type Converter func(fiat.Amount) (int64, error)

// Schedule is a recurring tip as the store keeps it.
type Schedule = store.Schedule

// ScheduleRequest creates a recurring tip.
type ScheduleRequest struct {
	Payment Payment
	Every   Every
	// Start is the date of the first occurrence (zero: today, by the wallet's clock); Until
	// the last date an occurrence may fall on (zero: no end). Both are taken as UTC dates.
	Start, Until time.Time
	// CatchUp is "all" or "none": see dueOccurrences.
	CatchUp string
	// Name, when set, is the BIP353 name Payment was resolved from: it is resolved again
	// whenever occurrences are queued.
	Name string
}

// maxBacklog bounds how far in the past a schedule may start: each missed occurrence becomes
// a tip, and a start years ago is far more likely a typo than a debt.
const maxBacklog = 366 * 24 * time.Hour

// AddSchedule stores a recurring tip and queues the occurrences already due (a schedule
// starting today queues today's at once). It returns the schedule and the tips queued.
func (w *Wallet) AddSchedule(req ScheduleRequest, conv Converter) (store.Schedule, []store.Tip, error) {
	if err := w.writable(); err != nil {
		return store.Schedule{}, nil, err
	}
	if err := CheckLabel(req.Payment.Label); err != nil {
		return store.Schedule{}, nil, err
	}
	if req.Payment.SilentPayment != nil || bytes.Equal(req.Payment.Script, SilentPlaceholder) {
		return store.Schedule{}, nil, fmt.Errorf("%w: a silent payment address cannot be scheduled: its output is derived when a batch is signed", ErrBadInput)
	}
	if req.Payment.Amount <= 0 && req.Payment.Fiat == nil {
		return store.Schedule{}, nil, fmt.Errorf("%w: a recurring tip needs an amount", ErrBadInput)
	}
	if _, err := ParseEvery(req.Every.String()); err != nil {
		return store.Schedule{}, nil, err
	}
	if req.CatchUp == "" {
		req.CatchUp = "all"
	}
	if req.CatchUp != "all" && req.CatchUp != "none" {
		return store.Schedule{}, nil, fmt.Errorf("%w: --catch-up %q: use all or none", ErrBadInput, req.CatchUp)
	}
	now := w.now()
	start := Day(now)
	if !req.Start.IsZero() {
		start = Day(req.Start)
	}
	if start.Before(Day(now).Add(-maxBacklog)) {
		return store.Schedule{}, nil, fmt.Errorf("%w: --start %s is more than a year ago (each missed occurrence would be paid): give a start within the last year, or leave --start out to begin today", ErrBadInput, start.Format(time.DateOnly))
	}
	// A start years ahead is a mistyped year, not a plan: it would wait in the list unseen.
	if start.After(Day(now).AddDate(10, 0, 0)) {
		return store.Schedule{}, nil, fmt.Errorf("%w: --start %s is more than ten years ahead: check the year", ErrBadInput, start.Format(time.DateOnly))
	}
	var until time.Time
	if !req.Until.IsZero() {
		until = Day(req.Until)
		if until.Before(start) {
			return store.Schedule{}, nil, fmt.Errorf("%w: --until %s is before --start %s: give an --until on or after the start", ErrBadInput, until.Format(time.DateOnly), start.Format(time.DateOnly))
		}
	}
	// An occurrence the per-payment cap refuses would block every flush: refuse it now.
	l, err := w.Limits()
	if err != nil {
		return store.Schedule{}, nil, err
	}
	if l.PerPayment > 0 && !allowed(l.Allow, req.Payment.Address) && int64(req.Payment.Amount) > l.PerPayment {
		return store.Schedule{}, nil, &LimitError{Limit: "limit.per-payment", Cap: l.PerPayment, Amount: int64(req.Payment.Amount), Address: req.Payment.Address}
	}
	// A fiat amount due today is converted now, before the store is locked for writing.
	var c Converter
	if f := req.Payment.Fiat; f != nil && !start.After(now) {
		sat, err := convertSchedule(store.Schedule{ID: "new", Type: int(req.Payment.Type), FiatMicro: f.Micro, FiatCurrency: f.Currency}, conv)
		if ce := (*conversionError)(nil); errors.As(err, &ce) {
			return store.Schedule{}, nil, ce.err
		}
		c = func(fiat.Amount) (int64, error) { return sat, nil }
	}
	var s store.Schedule
	var queued []store.Tip
	err = w.st.Update(func(tx *store.Txn) error {
		n, err := tx.NextSeq("schedule")
		if err != nil {
			return err
		}
		s = store.Schedule{ID: fmt.Sprintf("sched-%d", n), Address: req.Payment.Address, Script: req.Payment.Script,
			Type: int(req.Payment.Type), Amount: int64(req.Payment.Amount), Label: req.Payment.Label,
			Every: req.Every.String(), Start: start, Until: until, CatchUp: req.CatchUp, Created: now.UTC()}
		if f := req.Payment.Fiat; f != nil {
			s.Amount, s.FiatMicro, s.FiatCurrency = 0, f.Micro, f.Currency
		}
		s.Name = req.Name
		s, queued, err = queueDue(tx, s, now, c)
		return err
	})
	return s, queued, err
}

// Schedules lists the recurring tips.
func (w *Wallet) Schedules() ([]store.Schedule, error) {
	var out []store.Schedule
	err := w.st.View(func(tx *store.Txn) error { var err error; out, err = tx.Schedules(); return err })
	return out, err
}

// CancelSchedule stops a recurring tip: no occurrence is queued any more, and the ones queued
// but not yet paid are cancelled too (who stops a subscription does not expect a last
// payment). It returns the schedule and how many queued tips it cancelled. A schedule already
// cancelled is returned with already true, and nothing is written.
func (w *Wallet) CancelSchedule(id string) (s store.Schedule, n int, already bool, err error) {
	if err := w.writable(); err != nil {
		return store.Schedule{}, 0, false, err
	}
	err = w.st.Update(func(tx *store.Txn) error {
		var err error
		s, err = tx.Schedule(id)
		if store.IsNotFound(err) {
			// A queued tip's id given here: say which command takes it out, as CancelTip does
			// for a schedule's.
			if _, terr := tx.Tip(id); terr == nil {
				if sched, _, ok := strings.Cut(id, "@"); ok {
					if _, serr := tx.Schedule(sched); serr == nil {
						return fmt.Errorf("%w: %s is one occurrence of %s: stop the schedule with satchel tip schedule cancel %s, or take out this occurrence alone with satchel tip cancel %s",
							ErrBadInput, id, sched, sched, id)
					}
				}
				return fmt.Errorf("%w: %s is a queued tip, not a recurring one: take it out with satchel tip cancel %s", ErrBadInput, id, id)
			}
			// The number read in the list (sched-2) typed alone: name the ID, as CancelTip does.
			if isDigits(id) {
				if _, serr := tx.Schedule("sched-" + id); serr == nil {
					return fmt.Errorf("%w: no schedule %q: did you mean sched-%s? (schedule IDs are written as satchel tip schedule list shows them)", ErrBadInput, id, id)
				}
			}
			return fmt.Errorf("%w: no schedule %q (see: satchel tip schedule list)", ErrBadInput, id)
		}
		if err != nil {
			return err
		}
		if s.Cancelled {
			already = true // nothing written: the store commits no transaction that changes nothing
			return nil
		}
		s.Cancelled = true
		if err := tx.PutSchedule(s); err != nil {
			return err
		}
		tips, err := tx.Tips()
		if err != nil {
			return err
		}
		for _, t := range tips {
			if strings.HasPrefix(t.ID, s.ID+"@") && !t.Cancelled && !t.Paid() {
				t.Cancelled = true
				n++
				if err := tx.PutTip(t); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return s, n, already, err
}

// QueueScheduled queues the occurrences of every schedule that fell due by the wallet's clock,
// each once. The tip commands and sync call it. It writes nothing when nothing is due. A
// schedule in a currency whose amount cannot be converted now (no trustworthy price) is left
// for a later run, its occurrences still due; skipped says why, and the others are queued.
//
// A schedule to a BIP353 name has it resolved again (resolve) for the occurrences queued now,
// so a payee who moves to a new address is paid there; one that does not resolve now waits too.
func (w *Wallet) QueueScheduled(conv Converter, resolve NameResolver) (queued []store.Tip, skipped error, err error) {
	now := w.now()
	var due []store.Schedule
	err = w.st.View(func(tx *store.Txn) error {
		all, err := tx.Schedules()
		for _, s := range all {
			if ks, _, err := dueOccurrences(s, now); err != nil {
				return err
			} else if len(ks) > 0 {
				due = append(due, s)
			}
		}
		return err
	})
	if err != nil || len(due) == 0 {
		return nil, nil, err
	}
	// Prices are fetched here, with no transaction open: never network I/O under the lock.
	var skips []error
	convs := map[string]Converter{}
	dests := map[string]Payment{}
	skip := map[string]bool{}
	for _, s := range due {
		if s.Name != "" {
			p, err := resolveSchedule(s, resolve)
			if err != nil {
				skips, skip[s.ID] = append(skips, err), true
				continue
			}
			dests[s.ID] = p
		}
		if s.FiatCurrency == "" {
			continue
		}
		sat, err := convertSchedule(s, conv)
		if err != nil {
			skips, skip[s.ID] = append(skips, err), true
			continue
		}
		convs[s.ID] = func(fiat.Amount) (int64, error) { return sat, nil }
	}
	if len(skip) == len(due) {
		return nil, errors.Join(skips...), nil
	}
	if err := w.writable(); err != nil {
		return nil, nil, err
	}
	err = w.st.Update(func(tx *store.Txn) error {
		for _, d := range due {
			s, err := tx.Schedule(d.ID)
			if err != nil {
				return err
			}
			if skip[s.ID] {
				continue
			}
			if p, ok := dests[s.ID]; ok {
				s.Address, s.Script, s.Type = p.Address, p.Script, int(p.Type)
			}
			_, q, err := queueDue(tx, s, now, convs[s.ID])
			if err != nil {
				return err
			}
			queued = append(queued, q...)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return queued, errors.Join(skips...), nil
}

// NameResolver resolves a BIP353 name (validated) to the on-chain destination it names now.
type NameResolver func(name string) (Payment, error)

// resolveSchedule resolves a schedule's name for the occurrences about to be queued.
func resolveSchedule(s store.Schedule, resolve NameResolver) (Payment, error) {
	if resolve == nil {
		return Payment{}, &conversionError{s.ID, fmt.Errorf("%w: no resolver for %s", ErrBadInput, s.Name)}
	}
	p, err := resolve(s.Name)
	if err != nil {
		return Payment{}, &conversionError{s.ID, err}
	}
	if len(p.Script) == 0 || p.SilentPayment != nil || bytes.Equal(p.Script, SilentPlaceholder) {
		return Payment{}, &conversionError{s.ID, fmt.Errorf("%w: %s names no on-chain address a tip can be queued to", ErrBadInput, s.Name)}
	}
	return p, nil
}

// convertSchedule converts a schedule's fiat amount, refusing a result below its dust limit
// (such a tip would block every flush).
func convertSchedule(s store.Schedule, conv Converter) (int64, error) {
	a := fiat.Amount{Micro: s.FiatMicro, Currency: s.FiatCurrency}
	if conv == nil {
		return 0, &conversionError{s.ID, fmt.Errorf("%w: no price to convert %s", fiat.ErrNoSource, a)}
	}
	sat, err := conv(a)
	if err != nil {
		return 0, &conversionError{s.ID, err}
	}
	if dust := txbuilder.ScriptType(s.Type).DustLimit(); txbuilder.Amount(sat) < dust {
		return 0, &conversionError{s.ID, fmt.Errorf("%w: %s is %s now, below the %s dust limit", ErrBadInput, a, groupSat(int64(sat)), groupSat(int64(dust)))}
	}
	return sat, nil
}

// conversionError is a schedule in a currency that could not be converted now.
type conversionError struct {
	id  string
	err error
}

func (e *conversionError) Error() string { return fmt.Sprintf("schedule %s: %v", e.id, e.err) }
func (e *conversionError) Unwrap() error { return e.err }

// NextDue is the date of a schedule's next occurrence not yet queued; false when it has none
// (cancelled, or past its --until).
func NextDue(s store.Schedule) (time.Time, bool) {
	e, err := ParseEvery(s.Every)
	if err != nil || s.Cancelled {
		return time.Time{}, false
	}
	d := e.Occurrence(s.Start, s.Next)
	if !s.Until.IsZero() && d.After(s.Until) {
		return time.Time{}, false
	}
	return d, true
}

// ScheduleTipID is the id of the tip an occurrence becomes: the same occurrence always gets
// the same id, so it is queued once however often the queue is filled.
func ScheduleTipID(scheduleID string, date time.Time) string {
	return scheduleID + "@" + date.Format(time.DateOnly)
}

// dueOccurrences returns the occurrences of s due at now (date at or before now, at or before
// Until) that were not yet queued, and the index of the first occurrence after them. With
// catch-up "all" each of them is queued; with "none" only the latest, the earlier ones being
// skipped for good (they were missed while satchel did not run).
func dueOccurrences(s store.Schedule, now time.Time) ([]int, int, error) {
	if s.Cancelled {
		return nil, s.Next, nil
	}
	e, err := ParseEvery(s.Every)
	if err != nil {
		return nil, 0, fmt.Errorf("schedule %s: %w", s.ID, err)
	}
	var ks []int
	k := s.Next
	for ; ; k++ {
		d := e.Occurrence(s.Start, k)
		if d.After(now) || (!s.Until.IsZero() && d.After(s.Until)) {
			break
		}
		ks = append(ks, k)
	}
	if s.CatchUp == "none" && len(ks) > 1 {
		ks = ks[len(ks)-1:]
	}
	return ks, k, nil
}

// queueDue writes, inside tx, the tips of s's due occurrences and the schedule's new Next.
// Each tip is due (By) at the schedule's following occurrence, so a flush that waits for low
// fees still pays it before the next one falls due.
func queueDue(tx *store.Txn, s store.Schedule, now time.Time, conv Converter) (store.Schedule, []store.Tip, error) {
	ks, next, err := dueOccurrences(s, now)
	if err != nil {
		return s, nil, err
	}
	e, _ := ParseEvery(s.Every)
	amount := s.Amount
	if s.FiatCurrency != "" && len(ks) > 0 {
		// One conversion for the occurrences queued together: the price of the moment.
		sat, err := convertSchedule(s, conv)
		if err != nil {
			return s, nil, err
		}
		amount = sat
	}
	var queued []store.Tip
	for _, k := range ks {
		date := e.Occurrence(s.Start, k)
		id := ScheduleTipID(s.ID, date)
		if _, err := tx.Tip(id); err == nil {
			continue
		} else if !store.IsNotFound(err) {
			return s, nil, err
		}
		t := store.Tip{ID: id, Address: s.Address, Script: s.Script, Type: s.Type, Amount: amount,
			Label: s.Label, By: e.Occurrence(s.Start, k+1), Created: now.UTC()}
		if err := tx.PutTip(t); err != nil {
			return s, nil, err
		}
		queued = append(queued, t)
	}
	s.Next = next
	return s, queued, tx.PutSchedule(s)
}
