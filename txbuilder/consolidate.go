package txbuilder

// Algorithm name suffix of a selection that consolidation extended ("coingrinder+consolidate").
const algoConsolidateSuffix = "+consolidate"

// consolidate (MergeInPayment only) extends pk, a selection from pool, with more of the pool's coins when the policy
// says spending them now is cheaper than later: on a cheap day (CheapPct) every coin but the
// KeepLargest largest, and below the long-term rate (CoinGuard) enough to leave CoinGuard coins.
// Coins of least effective value go first, as many as the standard weight allows. It returns the
// extended pick and the weight it added (0 when it added nothing).
func (pf Portfolio) consolidate(p *params, pool []utxo, pk pick) (pick, Weight) {
	if !pf.MergeInPayment {
		return pk, 0
	}
	npos := len(pool)
	for npos > 0 && pool[npos-1].eff <= 0 {
		npos--
	}
	extra := 0
	if pf.CheapPct > 0 && p.feeRate < p.longTerm {
		// Cheap day: leave only the largest coins.
		extra = npos - len(pk.sel) - pf.KeepLargest
	}
	if pf.CoinGuard > 0 && p.feeRate < p.requestLongTerm {
		// After this payment the wallet holds its candidates minus the inputs, plus the change.
		extra = max(extra, len(p.coins)-len(pk.sel)+1-pf.CoinGuard)
	}
	if extra <= 0 {
		return pk, 0
	}
	in := make(map[int32]bool, len(pk.sel))
	var w Weight
	for _, i := range pk.sel {
		in[i] = true
		w += pool[i].weight
	}
	maxW := p.inputRoom(true)
	sel := append(make([]int32, 0, len(pk.sel)+extra), pk.sel...)
	var added Weight
	for i := npos - 1; i >= 0 && extra > 0; i-- {
		if in[int32(i)] || w+pool[i].weight > maxW {
			continue
		}
		w += pool[i].weight
		added += pool[i].weight
		sel = append(sel, int32(i))
		extra--
	}
	if added == 0 {
		return pk, 0
	}
	return pick{algo: pk.algo + algoConsolidateSuffix, sel: sel, waste: pk.waste}, added
}
