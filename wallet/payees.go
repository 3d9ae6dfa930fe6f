package wallet

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// mergePayees joins payments to one destination into one output: two outputs to one address
// in one transaction tell everyone they have one owner, and cost an output more. Amounts are
// added and distinct labels kept (joined with "; "); each merge is explained in a note. The
// first payment's position is kept. Destinations are compared by PayeeKey, so two spellings
// of one address are one payee.
func (w *Wallet) mergePayees(pays []Payment) ([]Payment, []string) {
	first := map[string]int{}
	var out []Payment
	var merged [][]int // payee numbers (from 1) merged into each output
	for i, p := range pays {
		k := w.PayeeKey(p)
		if j, ok := first[k]; ok {
			o := &out[j]
			o.Amount += p.Amount
			if p.Label != "" && !strings.Contains("; "+o.Label+"; ", "; "+p.Label+"; ") {
				if o.Label == "" {
					o.Label = p.Label
				} else {
					o.Label = FitLabel(o.Label + "; " + p.Label)
				}
			}
			o.Notes = append(o.Notes, p.Notes...)
			merged[j] = append(merged[j], i+1)
			continue
		}
		first[k] = len(out)
		out = append(out, p)
		merged = append(merged, []int{i + 1})
	}
	var notes []string
	for j, m := range merged {
		if len(m) < 2 {
			continue
		}
		nums := make([]string, len(m))
		for i, n := range m {
			nums[i] = fmt.Sprint(n)
		}
		notes = append(notes, fmt.Sprintf("payees %s pay the same address %s: merged into one output of %s",
			strings.Join(nums, ", "), out[j].Address, groupSat(int64(out[j].Amount))))
	}
	return out, notes
}

// CheckDust refuses, before any wallet is opened or backend asked, a payee whose amount is
// below its dust limit: the amount is wrong whatever the coins and the fee, so it is said
// first and alone. Payees numbered from 1 as given. Payees that merge with another (one
// destination twice), fiat amounts (not converted yet) and sweeps are left to the plan.
func CheckDust(pays []Payment, sweep bool) error {
	if sweep {
		return nil
	}
	key := func(p Payment) string {
		if p.SilentPayment != nil || len(p.Script) == 0 || bytes.Equal(p.Script, SilentPlaceholder) {
			return NormalizeAddress(p.Address)
		}
		return string(p.Script)
	}
	seen := map[string]int{}
	for _, p := range pays {
		seen[key(p)]++
	}
	for i, p := range pays {
		if p.Fiat != nil || p.Amount <= 0 || seen[key(p)] > 1 {
			continue
		}
		py := txbuilder.Payee{PkScript: p.Script, Type: p.Type, Value: p.Amount}
		if limit := py.DustLimit(); p.Amount < limit {
			return &txbuilder.DustError{Index: i, Value: p.Amount, Min: limit, Type: p.Type}
		}
	}
	return nil
}
