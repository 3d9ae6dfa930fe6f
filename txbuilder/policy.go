package txbuilder

import (
	"errors"
	"fmt"
)

// Portfolio is a coin-selection policy built, like Bitcoin Core's wallet, from several
// algorithms whose results compete on the waste metric: least waste wins, more inputs on a tie,
// then the earlier algorithm (BnB, Knapsack, CoinGrinder, SRD). Its fields are the knobs a
// simulator tunes; CorePolicy and SatchelPolicy are two settings of them.
type Portfolio struct {
	// Label names the policy in reports and in Policies.
	Label string
	// BnB, Knapsack and SRD switch Core's algorithms on.
	BnB, Knapsack, SRD bool
	// CoinGrinderAbove runs CoinGrinder when FeeRate > CoinGrinderAbove × LongTermFeeRate
	// (current Core: 3); 0 never runs it.
	CoinGrinderAbove int64
	// KnapsackChangeTarget gives Knapsack Core's random minimum change (GenerateChangeTarget) as
	// current Core does. Core 260ede1 computed that target but did not pass it on (bitcoin#25825),
	// so Knapsack aimed at the target plus the change output's fee and made change of any size.
	KnapsackChangeTarget bool
	// ChangeRule decides when change is too small to keep.
	ChangeRule ChangeRule
	// LegacyWaste scores Knapsack and SRD results as if they always made change, as Core
	// 260ede1 did; otherwise a result's waste reflects whether it will really have change.
	LegacyWaste bool
	// Attempts is the number of complete selections made; a later one replaces the kept one when
	// its fee is not higher. Core makes 2: its "avoid partial spends" rerun, which with one coin
	// per address is a second random try.
	Attempts int
	// ConfirmationTiers follows Core's eligibility filters: first own coins with 1 confirmation
	// and others' with 6, then any confirmed coin, then own unconfirmed change; others'
	// unconfirmed coins are never spent.
	ConfirmationTiers bool
	// CheapPct makes rates below CheapPct percent of the long-term fee rate "cheap" (0: off).
	// On a cheap day the wallet consolidates (see CheapDayRules, and MergeInPayment): all but
	// the KeepLargest largest coins are merged. Because coins are then spent on cheap days, the
	// policy values a coin's (and change's) later spending at that cheap rate rather than the
	// long-term rate: in the waste metric, in the cost of change, and for CoinGrinderAbove.
	CheapPct int64
	// KeepLargest is how many of the largest coins a cheap-day consolidation leaves unspent, so
	// large payments can still be made from a single coin.
	KeepLargest int
	// CoinGuard bounds the coin count (0: off): below the long-term fee rate, a wallet holding
	// more coins merges its smallest ones until CoinGuard would be left. Spending a coin below
	// the long-term rate is cheaper than spending it later, and a wallet with many small coins
	// (a tip receiver) would not get to them all on cheap days.
	CoinGuard int
	// MinMerge is the fewest coins a cheap-day transaction of its own merges
	// (CheapDayRules.MinMerge); unused with MergeInPayment.
	MinMerge int
	// MergeInPayment does the cheap-day and coin-guard merging inside payments: the merged
	// coins join the inputs of a payment to someone else, who learns them all. Off, the policy
	// spends only what a payment needs, and merging is a transaction of its own
	// (CheapDayConsolidation with the policy's CheapDayRules).
	MergeInPayment bool
	// AvoidPartialSpends decides when coins on one address (Coin.Group) are spent together.
	AvoidPartialSpends PartialSpends
	// Minimal removes from a chosen input set every input the payment can do without (the
	// least valuable first), so a payee learns no coin it was not paid from. See ExtraInputs.
	Minimal bool
	// ChangeTargetPct caps the change target of Knapsack and CoinGrinder (Core's random 50,000
	// to 1,000,000 sat) at this percentage of the payment (0: no cap), so a wallet making small
	// payments spends coins of a fitting size instead of keeping back 50,000 sat each time.
	ChangeTargetPct int64
}

// PartialSpends says whether coins on one address are selected as one unit.
type PartialSpends int

const (
	// PartialSpendsAllowed selects every coin on its own.
	PartialSpendsAllowed PartialSpends = iota
	// PartialSpendsAvoided selects the coins of one address as one unit in every attempt
	// (Core's -avoidpartialspends=1).
	PartialSpendsAvoided
	// PartialSpendsSecondAttempt is Core's default: the first attempt selects coins on their
	// own, the second groups them by address and is kept when its fee is not higher
	// (-maxapsfee=0). It needs Attempts >= 2.
	PartialSpendsSecondAttempt
)

// CorePolicy is Bitcoin Core's wallet at commit 260ede1 (2022), the baseline of the published
// coin-selection simulations: BnB, Knapsack and SRD chosen by waste, no CoinGrinder, two
// attempts (the second with coins grouped by address, Core's avoid-partial-spends rerun with
// -maxapsfee=0, kept when its fee is not higher), change dropped at or below the cost of change. Knapsack spends coins of negative
// effective value only when the request sets IncludeUneconomical, which Core always did.
func CorePolicy() Policy {
	return Portfolio{
		Label:              "core",
		BnB:                true,
		Knapsack:           true,
		SRD:                true,
		ChangeRule:         ChangeRuleCostOfChange,
		LegacyWaste:        true,
		Attempts:           2,
		ConfirmationTiers:  true,
		AvoidPartialSpends: PartialSpendsSecondAttempt,
	}
}

// SatchelPolicy is satchel's default policy, tuned with the simulator (cmd/coinsim,
// BENCHMARKS.md) against CorePolicy. A payment spends only what it needs: inputs it can do
// without are removed (Minimal), and the coins on one address are spent together. It values a
// coin's later spending at the cheap rate (25% of the long-term rate, 2.5 sat/vB by default),
// the rate its cheap-day consolidations pay, so Branch and Bound, CoinGrinder (which runs above the
// cheap rate) and SRD compete on a waste metric that favours fewer inputs; the change target of
// a small payment is at most three times the payment. Merging small coins is left to
// transactions of their own (CheapDayConsolidation with DefaultCheapDayRules: every coin, at
// least 20 at a time, on cheap days; down to 100 coins below the long-term rate), never to a
// payment to someone else. Core's second attempt made no measurable difference and is left out; Knapsack
// made none either but stays, as the one algorithm that finds a set with small change when
// every other asks for more change than the wallet holds.
func SatchelPolicy() Policy {
	pf := satchelMerge()
	pf.Label = "satchel"
	pf.MergeInPayment = false
	pf.Minimal = true
	pf.AvoidPartialSpends = PartialSpendsAvoided
	r := DefaultCheapDayRules()
	pf.CheapPct, pf.KeepLargest, pf.CoinGuard, pf.MinMerge = r.CheapPct, r.KeepLargest, r.CoinGuard, r.MinMerge
	return pf
}

// SatchelMergePolicy is satchel's default until 2026-12 (named "satchel-merge"): on cheap days
// (and below the long-term rate on a wallet of more than 100 coins) a payment also spends the
// wallet's small coins, which is cheaper than a separate consolidation but shows the payee every
// coin it merges. Never the default; kept so the simulator can compare it and a user who wants
// it can ask for it.
func SatchelMergePolicy() Policy { return satchelMerge() }

func satchelMerge() Portfolio {
	return Portfolio{
		Label:                "satchel-merge",
		BnB:                  true,
		Knapsack:             true,
		SRD:                  true,
		CoinGrinderAbove:     1,
		KnapsackChangeTarget: true,
		ChangeRule:           ChangeRuleMinViable,
		Attempts:             1,
		ConfirmationTiers:    true,
		CheapPct:             30,
		KeepLargest:          2,
		CoinGuard:            100,
		ChangeTargetPct:      300,
		MergeInPayment:       true,
	}
}

// DefaultPolicyName is the policy a payment uses unless told otherwise.
const DefaultPolicyName = "satchel"

// Policies lists the policies by name, for the CLI and the simulator.
func Policies() map[string]Policy {
	return map[string]Policy{"core": CorePolicy(), "satchel": SatchelPolicy(), "satchel-merge": SatchelMergePolicy()}
}

// PolicyNames is the names of Policies in a fixed order: Core's baseline, the default, then
// the others.
func PolicyNames() []string { return []string{"core", "satchel", "satchel-merge"} }

// CheapDayRules are the policy's rules for merging coins in a transaction of their own (see
// CheapDayConsolidation); ok is false when the policy has none or merges inside payments.
func (pf Portfolio) CheapDayRules() (rules CheapDayRules, ok bool) {
	if pf.MergeInPayment || (pf.CheapPct <= 0 && pf.CoinGuard <= 0) {
		return CheapDayRules{}, false
	}
	return CheapDayRules{CheapPct: pf.CheapPct, KeepLargest: pf.KeepLargest, CoinGuard: pf.CoinGuard, MinMerge: pf.MinMerge}, true
}

// Name is the policy's label.
func (pf Portfolio) Name() string {
	if pf.Label == "" {
		return "portfolio"
	}
	return pf.Label
}

// Select picks inputs for req. Errors: ErrNoPayees, ErrInvalidRequest, *DustError
// (ErrDustOutput), *InsufficientFundsError (ErrInsufficientFunds), ErrTooLarge.
func (pf Portfolio) Select(req Request) (Selection, error) {
	sel, err := pf.selectCoins(req)
	if err != nil {
		var ife *InsufficientFundsError
		var de *DustError
		if errors.As(err, &ife) || errors.As(err, &de) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNoPayees) ||
			errors.Is(err, ErrBadAmount) {
			return Selection{}, err // already said in the user's terms; the policy's name is noise
		}
		return Selection{}, fmt.Errorf("select coins (%s): %w", pf.Name(), err)
	}
	return sel, nil
}

// valued is req as the policy prices it, and the request's own long-term rate (or its default).
// With CheapPct set, coins are spent on cheap days, so their later spending (the long-term rate of
// the waste metric) and change's (the discard rate) are valued at the cheap rate.
func (pf Portfolio) valued(req Request) (Request, FeeRate) {
	longTerm := req.LongTermFeeRate
	if longTerm <= 0 {
		longTerm = DefaultLongTermFeeRate
	}
	if pf.CheapPct > 0 {
		cheap := max(longTerm*FeeRate(pf.CheapPct)/100, 1)
		req.LongTermFeeRate = cheap
		if req.DiscardFeeRate <= 0 || req.DiscardFeeRate > cheap {
			req.DiscardFeeRate = cheap // prepare raises it to MinDiscardFeeRate if below
		}
	}
	return req, longTerm
}

func (pf Portfolio) selectCoins(req Request) (Selection, error) {
	req, longTerm := pf.valued(req)
	p, err := prepareUnits(req, pf.AvoidPartialSpends == PartialSpendsAvoided)
	if err != nil {
		return Selection{}, err
	}
	p.requestLongTerm = longTerm
	if req.SubtractFee {
		inputs := append([]Coin(nil), p.required...)
		if len(inputs) == 0 {
			for _, u := range p.pool {
				if !pf.ConfirmationTiers || u.tier < tierExcluded {
					inputs = append(inputs, p.unit(u.coin)...)
				}
			}
		}
		return p.sweep(inputs)
	}
	if req.Rand == nil {
		return Selection{}, invalidRequest("Rand is nil")
	}
	var kept Selection
	var pg *params // the grouped units of Core's second attempt, made when first needed
	for a := range max(pf.Attempts, 1) {
		pa := p
		if a > 0 && pf.AvoidPartialSpends == PartialSpendsSecondAttempt {
			if pg == nil {
				if pg, err = prepareUnits(req, true); err != nil {
					return Selection{}, err
				}
				pg.requestLongTerm = longTerm
				if pg.members == nil {
					pg = p // one coin per address: the same units, a second random try
				}
			}
			pa = pg
		}
		sel, err := pf.attempt(pa)
		if err != nil {
			if a == 0 {
				return Selection{}, err
			}
			break
		}
		if a == 0 || sel.Fee <= kept.Fee {
			kept = sel
		}
	}
	return kept, nil
}

// attempt is one complete selection. Per-input effective values cannot foresee the input count
// prefix growing past 252 inputs, so a selection short of its exact fee is redone with the
// target raised by the shortfall.
func (pf Portfolio) attempt(p *params) (Selection, error) {
	var extra Amount
	for range 4 {
		sel, short, err := pf.attemptTarget(p, extra)
		if err != nil || short == 0 {
			return sel, err
		}
		extra += short
	}
	return Selection{}, fmt.Errorf("selection still short of its fee after raising the target by %d sat", extra)
}

func (pf Portfolio) attemptTarget(p *params, extra Amount) (Selection, Amount, error) {
	target := p.target + extra
	need := target - p.reqEff
	if need <= 0 && len(p.required) > 0 {
		return p.finalize(append([]Coin(nil), p.required...), algoManual, pf.ChangeRule)
	}
	tiers := []int8{tierExcluded} // everything the caller offered
	if pf.ConfirmationTiers {
		tiers = []int8{tierSafe, tierConfirm, tierOwnZero}
	}
	widest := p.tierPool(tiers[len(tiers)-1])
	var avail Amount
	for _, u := range widest {
		avail += max(u.eff, 0)
	}
	if avail < need {
		return Selection{}, 0, &InsufficientFundsError{Available: avail + p.reqEff, Needed: target}
	}

	// One random change target per attempt, shared by Knapsack and CoinGrinder as in Core.
	var ct Amount
	if pf.KnapsackChangeTarget || pf.coinGrinderOn(p) {
		ct = changeTarget(p.payeeSum/Amount(p.nPayees), p.changeFee, p.req.Rand)
		if pf.ChangeTargetPct > 0 {
			floor, _ := p.minChange(pf.ChangeRule)
			ct = min(ct, p.changeFee+max(floor, p.payeeSum*Amount(pf.ChangeTargetPct)/100))
		}
	}
	overWeight := false
	prev := -1
	for _, t := range tiers {
		pool := p.tierPool(t)
		if len(pool) == prev {
			continue // same coins as the previous tier: it would fail the same way
		}
		prev = len(pool)
		pk, ow := pf.choose(p, pool, need, ct)
		overWeight = overWeight || ow
		if pk.sel != nil {
			if pf.Minimal {
				pk = p.prune(pool, pk)
			}
			pk, added := pf.consolidate(p, pool, pk)
			sel, short, err := p.finalize(p.inputsOf(pool, pk.sel), pk.algo, pf.ChangeRule)
			if added > 0 && err == nil && short == 0 {
				sel.ConsolidationFee = min(p.feeRate.FeeForWeight(added), sel.Fee)
			}
			return sel, short, err
		}
	}
	if overWeight {
		if p.inputRoom(false) <= 0 {
			return Selection{}, 0, fmt.Errorf("%w: the %s payees alone make it over the %s vB nodes relay; pay them in several transactions", ErrTooLarge, Amount(p.nPayees).Grouped(), maxVSize())
		}
		fewer := ""
		if p.nPayees > 1 {
			fewer = "pay fewer payees at a time, "
		}
		return Selection{}, 0, fmt.Errorf("%w: the coins that would pay %s sat (with the fee) make more than the %s vB nodes relay; send less, %sor merge small coins first (satchel consolidate)",
			ErrTooLarge, target.Grouped(), maxVSize(), fewer)
	}
	// The funds suffice but no algorithm found a set (only possible when some are switched off
	// or gave up): spend every eligible coin.
	var all []int32
	for i, u := range widest {
		if u.eff > 0 {
			all = append(all, int32(i))
		}
	}
	pk := pick{algo: algoAll, sel: all}
	if pf.Minimal {
		pk = p.prune(widest, pk)
	}
	return p.finalize(p.inputsOf(widest, pk.sel), algoAll, pf.ChangeRule)
}

func (pf Portfolio) coinGrinderOn(p *params) bool {
	return pf.CoinGrinderAbove > 0 && p.feeRate > FeeRate(pf.CoinGrinderAbove)*p.longTerm
}

// tierPool is the candidates eligible at tier t, in pool order, computed once per request (a
// policy's attempts share it). tierExcluded means every candidate.
func (p *params) tierPool(t int8) []utxo {
	if t >= tierExcluded {
		return p.pool
	}
	if p.tiers[t] != nil {
		return p.tiers[t]
	}
	n := 0
	for i := range p.pool {
		if p.pool[i].tier <= t {
			n++
		}
	}
	out := p.pool
	if n < len(p.pool) {
		out = make([]utxo, 0, n)
		for _, u := range p.pool {
			if u.tier <= t {
				out = append(out, u)
			}
		}
	}
	p.tiers[t] = out
	return out
}

// pick is one algorithm's answer: indices into the pool it was given.
type pick struct {
	algo  string
	sel   []int32
	waste Amount
}

// choose runs the enabled algorithms over pool for a selection target of need and returns the
// least wasteful result (sel nil if none), and whether any result was refused for its weight.
func (pf Portfolio) choose(p *params, pool []utxo, need, ct Amount) (best pick, overWeight bool) {
	npos := len(pool)
	for npos > 0 && pool[npos-1].eff <= 0 {
		npos--
	}
	positive := pool[:npos]
	maxW, maxWChange := p.inputRoom(false), p.inputRoom(true)

	consider := func(algo string, sel []int32, ow bool, makesChange bool) {
		overWeight = overWeight || ow
		if sel == nil {
			return
		}
		var inWaste, eff, value Amount
		var w Weight
		for _, i := range sel {
			u := &pool[i]
			inWaste += u.waste
			eff += u.eff
			value += u.eff + u.fee
			w += u.weight
		}
		change := makesChange
		if algo == algoBnB {
			change = false
		} else if !pf.LegacyWaste {
			change = p.keepsChange(value, w, len(sel), pf.ChangeRule)
		}
		waste := p.selectionWaste(inWaste, eff, need, change)
		if best.sel == nil || waste < best.waste || (waste == best.waste && len(sel) > len(best.sel)) {
			best = pick{algo: algo, sel: sel, waste: waste}
		}
	}

	if pf.BnB {
		sel, ow := selectBnB(positive, need, p.costOfChange, maxW)
		consider(algoBnB, sel, ow, false)
	}
	if pf.Knapsack {
		kpool := positive
		if p.req.IncludeUneconomical {
			kpool = pool
		}
		var sel []int32
		var ow bool
		if pf.KnapsackChangeTarget {
			sel, ow = selectKnapsack(kpool, need, ct, maxWChange, p.req.Rand, &p.search)
		} else {
			sel, ow = selectKnapsack(kpool, need+p.changeFee, 0, maxWChange, p.req.Rand, &p.search)
		}
		consider(algoKnapsack, sel, ow, true)
	}
	if pf.coinGrinderOn(p) {
		sel, ow := selectCoinGrinder(positive, need, ct, maxWChange)
		consider(algoCoinGrinder, sel, ow, true)
	}
	if pf.SRD {
		sel, ow := selectSRD(positive, need+p.changeFee+ChangeLower, maxWChange, p.req.Rand)
		consider(algoSRD, sel, ow, true)
	}
	return best, overWeight
}

// inputRoom is the weight selected inputs may add under the standard weight, with or without a
// change output, keeping 8 WU for a 3-byte input count.
func (p *params) inputRoom(change bool) Weight {
	fixed := EstimateTxWeight(0, p.nPayees, 0, p.payeeWeight)
	if change {
		fixed = EstimateTxWeight(0, p.nPayees+1, 0, p.payeeWeight+p.changeWeight)
	}
	return MaxStandardTxWeight - fixed - p.reqWeigh - 8
}

// keepsChange reports whether selected coins of total value and weight w (besides the required
// ones) would leave change under rule.
func (p *params) keepsChange(value Amount, w Weight, n int, rule ChangeRule) bool {
	wCh := EstimateTxWeight(n+len(p.required), p.nPayees+1, w+p.reqWeigh, p.payeeWeight+p.changeWeight)
	change := p.reqValue + value - p.payeeSum - p.feeRate.FeeForWeight(wCh)
	floor, _ := p.minChange(rule)
	return change >= floor
}

// inputsOf is the required coins followed by the coins at sel in pool.
func (p *params) inputsOf(pool []utxo, sel []int32) []Coin {
	out := make([]Coin, 0, len(p.required)+len(sel))
	out = append(out, p.required...)
	for _, i := range sel {
		out = append(out, p.unit(pool[i].coin)...)
	}
	return out
}
