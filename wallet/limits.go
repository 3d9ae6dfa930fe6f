package wallet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/fiat"
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
	// PerPaymentFiat and DailyFiat are caps set in a currency (limit.per-payment 20usd), used
	// instead of the satoshi ones and converted at the price of each check (see SetPrice).
	PerPaymentFiat *fiat.Amount `json:"per_payment_fiat,omitempty"`
	DailyFiat      *fiat.Amount `json:"daily_fiat,omitempty"`
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
		return fmt.Sprintf("spending limit: %s paid out in 24 hours with this payment (fees included), above limit.daily %s", groupSat(e.Amount), groupSat(e.Cap))
	}
	return fmt.Sprintf("spending limit: %s to %s is above limit.per-payment %s", groupSat(e.Amount), e.Address, groupSat(e.Cap))
}

// groupNum writes a count or size for people, digits grouped: 101,000.
func groupNum(v int64) string { return strings.TrimSuffix(groupSat(v), " sat") }

// groupSat writes an amount for people, digits grouped: 15,000 sat.
func groupSat(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	if neg {
		return "-" + b.String() + " sat"
	}
	return b.String() + " sat"
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
	if fiatLooser(l.PerPayment, l.PerPaymentFiat, old.PerPayment, old.PerPaymentFiat) ||
		fiatLooser(l.Daily, l.DailyFiat, old.Daily, old.DailyFiat) {
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
		if l.PerPayment == 0 && l.Daily == 0 && len(l.Allow) == 0 && l.PerPaymentFiat == nil && l.DailyFiat == nil {
			return tx.PutSetting(limitsKey, "")
		}
		return tx.PutSetting(limitsKey, string(raw))
	})
}

// CheckLimits refuses a plan that breaks a cap. The per-payment cap applies to the total paid to
// one address in the transaction (two outputs to it are one payment); the daily cap to what
// leaves the wallet in 24 hours, fees included. Payments to the wallet's own addresses and to
// allowed destinations do not count; a replacement (a fee bump) replaces the original's share.
func (w *Wallet) CheckLimits(p *Plan, now time.Time) error {
	dest := map[string]int64{}
	for _, pay := range p.Request.Payments {
		if pay.own != nil {
			continue
		}
		if own, err := w.OwnsScript(pay.Script); err != nil {
			return err
		} else if own {
			continue
		}
		v := int64(pay.Amount)
		if p.Request.SweepAll {
			v = int64(p.Amount)
		}
		dest[w.PayeeKey(pay)] += v
	}
	return w.checkSpend(dest, int64(p.Selection.Fee), p.replaces, now)
}

// CheckPSBTLimits applies the caps to a PSBT this wallet is asked to sign: its outputs to
// addresses that are not the wallet's (s, the signing plan's summary, knows its change by the
// seed, stored or not), and its fee when the PSBT says what its inputs are worth.
func (w *Wallet) CheckPSBTLimits(p *psbt.Packet, s *PSBTSummary, now time.Time) error {
	dest := map[string]int64{}
	err := w.st.View(func(tx *store.Txn) error {
		for i, o := range p.UnsignedTx.TxOut {
			if _, ours := tx.Addr(o.PkScript); ours || (i < len(s.Outputs) && s.Outputs[i].Ours) {
				continue
			}
			addr := ScriptAddress(o.PkScript, w.net)
			if addr == "" {
				addr = fmt.Sprintf("script %x", o.PkScript)
			}
			dest[addr] += o.Value
		}
		return nil
	})
	if err != nil {
		return err
	}
	var fee int64
	if f, ok := txbuilder.PSBTFee(p); ok && f > 0 {
		fee = int64(f)
	}
	return w.checkSpend(dest, fee, chainhash.Hash{}, now)
}

// checkSpend checks amounts per destination and a fee against the caps.
func (w *Wallet) checkSpend(dest map[string]int64, fee int64, replaces chainhash.Hash, now time.Time) error {
	l, err := w.Limits()
	if err == nil {
		l, err = w.capsInSat(l, now)
	}
	if err != nil || (l.PerPayment == 0 && l.Daily == 0) {
		return err
	}
	addrs := make([]string, 0, len(dest))
	for a := range dest {
		addrs = append(addrs, a)
	}
	slices.Sort(addrs)
	var amount int64
	for _, a := range addrs {
		if allowed(l.Allow, a) {
			continue
		}
		v := dest[a]
		if l.PerPayment > 0 && v > l.PerPayment {
			return &LimitError{Limit: "limit.per-payment", Cap: l.PerPayment, Amount: v, Address: a}
		}
		amount += v
	}
	// Fees count with what they pay for: a payment to the wallet itself or to an allowed
	// destination is exempt, its fee too (consolidations, allowed friends).
	if l.Daily == 0 || amount == 0 {
		return nil
	}
	spent, err := w.spentSince(now.Add(-24*time.Hour), l.Allow, replaces)
	if err != nil {
		return err
	}
	if spent+amount+fee > l.Daily {
		return &LimitError{Limit: "limit.daily", Cap: l.Daily, Amount: spent + amount + fee}
	}
	return nil
}

// spentSince adds up what the wallet's own pending or confirmed transactions first seen after
// since paid to addresses that are neither its own nor allowed, and their fees, leaving out
// the transaction a replacement is about to take the place of.
func (w *Wallet) spentSince(since time.Time, allow []string, replaces chainhash.Hash) (int64, error) {
	var total int64
	err := w.st.View(func(tx *store.Txn) error {
		return tx.ForEachTx(func(r *store.TxRecord) error {
			if !r.Status.Counted() || r.Fee < 0 || r.FirstSeen < since.Unix() || r.TxID == replaces {
				return nil
			}
			m, err := r.MsgTx()
			if err != nil {
				return err
			}
			var paid int64
			for _, o := range m.TxOut {
				if _, ours := tx.Addr(o.PkScript); ours {
					continue
				}
				if allowed(allow, ScriptAddress(o.PkScript, w.net)) {
					continue
				}
				paid += o.Value
			}
			if paid > 0 {
				total += paid + r.Fee
			}
			return nil
		})
	})
	return total, err
}

// PayeeKey names a payment's destination for comparing payees: the address as the script
// spells it (so two spellings of one address are one destination), or for a silent payment,
// whose script is only known at signing, the address in lower case (bech32m is
// case-insensitive, and upper case is a valid spelling).
func (w *Wallet) PayeeKey(p Payment) string {
	if p.SilentPayment != nil || len(p.Script) == 0 {
		return NormalizeAddress(p.Address)
	}
	if p.own == nil && bytes.Equal(p.Script, SilentPlaceholder) {
		return NormalizeAddress(p.Address)
	}
	if a := ScriptAddress(p.Script, w.net); a != "" {
		return a
	}
	return fmt.Sprintf("script %x", p.Script)
}

// NormalizeAddress is an address as satchel compares it: bech32 and bech32m addresses (and
// silent payment addresses) in lower case, base58 ones as they are (their case matters).
func NormalizeAddress(a string) string {
	l := strings.ToLower(a)
	for _, hrp := range []string{"bc1", "tb1", "bcrt1", "sp1", "tsp1", "sprt1"} {
		if strings.HasPrefix(l, hrp) {
			return l
		}
	}
	return a
}

// allowed says whether a destination is on the caps' allow list, however either was spelled.
func allowed(allow []string, dest string) bool {
	d := NormalizeAddress(dest)
	for _, a := range allow {
		if NormalizeAddress(a) == d {
			return true
		}
	}
	return false
}
