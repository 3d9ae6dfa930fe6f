package wallet

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// ErrTipConflict means a tip id was reused for a different payment.
var ErrTipConflict = errors.New("tip id already used for another payment")

// TipRequest queues a tip.
type TipRequest struct {
	Payment Payment
	// By is when the tip must go out whatever the fee; zero means no deadline.
	By time.Time
	// ID makes queueing idempotent: the same id and payment queue once. Empty: a new id.
	ID  string
	Now time.Time
}

// AddTip puts a tip in the queue and returns it. Queueing the same id twice with the same
// payment returns the existing tip, so a script that retries never pays twice.
func (w *Wallet) AddTip(req TipRequest) (store.Tip, bool, error) {
	if err := w.writable(); err != nil {
		return store.Tip{}, false, err
	}
	// A silent payment's output exists only once the batch is signed: the queue could neither
	// pay it (it keeps scripts) nor recognise it paid.
	if err := CheckLabel(req.Payment.Label); err != nil {
		return store.Tip{}, false, err
	}
	// A tip the per-payment cap would refuse at flush (alone, or with the tips already queued
	// to the same address, which a flush pays as one) would block every flush: refuse it now.
	l, err := w.Limits()
	if err != nil {
		return store.Tip{}, false, err
	}
	if l.PerPayment > 0 && !allowed(l.Allow, req.Payment.Address) {
		total := int64(req.Payment.Amount)
		err := w.st.View(func(tx *store.Txn) error {
			tips, err := tx.Tips()
			for _, t := range tips {
				if !t.Cancelled && !t.Paid() && NormalizeAddress(t.Address) == NormalizeAddress(req.Payment.Address) && t.ID != req.ID {
					total += t.Amount
				}
			}
			return err
		})
		if err != nil {
			return store.Tip{}, false, err
		}
		if total > l.PerPayment {
			return store.Tip{}, false, &LimitError{Limit: "limit.per-payment", Cap: l.PerPayment, Amount: total, Address: req.Payment.Address}
		}
	}
	if req.Payment.SilentPayment != nil || bytes.Equal(req.Payment.Script, SilentPlaceholder) {
		return store.Tip{}, false, fmt.Errorf("%w: a silent payment address cannot be queued as a tip; send it with satchel send", ErrBadInput)
	}
	var out store.Tip
	existed := false
	err = w.st.Update(func(tx *store.Txn) error {
		if req.ID != "" {
			old, err := tx.Tip(req.ID)
			if err == nil {
				if !sameTip(old, req.Payment) {
					return fmt.Errorf("%w: %s pays %s to %s", ErrTipConflict, old.ID, groupSat(old.Amount), old.Address)
				}
				out, existed = old, true
				return nil
			}
			if !store.IsNotFound(err) {
				return err
			}
		} else {
			n, err := tx.NextSeq("tip")
			if err != nil {
				return err
			}
			req.ID = fmt.Sprintf("tip-%d", n)
			for {
				if _, err := tx.Tip(req.ID); store.IsNotFound(err) {
					break
				}
				n++
				req.ID = fmt.Sprintf("tip-%d", n)
			}
		}
		out = store.Tip{ID: req.ID, Address: req.Payment.Address, Script: req.Payment.Script, Type: int(req.Payment.Type),
			Amount: int64(req.Payment.Amount), Label: req.Payment.Label, By: req.By.UTC(), Created: req.Now.UTC()}
		if req.Payment.Fiat != nil {
			out.Fiat = req.Payment.Fiat.String()
		}
		return tx.PutTip(out)
	})
	return out, existed, err
}

// sameTip says whether p asks for the tip t already queued under its id: the same address and
// amount, or for an amount in a currency the same currency amount (its satoshis follow the
// price, so a retry a minute later converts to others).
func sameTip(t store.Tip, p Payment) bool {
	if t.Address != p.Address {
		return false
	}
	if p.Fiat != nil && t.Fiat != "" {
		return t.Fiat == p.Fiat.String()
	}
	return t.Amount == int64(p.Amount)
}

// TipRetry returns the tip queued under id when p asks for that same tip (sameTip): the same
// address and amount, or the same currency amount. tip add asks before it converts a currency
// amount, so that a retry once the price has moved asks no price and queues nothing new;
// AddTip checks again when it writes.
func (w *Wallet) TipRetry(id string, p Payment) (store.Tip, bool, error) {
	var t store.Tip
	same := false
	err := w.st.View(func(tx *store.Txn) error {
		var err error
		t, err = tx.Tip(id)
		if store.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		same = sameTip(t, p)
		return nil
	})
	return t, same, err
}

// Tips lists the queue.
func (w *Wallet) Tips() ([]store.Tip, error) {
	var out []store.Tip
	err := w.st.View(func(tx *store.Txn) error { var err error; out, err = tx.Tips(); return err })
	return out, err
}

// CancelTip takes a queued tip out of the queue. Cancelling a tip already cancelled is no
// mistake (a script that retries, a second look): it returns the tip with already true and
// writes nothing. A paid tip cannot be cancelled.
func (w *Wallet) CancelTip(id string) (t store.Tip, already bool, err error) {
	if err := w.writable(); err != nil {
		return store.Tip{}, false, err
	}
	err = w.st.Update(func(tx *store.Txn) error {
		t, err = tx.Tip(id)
		if store.IsNotFound(err) {
			if _, serr := tx.Schedule(id); serr == nil {
				return fmt.Errorf("%w: %s is a recurring tip, not a queued one: stop it with satchel tip schedule cancel %s", ErrBadInput, id, id)
			}
			// A newcomer reads "tip-3" in the list and types 3: name the ID they meant
			// rather than cancel it for them (3 could be a tip someone named so).
			if isDigits(id) {
				if _, terr := tx.Tip("tip-" + id); terr == nil {
					return fmt.Errorf("%w: no tip %q: did you mean tip-%s? (tip IDs are written as satchel tip list shows them)", ErrBadInput, id, id)
				}
			}
			return fmt.Errorf("%w: no tip %q (see: satchel tip list)", ErrBadInput, id)
		}
		if err != nil {
			return err
		}
		if t.Paid() {
			return fmt.Errorf("%w: tip %s is already paid by %s: a payment sent cannot be cancelled", ErrBadInput, id, t.PaidBy)
		}
		if t.Cancelled {
			already = true // nothing written: the store commits no transaction that changes nothing
			return nil
		}
		t.Cancelled = true
		return tx.PutTip(t)
	})
	return t, already, err
}

// Tip is a queued tip as the store keeps it.
type Tip = store.Tip

// FlushRequest asks to pay queued tips.
type FlushRequest struct {
	FeeRate txbuilder.FeeRate
	// Threshold: all queued tips are paid when FeeRate is at or below it; above it only the
	// overdue ones. Zero means no threshold (pay all).
	Threshold txbuilder.FeeRate
	Now       time.Time
	Policy    txbuilder.Policy
}

// FlushPlan is the batch that pays the tips, with what it saves against paying each alone.
type FlushPlan struct {
	*Plan
	Tips []store.Tip
	// AloneFees is what the same tips would cost in fees sent one transaction each at the same
	// rate (each planned against the whole wallet), and Saving the difference.
	AloneFees txbuilder.Amount
	Saving    txbuilder.Amount
}

// ErrNothingToFlush means no tip is due.
var ErrNothingToFlush = errors.New("no tip to pay")

// PlanFlush plans one transaction paying the due tips.
func (w *Wallet) PlanFlush(req FlushRequest) (*FlushPlan, error) {
	tips, err := w.Tips()
	if err != nil {
		return nil, err
	}
	var due []store.Tip
	queued, overdue := 0, 0
	for _, t := range tips {
		if t.Cancelled || t.Paid() {
			continue
		}
		queued++
		late := !t.By.IsZero() && !req.Now.Before(t.By)
		if late {
			overdue++
		}
		if req.Threshold == 0 || req.FeeRate <= req.Threshold || late {
			due = append(due, t)
		}
	}
	if queued == 0 {
		return nil, fmt.Errorf("%w: the queue is empty", ErrNothingToFlush)
	}
	if len(due) == 0 {
		wait := "tips wait"
		if queued == 1 {
			wait = "tip waits"
		}
		return nil, fmt.Errorf("%w: %d %s for fees at or below %s sat/vB (now %s sat/vB); none is overdue",
			ErrNothingToFlush, queued, wait, req.Threshold, req.FeeRate)
	}
	pays := make([]Payment, len(due))
	for i, t := range due {
		pays[i] = Payment{Address: t.Address, Script: t.Script, Type: txbuilder.ScriptType(t.Type), Amount: txbuilder.Amount(t.Amount), Label: t.Label}
	}
	plan, err := w.PlanSend(SendRequest{Payments: pays, FeeRate: req.FeeRate, Policy: req.Policy})
	if err != nil {
		return nil, err
	}
	// Tips are paid one flush after another from unconfirmed change: past node policy's chain
	// limit the flush would be sent and never relayed.
	if err := w.CheckPlanChain(plan); err != nil {
		return nil, fmt.Errorf("tip flush: %w", err)
	}
	fp := &FlushPlan{Plan: plan, Tips: due}
	for _, t := range due {
		plan.tips = append(plan.tips, t.ID)
	}
	for _, p := range pays {
		alone, err := w.PlanSend(SendRequest{Payments: []Payment{p}, FeeRate: req.FeeRate, Policy: req.Policy})
		if err != nil {
			return nil, fmt.Errorf("price tip to %s alone: %w", p.Address, err)
		}
		fp.AloneFees += alone.Selection.Fee
	}
	fp.Saving = fp.AloneFees - plan.Selection.Fee
	return fp, nil
}

// mayStillConfirm says whether a replaced payment of a tip could still confirm: a pending
// transaction of ours took its place without paying the tip (an abandon's self-spend) and has
// not confirmed, so the payee may yet get the original mined. Its tip goes back to the queue only
// once the replacement confirms, never while both may pay.
func mayStillConfirm(paid *decoded, all []*decoded, t store.Tip) bool {
	if paid.rec.Status != store.StatusReplaced {
		return false
	}
	inputs := map[wire.OutPoint]bool{}
	for _, in := range paid.msg.TxIn {
		inputs[in.PreviousOutPoint] = true
	}
	for _, d := range all {
		if d.rec.Status != store.StatusPending || d.rec.TxID == paid.rec.TxID {
			continue
		}
		replaces := false
		for _, in := range d.msg.TxIn {
			if inputs[in.PreviousOutPoint] {
				replaces = true
				break
			}
		}
		if !replaces {
			continue
		}
		for _, o := range d.msg.TxOut {
			if bytes.Equal(o.PkScript, t.Script) && o.Value == t.Amount {
				return false // a fee bump: the replacement pays the tip itself
			}
		}
		return true
	}
	return false
}

// matchTips marks each queued tip paid by the first counted transaction of ours, made after it
// was queued, that pays its destination and amount; a tip whose transaction was replaced or
// conflicted goes back to the queue (a replaced one only once nothing can confirm it, see
// mayStillConfirm). It runs inside recompute, so a tip is recognised whether
// its payment was recorded by flush or found by a later sync (after a crash between broadcast
// and record).
func matchTips(tx *store.Txn, all []*decoded) error {
	tips, err := tx.Tips()
	if err != nil || len(tips) == 0 {
		return err
	}
	ours := map[chainhash.Hash]*decoded{}
	for _, d := range all {
		ours[d.rec.TxID] = d
	}
	used := map[wire.OutPoint]bool{}
	for _, t := range tips {
		if t.Cancelled {
			continue
		}
		if t.Paid() {
			if d, ok := ours[t.PaidBy]; ok && d.rec.Status.Counted() {
				// Tips to one address are paid by one output (their sum).
				for i, o := range d.msg.TxOut {
					if bytes.Equal(o.PkScript, t.Script) && o.Value >= t.Amount {
						used[wire.OutPoint{Hash: t.PaidBy, Index: uint32(i)}] = true
						break
					}
				}
				continue
			}
			if d, ok := ours[t.PaidBy]; ok && mayStillConfirm(d, all, t) {
				continue // replaced by a self-spend (abandon) not yet confirmed: the payment can still win
			}
			t.PaidBy = chainhash.Hash{} // its payment is gone: queue it again
		}
	search:
		for _, d := range all {
			if !d.rec.Status.Counted() || d.rec.Fee < 0 || d.rec.FirstSeen < t.Created.Unix() {
				continue
			}
			for i, o := range d.msg.TxOut {
				op := wire.OutPoint{Hash: d.rec.TxID, Index: uint32(i)}
				if !used[op] && bytes.Equal(o.PkScript, t.Script) && o.Value == t.Amount {
					used[op] = true
					t.PaidBy = d.rec.TxID
					break search
				}
			}
		}
		if err := tx.PutTip(t); err != nil {
			return err
		}
	}
	return nil
}

// markTipsPaid records, before a flush's transaction is broadcast, that it pays the tips ids:
// a flush merges tips to one address into one output, which the search in matchTips (one tip,
// one output of its amount) could not recognise after a crash. Should the transaction never
// reach the network, matchTips finds no such transaction and queues the tips again.
func (w *Wallet) markTipsPaid(ids []string, by chainhash.Hash) error {
	return w.setTipsPaidBy(ids, chainhash.Hash{}, by)
}

// unmarkTipsPaid undoes markTipsPaid when the transaction was refused.
func (w *Wallet) unmarkTipsPaid(ids []string, by chainhash.Hash) error {
	return w.setTipsPaidBy(ids, by, chainhash.Hash{})
}

// setTipsPaidBy sets PaidBy to to on the tips ids whose PaidBy is from.
func (w *Wallet) setTipsPaidBy(ids []string, from, to chainhash.Hash) error {
	if len(ids) == 0 {
		return nil
	}
	if err := w.writable(); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	return w.st.Update(func(tx *store.Txn) error {
		tips, err := tx.Tips()
		if err != nil {
			return err
		}
		for _, t := range tips {
			if want[t.ID] && t.PaidBy == from {
				t.PaidBy = to
				if err := tx.PutTip(t); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// CheckQueue returns ErrNothingToFlush when no tip waits in the queue, so flush can say so
// before it asks for a fee rate.
func (w *Wallet) CheckQueue() error {
	tips, err := w.Tips()
	if err != nil {
		return err
	}
	for _, t := range tips {
		if !t.Cancelled && !t.Paid() {
			return nil
		}
	}
	return fmt.Errorf("%w: the queue is empty", ErrNothingToFlush)
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
