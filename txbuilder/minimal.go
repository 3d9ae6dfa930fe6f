package txbuilder

import (
	"cmp"
	"slices"
)

// prune removes from pk every unit of the pool the payment can do without, the least valuable
// first (highest pool index, as the pool is sorted by descending effective value), keeping a
// unit only when the rest would not pay the payees and the fee of a transaction without change.
// Removing a unit of positive effective value only makes the rest poorer, so one pass leaves no
// unit removable: ExtraInputs of the result is 0.
func (p *params) prune(pool []utxo, pk pick) pick {
	var value Amount
	var w Weight
	n := len(p.required)
	for _, i := range pk.sel {
		value += pool[i].eff + pool[i].fee
		w += pool[i].weight
		n += p.unitLen(pool[i].coin)
	}
	order := slices.Clone(pk.sel)
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(b, a) })
	removed := map[int32]bool{}
	for _, i := range order {
		u := &pool[i]
		v2, w2, n2 := value-(u.eff+u.fee), w-u.weight, n-p.unitLen(u.coin)
		if n2 > 0 && p.pays(v2, w2, n2) {
			value, w, n = v2, w2, n2
			removed[i] = true
		}
	}
	if len(removed) == 0 {
		return pk
	}
	sel := make([]int32, 0, len(pk.sel)-len(removed))
	for _, i := range pk.sel {
		if !removed[i] {
			sel = append(sel, i)
		}
	}
	return pick{algo: pk.algo, sel: sel, waste: pk.waste}
}

// unitLen is how many coins the unit of selection i holds.
func (p *params) unitLen(i int32) int {
	if p.members == nil {
		return 1
	}
	return len(p.members[i])
}

// pays reports whether the required coins plus selected coins of total value and weight w
// (n inputs in all) pay the payees and the fee of a transaction without change.
func (p *params) pays(value Amount, w Weight, n int) bool {
	wNo := EstimateTxWeight(n, p.nPayees, w+p.reqWeigh, p.payeeWeight)
	return p.reqValue+value-p.payeeSum >= p.feeRate.FeeForWeight(wNo)
}

// ExtraInputs counts the inputs of sel that the payment could do without: the coins it shows
// its payees beyond those it was paid from. Units (the coins of one Coin.Group together, a coin
// with no group alone) are taken away one at a time, least effective value at req.FeeRate
// first, as long as the inputs left still pay the payees and the fee of a transaction without
// change; the coins taken away are counted. Required coins are the caller's choice and never
// counted; a sweep (SubtractFee) spends everything by design and counts 0. The simulator reports
// it per payment; SatchelPolicy's selections have none.
func ExtraInputs(req Request, sel Selection) int {
	if req.SubtractFee || len(sel.Inputs) == 0 {
		return 0
	}
	required := map[Coin]bool{}
	for _, c := range req.Required {
		required[c] = true
	}
	type unit struct {
		eff, value Amount
		w          Weight
		n          int
	}
	var units []unit
	at := map[string]int{}
	var value Amount
	var w Weight
	for _, c := range sel.Inputs {
		value += c.Value
		w += c.InputWeight()
		if required[c] {
			continue
		}
		u := unit{eff: c.EffectiveValue(req.FeeRate), value: c.Value, w: c.InputWeight(), n: 1}
		if c.Group != "" {
			if k, ok := at[c.Group]; ok {
				units[k].eff += u.eff
				units[k].value += u.value
				units[k].w += u.w
				units[k].n++
				continue
			}
			at[c.Group] = len(units)
		}
		units = append(units, u)
	}
	var paid Amount
	var payW Weight
	for _, py := range req.Payees {
		paid += py.Value
		payW += py.OutputWeight()
	}
	slices.SortStableFunc(units, func(a, b unit) int { return cmp.Compare(a.eff, b.eff) })
	n, extra := len(sel.Inputs), 0
	for _, u := range units {
		v2, w2, n2 := value-u.value, w-u.w, n-u.n
		if n2 > 0 && v2-paid >= req.FeeRate.FeeForWeight(EstimateTxWeight(n2, len(req.Payees), w2, payW)) {
			value, w, n = v2, w2, n2
			extra += u.n
		}
	}
	return extra
}
