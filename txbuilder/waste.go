package txbuilder

import (
	"fmt"
	"math/rand/v2"
)

// ChangeRule decides when change is too small to deserve an output; what is not kept goes to
// the fee. Both rules also enforce the change type's relay dust limit.
type ChangeRule int

const (
	// ChangeRuleCostOfChange is Core at 260ede1 (2022): drop change at or below cost_of_change
	// (the change output's fee now plus spending it at the discard rate) or below dust at the
	// discard rate.
	ChangeRuleCostOfChange ChangeRule = iota
	// ChangeRuleMinViable is current Core's min_viable_change: keep change worth more than
	// spending it at the discard rate and not dust at that rate.
	ChangeRuleMinViable
)

// dustAtRate is Core's GetDustThreshold at rate r: an output is dust when spending it at r costs
// at least its value (output size plus a minimal spend, 67 vB for witness programs, 148 else).
func dustAtRate(t ScriptType, r FeeRate) Amount {
	spend := int64(148)
	switch t {
	case P2WPKH, P2TR, P2WSH:
		spend = 67
	}
	if _, _, ok := t.Multisig(); ok {
		spend = 67
	}
	return r.FeeForVSize(int64(t.OutputWeight())/4 + spend)
}

// minChange is the smallest change rule keeps, and why smaller change is dropped.
func (p *params) minChange(rule ChangeRule) (Amount, string) {
	dust := max(dustAtRate(p.changeType, p.discard), p.changeType.DustLimit())
	switch rule {
	case ChangeRuleMinViable:
		if p.spendFee+1 > dust {
			return p.spendFee + 1, fmt.Sprintf("not worth the %s sat it would cost to spend", p.spendFee.Grouped())
		}
	default:
		if p.costOfChange+1 > dust {
			return p.costOfChange + 1, fmt.Sprintf("not above its %s sat cost of change", p.costOfChange.Grouped())
		}
	}
	return dust, fmt.Sprintf("below the %s sat dust limit", dust.Grouped())
}

// selectionWaste is Core's GetSelectionWaste for a selection whose inputs have effective value
// eff and waste terms inWaste: with change it adds the cost of change, without it the excess over
// target that goes to the fee.
func (p *params) selectionWaste(inWaste, eff, target Amount, change bool) Amount {
	if change {
		return inWaste + p.costOfChange
	}
	return inWaste + eff - target
}

// changeTarget is Core's GenerateChangeTarget: the minimum change Knapsack and CoinGrinder aim
// for, randomised between 50,000 sat and twice the average payment (at most 1,000,000 sat) so
// change outputs do not cluster at one tell-tale value.
func changeTarget(payment, changeFee Amount, rng *rand.Rand) Amount {
	if payment <= ChangeLower/2 {
		return changeFee + ChangeLower
	}
	upper := min(2*payment, ChangeUpper)
	return changeFee + ChangeLower + Amount(rng.Int64N(int64(upper-ChangeLower)))
}
