package txbuilder

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// ruleOf is the change rule pol decides change by (a Portfolio's, else Core's).
func ruleOf(pol Policy) ChangeRule {
	if pf, ok := pol.(Portfolio); ok {
		return pf.ChangeRule
	}
	return ChangeRuleCostOfChange
}

// checkDropped asserts that a selection without change burnt only what the rule allows: the
// change below the rule's floor (cost of change or dust) plus the fee its output would have
// cost, or Branch and Bound's excess within the cost of change; and that the reason names the
// limit that applied.
func checkDropped(t selTester, pol Policy, req Request, sel Selection) {
	t.Helper()
	if req.SubtractFee || sel.Change > 0 {
		return
	}
	p, err := prepare(pricedAs(pol, req))
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	floor, why := p.minChange(ruleOf(pol))
	var inSum Amount
	var inW Weight
	for _, c := range sel.Inputs {
		inSum += c.Value
		inW += c.InputWeight()
	}
	wCh := EstimateTxWeight(len(sel.Inputs), p.nPayees+1, inW, p.payeeWeight+p.changeWeight)
	outputFee := p.feeRate.FeeForWeight(wCh) - p.feeRate.FeeForWeight(sel.Weight)
	change := inSum - p.payeeSum - p.feeRate.FeeForWeight(wCh)
	if change >= floor {
		t.Fatalf("%s: change of %d sat (floor %d) dropped: %q", pol.Name(), change, floor, sel.NoChangeReason)
	}
	switch {
	case strings.HasPrefix(sel.NoChangeReason, "exact match (bnb)"):
		// Effective values round each input's fee up on its own: a sat per input, plus the
		// count prefix a retry may have added to the target.
		slack := Amount(len(sel.Inputs)) + p.feeRate.FeeForWeight(8)
		if sel.ChangeDropped > p.costOfChange+slack || !strings.Contains(sel.NoChangeReason, "cost of change") {
			t.Fatalf("%s: bnb dropped %d over the %d sat cost of change: %q", pol.Name(), sel.ChangeDropped, p.costOfChange, sel.NoChangeReason)
		}
	case sel.ChangeDropped == 0:
	case change <= 0:
		if sel.ChangeDropped > outputFee || !strings.Contains(sel.NoChangeReason, "would not pay for a change output") {
			t.Fatalf("%s: dropped %d with no change possible (output fee %d): %q", pol.Name(), sel.ChangeDropped, outputFee, sel.NoChangeReason)
		}
	default:
		if sel.ChangeDropped != change+outputFee || !strings.Contains(sel.NoChangeReason, why) ||
			!strings.Contains(sel.NoChangeReason, fmt.Sprintf("change of %s sat", change.Grouped())) {
			t.Fatalf("%s: dropped %d for change %d below %d: %q, want %q", pol.Name(), sel.ChangeDropped, change, floor, sel.NoChangeReason, why)
		}
	}
}

// allPolicies is every named policy and a Portfolio with the merging knobs on, so a property
// holds for each, not for one drawn at random.
func allPolicies() []Policy {
	out := []Policy{}
	for _, name := range PolicyNames() {
		out = append(out, Policies()[name])
	}
	return out
}

// The reproduction: 1,467 P2WPKH and 2 P2SH-P2WPKH coins of 100,000 sat forced with
// --from, paying 10,000 sat, burnt 146,890,000 sat because the change output did not fit. Around
// that count, required coins either pay with change or are refused; never is more than the cost
// of change (or dust plus the change output's fee) dropped.
func TestForcedInputsNeverBurnChange(t *testing.T) {
	for _, nestedTwo := range []bool{false, true} {
		for n := 1_460; n <= 1_472; n++ {
			coins := selRepeatCoins(n, 100_000)
			if nestedTwo {
				coins = append(coins, selCoin(n, 100_000, P2SHP2WPKH), selCoin(n+1, 100_000, P2SHP2WPKH))
			}
			for _, pol := range allPolicies() {
				req := selRequest(1, selPayees(10_000), nil)
				req.Required = coins
				sel, err := pol.Select(req)
				if err != nil {
					if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "spend fewer coins") {
						t.Fatalf("%d (+2 nested %v) %s: %v", n, nestedTwo, pol.Name(), err)
					}
					continue
				}
				checkSelection(t, pricedAs(pol, req), sel)
				checkDropped(t, pol, req, sel)
				if sel.Change == 0 {
					t.Fatalf("%d %s: no change of about %d sat: %q", n, pol.Name(), Amount(len(coins))*100_000, sel.NoChangeReason)
				}
			}
		}
	}
}

func TestChangeThatDoesNotFitShedsOptionalInputs(t *testing.T) {
	// The same coins offered, not forced: finalize drops the least valuable (the nested ones,
	// heavier) until the change output fits.
	coins := append(selRepeatCoins(1_467, 100_000), selCoin(1_467, 100_000, P2SHP2WPKH), selCoin(1_468, 100_000, P2SHP2WPKH))
	req := selRequest(1, selPayees(10_000), coins)
	p, err := prepare(req)
	if err != nil {
		t.Fatal(err)
	}
	sel, short, err := p.finalize(coins, algoAll, ChangeRuleMinViable)
	if err != nil || short != 0 {
		t.Fatalf("err %v short %d", err, short)
	}
	checkSelection(t, req, sel)
	if sel.Change == 0 || sel.ChangeDropped != 0 || len(sel.Inputs) != 1_468 {
		t.Fatalf("change %d dropped %d with %d inputs", sel.Change, sel.ChangeDropped, len(sel.Inputs))
	}
	nested := 0
	for _, c := range sel.Inputs {
		if c.Type == P2SHP2WPKH {
			nested++
		}
	}
	if nested != 1 {
		t.Fatalf("%d nested coins kept, want 1 (the other shed)", nested)
	}
	// Required first, the candidates after: only the candidate is shed.
	p.required = coins[:1_468]
	sel, _, err = p.finalize(coins, algoAll, ChangeRuleMinViable)
	if err != nil || sel.Change == 0 || len(sel.Inputs) != 1_468 || sel.Inputs[1_467] != coins[1_467] {
		t.Fatalf("err %v, change %d, %d inputs", err, sel.Change, len(sel.Inputs))
	}
}
