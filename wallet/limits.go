package wallet

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// ErrLimitExceeded means a payment breaks one of the wallet's spending caps.
var ErrLimitExceeded = errors.New("spending limit exceeded")

// Limits are caps a script cannot raise without the passphrase: a per-payment cap, a cap over
// any 24 hours, and destinations exempt from both. Zero means no cap.
type Limits struct {
	PerPayment int64    `json:"per_payment,omitempty"`
	Daily      int64    `json:"daily,omitempty"`
	Allow      []string `json:"allow,omitempty"`
}

// LimitError gives the figures of a refused payment.
type LimitError struct {
	Limit   string // "limit.per-payment" or "limit.daily"
	Cap     int64
	Amount  int64 // the payment, or the 24-hour total with it
	Address string
}

func (e *LimitError) Error() string {
	if e.Limit == "limit.daily" {
		return fmt.Sprintf("spending limit: %d sat in 24 hours with this payment, above limit.daily %d sat", e.Amount, e.Cap)
	}
	return fmt.Sprintf("spending limit: %d sat to %s is above limit.per-payment %d sat", e.Amount, e.Address, e.Cap)
}

// Unwrap makes errors.Is(err, ErrLimitExceeded) hold.
func (e *LimitError) Unwrap() error { return ErrLimitExceeded }

const limitsKey = "limits"

// Limits returns the wallet's spending caps.
func (w *Wallet) Limits() (Limits, error) {
	var l Limits
	err := w.st.View(func(tx *store.Txn) error {
		if v := tx.Setting(limitsKey); v != "" {
			return json.Unmarshal([]byte(v), &l)
		}
		return nil
	})
	return l, err
}

// Loosens says whether going from old to l lets a script spend more: a cap raised or removed,
// or a destination allowed. Those changes need the passphrase.
func (l Limits) Loosens(old Limits) bool {
	looser := func(n, o int64) bool { return o > 0 && (n == 0 || n > o) }
	if looser(l.PerPayment, old.PerPayment) || looser(l.Daily, old.Daily) {
		return true
	}
	for _, a := range l.Allow {
		if !slices.Contains(old.Allow, a) {
			return true
		}
	}
	return false
}

// SetLimits stores new caps. The caller must have checked the passphrase when l loosens the
// current caps (Loosens).
func (w *Wallet) SetLimits(l Limits) error {
	if err := w.writable(); err != nil {
		return err
	}
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error {
		if l.PerPayment == 0 && l.Daily == 0 && len(l.Allow) == 0 {
			return tx.PutSetting(limitsKey, "")
		}
		return tx.PutSetting(limitsKey, string(raw))
	})
}

// CheckLimits refuses a plan that breaks a cap. Payments to the wallet's own addresses and to
// allowed destinations do not count.
func (w *Wallet) CheckLimits(p *Plan, now time.Time) error {
	l, err := w.Limits()
	if err != nil || (l.PerPayment == 0 && l.Daily == 0) {
		return err
	}
	var amount int64
	for _, pay := range p.Request.Payments {
		if pay.own != nil || slices.Contains(l.Allow, pay.Address) {
			continue
		}
		v := int64(pay.Amount)
		if p.Request.SweepAll {
			v = int64(p.Amount)
		}
		if l.PerPayment > 0 && v > l.PerPayment {
			return &LimitError{Limit: "limit.per-payment", Cap: l.PerPayment, Amount: v, Address: pay.Address}
		}
		amount += v
	}
	if l.Daily == 0 || amount == 0 {
		return nil
	}
	spent, err := w.spentSince(now.Add(-24*time.Hour), l.Allow)
	if err != nil {
		return err
	}
	if spent+amount > l.Daily {
		return &LimitError{Limit: "limit.daily", Cap: l.Daily, Amount: spent + amount}
	}
	return nil
}

// spentSince adds up what the wallet's own pending or confirmed transactions first seen after
// since paid to addresses that are neither its own nor allowed.
func (w *Wallet) spentSince(since time.Time, allow []string) (int64, error) {
	var total int64
	err := w.st.View(func(tx *store.Txn) error {
		return tx.ForEachTx(func(r *store.TxRecord) error {
			if !r.Status.Counted() || r.Fee < 0 || r.FirstSeen < since.Unix() {
				return nil
			}
			m, err := r.MsgTx()
			if err != nil {
				return err
			}
			for _, o := range m.TxOut {
				if _, ours := tx.Addr(o.PkScript); ours {
					continue
				}
				if slices.Contains(allow, ScriptAddress(o.PkScript, w.net)) {
					continue
				}
				total += o.Value
			}
			return nil
		})
	})
	return total, err
}
