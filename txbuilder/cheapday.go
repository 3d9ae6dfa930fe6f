package txbuilder

import (
	"cmp"
	"fmt"
	"slices"
)

// CheapDayRules decide when a wallet merges its coins in a transaction of its own, the rules
// SatchelPolicy used to apply inside payments.
type CheapDayRules struct {
	// CheapPct: a fee rate below CheapPct percent of the long-term rate is cheap (0: never).
	// On a cheap day every coin but the KeepLargest largest is merged.
	CheapPct int64
	// KeepLargest is how many of the largest coins a cheap day leaves, so a large payment can
	// still be made from one coin.
	KeepLargest int
	// CoinGuard (0: off): below the long-term rate, a wallet of more coins merges its smallest
	// until CoinGuard are left, so a wallet receiving many small coins keeps up with them.
	CoinGuard int
	// MinMerge is the fewest coins worth a cheap-day transaction (below 2 means 2); the coin
	// guard ignores it.
	MinMerge int
}

// DefaultCheapDayRules are SatchelPolicy's, chosen with the simulator (BENCHMARKS.md): cheap
// below 25% of the long-term rate (2.5 sat/vB by default), when at least 20 coins can be merged,
// all of them (the merged coin pays large payments alone); below the long-term rate, at most
// 100 coins.
func DefaultCheapDayRules() CheapDayRules {
	return CheapDayRules{CheapPct: 25, KeepLargest: 0, CoinGuard: 100, MinMerge: 20}
}

// CheapDayPlan is a consolidation CheapDayConsolidation recommends: Inputs merged into one output
// of the wallet's own, worth Value = Σ inputs − Fee.
type CheapDayPlan struct {
	Inputs []Coin
	Weight Weight
	Fee    Amount
	Value  Amount
	// Saving is what spending the inputs one by one at the long-term rate would cost, minus the
	// fee now, minus spending the merged output at the long-term rate: always positive.
	Saving Amount
	// Reason says which rule applied, for the user.
	Reason string
}

// CheapDayConsolidation decides whether a wallet holding coins should merge some of them now,
// at feeRate, into one output of type out paid to itself. It is pure: the caller (`satchel
// consolidate --when-cheap`, the simulator) supplies the coins, rates and rules, then builds,
// guards and signs the transaction.
//
// Contract:
//   - Only coins with at least one confirmation and a positive effective value at feeRate are
//     merged; coins of one Coin.Group are merged together or not at all.
//   - longTerm <= 0 means DefaultLongTermFeeRate. The day is cheap when feeRate is below
//     max(1, longTerm × CheapPct / 100); then every unit but the KeepLargest largest (by
//     effective value) is merged. Below longTerm, a wallet holding more than CoinGuard coins
//     (all of coins, eligible or not, count) merges enough of its smallest to leave CoinGuard.
//   - Smallest first, within MaxStandardTxWeight for the one-output transaction.
//   - ok is false (and nothing should be done) when fewer than two coins would be merged, when
//     the output would be below the dust limit of out, or when the merge does not save: the
//     inputs' later cost at longTerm must exceed the fee now plus the merged output's later
//     cost at longTerm.
//   - coins is not modified; Inputs are copies, smallest first.
func CheapDayConsolidation(coins []Coin, feeRate, longTerm FeeRate, out ScriptType, rules CheapDayRules) (plan CheapDayPlan, ok bool) {
	if feeRate <= 0 || out.InputWeight() == 0 || out.OutputWeight() == 0 {
		return CheapDayPlan{}, false
	}
	if longTerm <= 0 {
		longTerm = DefaultLongTermFeeRate
	}
	type unit struct {
		coins []Coin
		eff   Amount
		w     Weight
	}
	var units []unit
	at := map[string]int{}
	for _, c := range coins {
		if c.Confirmations < 1 || c.InputWeight() == 0 || c.Value <= 0 {
			if c.Group != "" {
				at[c.Group] = -1 // an ineligible coin keeps its address's others back
			}
			continue
		}
		if c.Group != "" {
			if k, seen := at[c.Group]; seen {
				if k >= 0 {
					units[k].coins = append(units[k].coins, c)
					units[k].eff += c.EffectiveValue(feeRate)
					units[k].w += c.InputWeight()
				}
				continue
			}
			at[c.Group] = len(units)
		}
		units = append(units, unit{coins: []Coin{c}, eff: c.EffectiveValue(feeRate), w: c.InputWeight()})
	}
	units = slices.DeleteFunc(units, func(u unit) bool {
		return u.eff <= 0 || (u.coins[0].Group != "" && at[u.coins[0].Group] < 0)
	})
	// Largest first; the merge takes from the end.
	slices.SortStableFunc(units, func(a, b unit) int { return cmp.Compare(b.eff, a.eff) })

	var mergeUnits, mergeCoins int
	cheap := max(longTerm*FeeRate(rules.CheapPct)/100, 1)
	if rules.CheapPct > 0 && feeRate < cheap {
		mergeUnits = len(units) - rules.KeepLargest
		plan.Reason = fmt.Sprintf("fees are cheap (%s sat/vB, below %s): every coin but the %d largest is merged", feeRate, cheap, rules.KeepLargest)
	}
	if rules.CoinGuard > 0 && feeRate < longTerm && len(coins) > rules.CoinGuard {
		// Merging m coins into one leaves len(coins) - m + 1.
		mergeCoins = len(coins) + 1 - rules.CoinGuard
		if mergeUnits <= 0 {
			plan.Reason = fmt.Sprintf("%d coins, more than %d, below the long-term rate of %s sat/vB: the smallest are merged", len(coins), rules.CoinGuard, longTerm)
		}
	}
	var inW Weight
	var sum Amount
	outW := out.OutputWeight()
	for k := len(units) - 1; k >= 0; k-- {
		merged := len(units) - 1 - k
		if merged >= mergeUnits && len(plan.Inputs) >= mergeCoins {
			break
		}
		u := units[k]
		n := len(plan.Inputs) + len(u.coins)
		if EstimateTxWeight(n, 1, inW+u.w, outW) > MaxStandardTxWeight {
			break
		}
		inW += u.w
		for _, c := range u.coins {
			sum += c.Value
		}
		plan.Inputs = append(plan.Inputs, u.coins...)
	}
	if len(plan.Inputs) < 2 || (len(plan.Inputs) < rules.MinMerge && mergeCoins <= 0) {
		return CheapDayPlan{}, false
	}
	plan.Weight = EstimateTxWeight(len(plan.Inputs), 1, inW, outW)
	plan.Fee = feeRate.FeeForWeight(plan.Weight)
	plan.Value = sum - plan.Fee
	if plan.Value < out.DustLimit() {
		return CheapDayPlan{}, false
	}
	plan.Saving = longTerm.FeeForWeight(inW) - plan.Fee - longTerm.FeeForWeight(out.InputWeight())
	if plan.Saving <= 0 {
		return CheapDayPlan{}, false
	}
	return plan, true
}
