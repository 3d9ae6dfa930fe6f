package txbuilder

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// At 1 sat/vB (long-term 10, discard 3), paying 10,000 sat to P2WPKH from P2WPKH coins:
//   - target (payee + fixed part 42 vB) = 10,042; an input costs 68 sat;
//   - 1-in-2-out is 141 vB, 1-in-1-out 110 vB;
//   - change is kept from 294 sat (dust at 3 sat/vB; cost of change is only 31+204 = 235).
func TestPolicyEdges(t *testing.T) {
	tests := []struct {
		name        string
		coins       []Coin
		edit        func(*Request)
		wantErr     error
		wantAlgo    string // "" = any
		wantChange  Amount
		wantFee     Amount
		wantDropped Amount
		wantInputs  int
		wantReason  string // substring of NoChangeReason
	}{
		{
			name: "change just above dust is kept", coins: selWPKHCoins(10_435),
			wantAlgo: algoKnapsack, wantChange: 294, wantFee: 141, wantInputs: 1,
		},
		{
			name: "change just below dust goes to fee", coins: selWPKHCoins(10_434),
			// 293 sat of change plus the 31 sat its output would have cost.
			wantAlgo: algoKnapsack, wantFee: 434, wantDropped: 324, wantInputs: 1, wantReason: "below the 294 sat dust limit",
		},
		{
			name: "exact match is changeless (bnb)", coins: selWPKHCoins(10_110),
			wantAlgo: algoBnB, wantFee: 110, wantInputs: 1, wantReason: "exact match (bnb)",
		},
		{
			// Knapsack would spend the coin too, but its waste counts a change output (Core 260ede1)
			// or the same 200 sat excess (tie: BnB comes first).
			name: "bnb excess within cost of change goes to fee", coins: selWPKHCoins(10_310),
			wantAlgo: algoBnB, wantFee: 310, wantDropped: 200, wantInputs: 1, wantReason: "exact match (bnb)",
		},
		{
			name: "fee eats all: coin one sat short of target", coins: selWPKHCoins(10_109),
			wantErr: ErrInsufficientFunds,
		},
		{
			name: "fee eats all: uneconomical coins only", coins: selWPKHCoins(68, 68, 68, 50),
			wantErr: ErrInsufficientFunds,
		},
		{
			name: "uneconomical coins only, even when allowed", coins: selWPKHCoins(68, 68, 68, 50),
			edit:    func(r *Request) { r.IncludeUneconomical = true },
			wantErr: ErrInsufficientFunds,
		},
		{
			name: "required coin covers everything (manual)", coins: selWPKHCoins(50_000, 20_000, 7_000),
			edit:     func(r *Request) { r.Required = r.Coins[:1] },
			wantAlgo: algoManual, wantChange: 50_000 - 10_000 - 141, wantFee: 141, wantInputs: 1,
		},
		{
			// Required 5,000 (effective 4,932) leaves 5,110 to select; the 7,000 coin is the
			// smallest that covers it plus a change output. 2-in-2-out is 209 vB.
			name: "required coin topped up by selection", coins: selWPKHCoins(5_000, 20_000, 7_000),
			edit:     func(r *Request) { r.Required = r.Coins[:1]; r.Coins = r.Coins[1:] },
			wantAlgo: algoKnapsack, wantChange: 12_000 - 10_000 - 209, wantFee: 209, wantInputs: 2,
		},
		{
			name: "required coins too small", coins: selWPKHCoins(5_000),
			edit:    func(r *Request) { r.Required = r.Coins; r.Coins = nil },
			wantErr: ErrInsufficientFunds,
		},
		{
			name: "no coins", coins: nil,
			wantErr: ErrInsufficientFunds,
		},
		{
			// 253 inputs need a 3-byte count: 2 vB more than the effective values account for.
			name: "253 inputs exactly at target lack the count prefix fee", coins: selRepeatCoins(253, 1_068),
			edit:    func(r *Request) { r.Payees = selPayees(252_958) },
			wantErr: ErrInsufficientFunds,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, pol := range Policies() {
				req := selRequest(1, selPayees(10_000), tc.coins)
				if tc.edit != nil {
					tc.edit(&req)
				}
				sel, err := pol.Select(req)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("%s: got %v, want %v", pol.Name(), err, tc.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", pol.Name(), err)
				}
				checkSelection(t, req, sel)
				if tc.wantAlgo != "" && sel.Algorithm != tc.wantAlgo {
					t.Errorf("%s: algorithm %s, want %s", pol.Name(), sel.Algorithm, tc.wantAlgo)
				}
				if sel.Change != tc.wantChange || sel.Fee != tc.wantFee || sel.ChangeDropped != tc.wantDropped || len(sel.Inputs) != tc.wantInputs {
					t.Errorf("%s: change %d fee %d dropped %d inputs %d; want %d %d %d %d", pol.Name(),
						sel.Change, sel.Fee, sel.ChangeDropped, len(sel.Inputs), tc.wantChange, tc.wantFee, tc.wantDropped, tc.wantInputs)
				}
				if !strings.Contains(sel.NoChangeReason, tc.wantReason) {
					t.Errorf("%s: reason %q, want %q", pol.Name(), sel.NoChangeReason, tc.wantReason)
				}
				for _, r := range req.Required {
					if sel.Inputs[0] != r {
						t.Errorf("%s: required coin not first", pol.Name())
					}
				}
			}
		})
	}
}

func selRepeatCoins(n int, value Amount) []Coin {
	out := make([]Coin, n)
	for i := range out {
		out[i] = selCoin(i, value, P2WPKH)
	}
	return out
}

func TestInsufficientFundsNumbers(t *testing.T) {
	_, err := CorePolicy().Select(selRequest(1, selPayees(10_000), selWPKHCoins(10_109)))
	var ife *InsufficientFundsError
	if !errors.As(err, &ife) || ife.Available != 10_041 || ife.Needed != 10_042 {
		t.Fatalf("got %v", err)
	}
	_, err = CorePolicy().Select(selRequest(1, selPayees(252_958), selRepeatCoins(253, 1_068)))
	if !errors.As(err, &ife) || ife.Available != 253_000 || ife.Needed != 253_002 {
		t.Fatalf("count prefix: got %v", err)
	}
}

func TestOver252InputsPaysCountPrefix(t *testing.T) {
	for _, pol := range Policies() {
		req := selRequest(1, selPayees(252_958), selRepeatCoins(300, 1_068))
		sel, err := pol.Select(req)
		if err != nil {
			t.Fatalf("%s: %v", pol.Name(), err)
		}
		checkSelection(t, req, sel) // recomputes the weight with the 3-byte count
		if len(sel.Inputs) <= 252 {
			t.Fatalf("%s: %d inputs", pol.Name(), len(sel.Inputs))
		}
	}
}

func TestTooLarge(t *testing.T) {
	// 2,000 P2WPKH coins of 1,068 sat: paying 1.5M sat needs ~1,500 inputs, over 400,000 WU.
	req := selRequest(1, selPayees(1_500_000), selRepeatCoins(2000, 1_068))
	for _, pol := range Policies() {
		if _, err := pol.Select(req); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: got %v", pol.Name(), err)
		}
	}
	// Required coins past the limit.
	req = selRequest(1, selPayees(10_000), nil)
	req.Required = selRepeatCoins(1500, 1_068)
	if _, err := CorePolicy().Select(req); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("required: got %v", err)
	}
}

func TestCoreDropsChangeSatchelKeeps(t *testing.T) {
	// At 20 sat/vB with a 10 sat/vB discard rate, 1,000 sat of change is kept by current Core's
	// minimum viable change (980) but Core 260ede1 drops anything up to its cost of change
	// (620 + 680 = 1,300).
	coin := selWPKHCoins(10_000 + 141*20 + 1_000)
	req := selRequest(20, selPayees(10_000), coin)
	req.DiscardFeeRate = SatPerVB(10)
	core, err := CorePolicy().Select(req)
	if err != nil {
		t.Fatal(err)
	}
	checkSelection(t, req, core)
	if core.Change != 0 || core.ChangeDropped != 1_000+31*20 || !strings.Contains(core.NoChangeReason, "cost of change") {
		t.Fatalf("core: change %d dropped %d reason %q", core.Change, core.ChangeDropped, core.NoChangeReason)
	}
	satchel, err := SatchelPolicy().Select(req)
	if err != nil {
		t.Fatal(err)
	}
	checkSelection(t, req, satchel)
	if satchel.Change != 1_000 {
		t.Fatalf("satchel: change %d", satchel.Change)
	}
}

func TestSatchelGrindsAtHighFeeRates(t *testing.T) {
	coins := []Coin{
		selCoin(0, 250_000, P2PKH),
		selCoin(1, 130_000, P2TR),
		selCoin(2, 40_000, P2WPKH), selCoin(3, 40_000, P2WPKH),
		selCoin(4, 40_000, P2WPKH), selCoin(5, 40_000, P2WPKH),
	}
	for seed := range uint64(20) {
		req := selRequest(50, selPayees(30_000), coins)
		req.Rand = rand.New(rand.NewPCG(seed, 0))
		sel, err := SatchelPolicy().Select(req)
		if err != nil {
			t.Fatal(err)
		}
		checkSelection(t, req, sel)
		// The lone P2TR coin is the lightest set leaving the change target.
		if sel.Algorithm != algoCoinGrinder || len(sel.Inputs) != 1 || sel.Inputs[0].Type != P2TR {
			t.Fatalf("seed %d: %s with %d inputs", seed, sel.Algorithm, len(sel.Inputs))
		}
		// At 2 sat/vB, below satchel's cheap rate (30% of the long-term rate), CoinGrinder stays
		// off; Core 260ede1 never runs it.
		req = selRequest(2, selPayees(30_000), coins)
		req.Rand = rand.New(rand.NewPCG(seed, 0))
		if sel, _ = SatchelPolicy().Select(req); strings.HasPrefix(sel.Algorithm, algoCoinGrinder) {
			t.Fatalf("seed %d: coingrinder at 2 sat/vB", seed)
		}
		req = selRequest(50, selPayees(30_000), coins)
		if sel, _ = CorePolicy().Select(req); sel.Algorithm == algoCoinGrinder {
			t.Fatal("core ran coingrinder")
		}
	}
}

func TestSweep(t *testing.T) {
	tests := []struct {
		name       string
		coins      []Coin
		edit       func(*Request)
		rate       int64
		wantErr    error
		wantSent   Amount
		wantInputs int
	}{
		// 2-in-1-out is 177.5 vB: 178 x 5 = 890. The 300 sat coin costs more than it brings.
		{"sweeps economical coins", selWPKHCoins(10_000, 20_000, 300), nil, 5, nil, 29_110, 2},
		// Adding it: 245.5 vB -> 246 x 5 = 1,230.
		{"sweeps everything when asked", selWPKHCoins(10_000, 20_000, 300), func(r *Request) { r.IncludeUneconomical = true }, 5, nil, 29_070, 3},
		{"sweeps only required coins", selWPKHCoins(10_000, 20_000), func(r *Request) { r.Required = r.Coins[1:] }, 1, nil, 20_000 - 110, 1},
		// 1-in-1-out is 110 vB.
		{"sweep at dust is allowed", selWPKHCoins(404), nil, 1, nil, 294, 1},
		{"sweep below dust is refused", selWPKHCoins(403), nil, 1, ErrDustOutput, 0, 0},
		{"sweep that cannot pay its fee", selWPKHCoins(100), nil, 1, ErrInsufficientFunds, 0, 0},
		{"sweep of nothing", nil, nil, 1, ErrInsufficientFunds, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, pol := range Policies() {
				req := selRequest(tc.rate, selPayees(1), tc.coins) // the payee's value is ignored
				req.SubtractFee = true
				req.Rand = nil // a sweep needs no randomness
				if tc.edit != nil {
					tc.edit(&req)
				}
				sel, err := pol.Select(req)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("%s: got %v, want %v", pol.Name(), err, tc.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", pol.Name(), err)
				}
				checkSelection(t, req, sel)
				if sel.Algorithm != algoSweep || sel.Sent != tc.wantSent || len(sel.Inputs) != tc.wantInputs {
					t.Fatalf("%s: %s sent %d with %d inputs", pol.Name(), sel.Algorithm, sel.Sent, len(sel.Inputs))
				}
			}
		})
	}
}

func TestConfirmationTiers(t *testing.T) {
	young := selCoin(1, 100_000, P2WPKH)
	young.Confirmations = 2
	old := selCoin(2, 30_000, P2WPKH)
	old.Confirmations = 6
	ownUnconfirmed := selCoin(3, 500_000, P2WPKH)
	ownUnconfirmed.Confirmations, ownUnconfirmed.FromSelf = 0, true
	theirsUnconfirmed := selCoin(4, 900_000, P2WPKH)
	theirsUnconfirmed.Confirmations = 0

	// At 20 sat/vB every extra input is waste, so the policies take as few coins as they can.
	tests := []struct {
		name      string
		payment   Amount
		coins     []Coin
		mustSpend Coin
		allowed   []Coin // nil = expect insufficient funds
	}{
		{"others' coins with 6 confirmations first", 10_000, []Coin{young, old}, old, []Coin{old}},
		{"then any confirmed coin", 50_000, []Coin{young, old}, young, []Coin{young, old}},
		{"then own unconfirmed change", 200_000, []Coin{young, old, ownUnconfirmed}, ownUnconfirmed, []Coin{young, old, ownUnconfirmed}},
		{"never others' unconfirmed coins", 200_000, []Coin{young, old, theirsUnconfirmed}, Coin{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, pol := range Policies() {
				req := selRequest(20, selPayees(tc.payment), tc.coins)
				sel, err := pol.Select(req)
				if tc.allowed == nil {
					if !errors.Is(err, ErrInsufficientFunds) {
						t.Fatalf("%s: got %v", pol.Name(), err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", pol.Name(), err)
				}
				checkSelection(t, req, sel)
				if !slices.Contains(sel.Inputs, tc.mustSpend) {
					t.Fatalf("%s: %v not spent", pol.Name(), tc.mustSpend.OutPoint)
				}
				for _, c := range sel.Inputs {
					if !slices.Contains(tc.allowed, c) {
						t.Fatalf("%s: spent %v", pol.Name(), c.OutPoint)
					}
				}
			}
		})
	}
}

func TestSecondAttemptNeverCostsMore(t *testing.T) {
	coins := make([]Coin, 60)
	src := rand.New(rand.NewPCG(7, 7))
	for i := range coins {
		coins[i] = selCoin(i, Amount(1_000+src.Int64N(400_000)), P2WPKH)
	}
	for seed := range uint64(30) {
		one := Portfolio{Label: "one", BnB: true, Knapsack: true, SRD: true, LegacyWaste: true, Attempts: 1}
		two := one
		two.Attempts = 2
		req := selRequest(25, selPayees(150_000), coins)
		req.Rand = rand.New(rand.NewPCG(seed, 3))
		a, err := one.Select(req)
		if err != nil {
			t.Fatal(err)
		}
		req.Rand = rand.New(rand.NewPCG(seed, 3))
		b, err := two.Select(req)
		if err != nil {
			t.Fatal(err)
		}
		if b.Fee > a.Fee {
			t.Fatalf("seed %d: two attempts fee %d > one attempt %d", seed, b.Fee, a.Fee)
		}
	}
}

func TestPortfolioFallsBackToAllCoins(t *testing.T) {
	// SRD alone cannot find 50,000 sat of change; every coin still pays.
	pol := Portfolio{Label: "srd-only", SRD: true, ChangeRule: ChangeRuleMinViable}
	req := selRequest(1, selPayees(10_000), selWPKHCoins(6_000, 6_000))
	sel, err := pol.Select(req)
	if err != nil {
		t.Fatal(err)
	}
	checkSelection(t, req, sel)
	if sel.Algorithm != algoAll || len(sel.Inputs) != 2 {
		t.Fatalf("%s with %d inputs", sel.Algorithm, len(sel.Inputs))
	}
}

func TestRequestNotModified(t *testing.T) {
	coins := selWPKHCoins(50_000, 40_000, 30_000, 20_000)
	orig := append([]Coin(nil), coins...)
	req := selRequest(5, selPayees(45_000), coins)
	req.Required = coins[3:]
	for _, pol := range Policies() {
		if _, err := pol.Select(req); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(coins, orig) {
		t.Fatal("Select reordered or changed the caller's coins")
	}
}

// genRequest draws a varied request: mixed script types, uneconomical coins, several payees,
// required coins, sweeps, and fee rates from 1 to 300 sat/vB (fractional too).
func genRequest(t *rapid.T) Request {
	spendable := []ScriptType{P2WPKH, P2TR, P2PKH, P2SHP2WPKH}
	n := rapid.IntRange(0, 40).Draw(t, "coins")
	coins := make([]Coin, n)
	for i := range coins {
		var v int64
		switch rapid.IntRange(0, 3).Draw(t, "size") {
		case 0:
			v = rapid.Int64Range(1, 5_000).Draw(t, "tiny")
		case 1:
			v = rapid.Int64Range(5_000, 200_000).Draw(t, "small")
		case 2:
			v = rapid.Int64Range(200_000, 5_000_000).Draw(t, "medium")
		default:
			v = rapid.Int64Range(5_000_000, 200_000_000).Draw(t, "large")
		}
		coins[i] = selCoin(i, Amount(v), rapid.SampledFrom(spendable).Draw(t, "type"))
		coins[i].Confirmations = rapid.Int32Range(0, 8).Draw(t, "conf")
		coins[i].FromSelf = rapid.Bool().Draw(t, "self")
		if g := rapid.IntRange(0, 6).Draw(t, "group"); g > 0 {
			coins[i].Group = string(rune('a' + g)) // up to 6 addresses, most holding several coins
		}
	}
	nReq := rapid.IntRange(0, min(3, n)).Draw(t, "required")
	payees := make([]Payee, rapid.IntRange(1, 3).Draw(t, "payees"))
	for i := range payees {
		ty := rapid.SampledFrom([]ScriptType{P2WPKH, P2TR, P2PKH, P2SH, P2WSH}).Draw(t, "payeeType")
		payees[i] = Payee{Type: ty, Value: Amount(rapid.Int64Range(int64(ty.DustLimit()), 3_000_000).Draw(t, "payee"))}
	}
	req := Request{
		Payees:              payees,
		Coins:               coins[nReq:],
		Required:            coins[:nReq],
		FeeRate:             FeeRate(rapid.Int64Range(1_000, 300_000).Draw(t, "feeRate")),
		LongTermFeeRate:     FeeRate(rapid.Int64Range(0, 30_000).Draw(t, "longTerm")),
		DiscardFeeRate:      FeeRate(rapid.Int64Range(0, 20_000).Draw(t, "discard")),
		ChangeType:          rapid.SampledFrom(spendable).Draw(t, "changeType"),
		IncludeUneconomical: rapid.Bool().Draw(t, "uneconomical"),
		Rand:                rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 0)),
	}
	if rapid.IntRange(0, 5).Draw(t, "sweep") == 0 {
		req.SubtractFee = true
		req.Payees = req.Payees[:1]
	}
	return req
}

// genPolicy draws a Portfolio with every knob free.
func genPolicy(t *rapid.T) Policy {
	return Portfolio{
		Label:                "random",
		BnB:                  rapid.Bool().Draw(t, "bnb"),
		Knapsack:             rapid.Bool().Draw(t, "knapsack"),
		SRD:                  rapid.Bool().Draw(t, "srd"),
		CoinGrinderAbove:     rapid.Int64Range(0, 4).Draw(t, "cg"),
		KnapsackChangeTarget: rapid.Bool().Draw(t, "kct"),
		ChangeRule:           ChangeRule(rapid.IntRange(0, 1).Draw(t, "rule")),
		LegacyWaste:          rapid.Bool().Draw(t, "legacy"),
		Attempts:             rapid.IntRange(0, 3).Draw(t, "attempts"),
		ConfirmationTiers:    rapid.Bool().Draw(t, "tiers"),
		CheapPct:             rapid.SampledFrom([]int64{0, 30, 100, 150}).Draw(t, "cheap"),
		KeepLargest:          rapid.IntRange(0, 3).Draw(t, "keep"),
		CoinGuard:            rapid.IntRange(0, 10).Draw(t, "guard"),
		ChangeTargetPct:      rapid.SampledFrom([]int64{0, 100, 300}).Draw(t, "ctpct"),
		MergeInPayment:       rapid.Bool().Draw(t, "merge"),
		AvoidPartialSpends:   PartialSpends(rapid.IntRange(0, 2).Draw(t, "aps")),
		Minimal:              rapid.Bool().Draw(t, "minimal"),
	}
}

// TestSelectProperties: every named policy, and a random one, on any request either errs for a
// stated reason or returns a selection that pays the payees exactly, pays at least its fee rate,
// makes no dust change, drops only change below its floor (with a reason naming the floor) and
// accounts for every satoshi; the same seed gives the same result. The default policy also
// shows payees no coin the payment did not need and spends an address's coins together.
func TestSelectProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		req := genRequest(t)
		seed := rapid.Uint64().Draw(t, "rngSeed")
		for _, pol := range append(allPolicies(), genPolicy(t)) {
			req.Rand = rand.New(rand.NewPCG(seed, 1))
			sel, err := pol.Select(req)

			again := req
			again.Rand = rand.New(rand.NewPCG(seed, 1))
			sel2, err2 := pol.Select(again)
			if !reflect.DeepEqual(sel, sel2) || (err == nil) != (err2 == nil) {
				t.Fatalf("%s: not deterministic: %+v / %v vs %+v / %v", pol.Name(), sel, err, sel2, err2)
			}

			if err == nil {
				checkSelection(t, pricedAs(pol, req), sel)
				checkDropped(t, pol, req, sel)
				if pf, ok := pol.(Portfolio); ok {
					checkPrivacy(t, pf, req, sel)
				}
				continue
			}
			var ife *InsufficientFundsError
			switch {
			case errors.As(err, &ife):
				if ife.Available >= ife.Needed {
					t.Fatalf("%s: insufficient funds with %d available for %d needed", pol.Name(), ife.Available, ife.Needed)
				}
			case errors.Is(err, ErrDustOutput):
				if !req.SubtractFee {
					t.Fatalf("%s: dust error without a dust payee: %v", pol.Name(), err)
				}
			case errors.Is(err, ErrTooLarge):
				// 40 coins never reach the standard weight.
				t.Fatalf("%s: %v", pol.Name(), err)
			default:
				t.Fatalf("%s: unexpected error: %v", pol.Name(), err)
			}
		}
	})
}

// checkPrivacy: a Minimal policy spends no coin the payment can do without, a policy that does
// not merge in payments reports no consolidation fee, and one that avoids partial spends spends
// every candidate of an address it spends from.
func checkPrivacy(t selTester, pf Portfolio, req Request, sel Selection) {
	t.Helper()
	if pf.Minimal {
		if n := ExtraInputs(req, sel); n != 0 && !strings.HasSuffix(sel.Algorithm, algoConsolidateSuffix) {
			t.Fatalf("%s: %d inputs the payment did not need (%s)", pf.Name(), n, sel.Algorithm)
		}
	}
	if !pf.MergeInPayment && sel.ConsolidationFee != 0 {
		t.Fatalf("%s: consolidation fee %d", pf.Name(), sel.ConsolidationFee)
	}
	if pf.AvoidPartialSpends != PartialSpendsAvoided || req.SubtractFee {
		return
	}
	required := map[Coin]bool{}
	for _, c := range req.Required {
		required[c] = true
	}
	spent := map[Coin]bool{}
	groups := map[string]bool{}
	for _, c := range sel.Inputs {
		spent[c] = true
		if !required[c] && c.Group != "" {
			groups[c.Group] = true
		}
	}
	for _, c := range req.Coins {
		if groups[c.Group] && !spent[c] && !required[c] {
			t.Fatalf("%s: spent from %q but left %v", pf.Name(), c.Group, c.OutPoint)
		}
	}
}

// TestCorePolicyFindsEveryFundedPayment: with Knapsack on, Core never fails when the eligible
// coins' effective values cover the target plus a change output.
func TestCorePolicyFindsEveryFundedPayment(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		req := genRequest(t)
		req.SubtractFee = false
		p, err := prepare(req)
		if err != nil {
			t.Fatal(err)
		}
		avail := p.reqEff
		for _, u := range p.pool[:p.npos] {
			if u.tier < tierExcluded {
				avail += u.eff
			}
		}
		_, err = CorePolicy().Select(req)
		if avail >= p.target+p.changeFee && err != nil {
			t.Fatalf("%d available for %d: %v", avail, p.target, err)
		}
	})
}
