package sim

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

func loadTiny(t testing.TB) *Scenario {
	t.Helper()
	f, err := os.Open(testdata + "tiny.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := ParseCombined(f.Name(), f)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestRunTinyScenarioByHand replays testdata/sim/tiny.csv, every figure worked out by hand.
// Sizes (P2WPKH throughout): fixed part 42 WU, input 272 WU, output 124 WU. One input with a
// payee and change: 562 WU = 141 vB; without change: 438 WU = 110 vB; two inputs and change:
// 834 WU = 209 vB. A payment's selection target is the payee plus 42 vB at its rate.
//
//	line 1 (block 1): deposit 100,000.   line 2 (block 2): deposit 50,000.   line 3: nothing.
//	line 4, 20 sat/vB, pay 30,000 (target 30,840; both deposits are others' coins with fewer
//	  than 6 confirmations, so the second tier chooses):
//	  core: BnB finds nothing within 30,840+1,300; Knapsack (no change target at 260ede1) takes
//	    the smallest coin above 31,460, the 50,000 one; SRD's 1-coin draw ties on waste and two
//	    coins waste more. Fee 20 x 141 = 2,820, change 50,000-30,000-2,820 = 17,180.
//	  satchel: CoinGrinder and Knapsack aim at 30,840 + a change target of 50,620 or more, so
//	    only the 100,000 coin will do. Fee 2,820, change 67,180.
//	line 5, 1 sat/vB, pay 10,000: only the change (own, 1 confirmation) is in the first tier.
//	  core: spends the 17,180 change: fee 141, change 7,039. satchel: the 67,180 change: fee 141,
//	    change 57,039 (a cheap day, but no other coin in that tier to consolidate).
//	line 6, 5 sat/vB, pay 1,000,000: refused, insufficient funds (both).
//	line 7: deposit of 200 sat, below the 294 sat P2WPKH dust limit: refused (both).
//	line 8, 1 sat/vB, pay 6,900 (target 6,942), every coin now in the first tier:
//	  core: BnB finds the 7,039 coin (6,971 effective, 29 over the target, within the 711 sat
//	    cost of change): no change, fee 110 + 29 = 139. One coin left: the 100,000 deposit.
//	  satchel-merge: BnB's window is 235 sat (31 + 68 x 3 at its cheap discard rate): nothing.
//	    Knapsack takes the 50,000 coin (waste -136+235 = 99); SRD must take both coins
//	    (57,039 is 2 sat short of its 56,973 target alone), waste -272+235 = -37, and wins.
//	    Fee 209, change 107,039-6,900-209 = 99,930. One coin left; one coin (either) was more
//	    than the payment needed: 1 revealed.
//	  satchel: the same SRD pick, but the payment needs only one coin: the least valuable, the
//	    50,000 deposit, is left out (57,039 alone pays 6,900 + 110). Fee 141, change 49,998.
//	    Two coins left; a cheap day (1 sat/vB, below 2.5), but 2 coins are fewer than the 20 a
//	    consolidation of its own needs.
//
// Totals: core fees 2,820+141+139 = 3,100, satchel-merge 2,820+141+209 = 3,170, one coin left
// (680 sat to spend at 10 sat/vB), coins after each line 1,2,2,2,2,2,2,1 = 14 over 8 lines;
// satchel 2,820+141+141 = 3,102, two coins left (1,360 sat), 15 coin-lines.
func TestRunTinyScenarioByHand(t *testing.T) {
	sc := loadTiny(t)
	type want struct {
		fees, total          txbuilder.Amount
		coins, coinLines     int
		revealed             int
		changeless, inputs   int
		minChange, maxChange txbuilder.Amount
		algos                map[string]int
	}
	for _, tc := range []struct {
		pol  txbuilder.Policy
		want want
	}{
		{txbuilder.CorePolicy(), want{3_100, 3_780, 1, 14, 0, 1, 3, 7_039, 17_180, map[string]int{"knapsack": 2, "bnb": 1}}},
		{txbuilder.SatchelMergePolicy(), want{3_170, 3_850, 1, 14, 1, 0, 4, 57_039, 99_930, map[string]int{"knapsack": 2, "srd": 1}}},
		{txbuilder.SatchelPolicy(), want{3_102, 4_462, 2, 15, 0, 0, 3, 49_998, 67_180, map[string]int{"knapsack": 2, "srd": 1}}},
	} {
		for seed := range uint64(3) { // no draw changes these choices
			res, err := Run(context.Background(), sc, tc.pol, Config{Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if res.Fees != w.fees || res.TotalCost() != w.total || res.CostToEmpty != txbuilder.Amount(680*w.coins) || res.CoinsEnd != w.coins {
				t.Errorf("%s seed %d: fees %d total %d empty %d coins %d; want %d %d %d", tc.pol.Name(), seed,
					res.Fees, res.TotalCost(), res.CostToEmpty, res.CoinsEnd, w.fees, w.total, w.coins)
			}
			if res.Extra != w.revealed || res.Consolidations != 0 {
				t.Errorf("%s: %d coins revealed, %d consolidations", tc.pol.Name(), res.Extra, res.Consolidations)
			}
			if res.Ops != 8 || res.Deposits != 2 || res.Payments != 3 || res.Refused != 2 ||
				res.RefusedBy[RefusedInsufficientFunds] != 1 || res.RefusedBy[RefusedDepositDust] != 1 {
				t.Errorf("%s: ops %d deposits %d payments %d refused %d %v", tc.pol.Name(), res.Ops, res.Deposits, res.Payments, res.Refused, res.RefusedBy)
			}
			if res.Changeless != w.changeless || res.Inputs != w.inputs || res.MinChange != w.minChange || res.MaxChange != w.maxChange {
				t.Errorf("%s: changeless %d inputs %d change %d-%d; want %d %d %d-%d", tc.pol.Name(),
					res.Changeless, res.Inputs, res.MinChange, res.MaxChange, w.changeless, w.inputs, w.minChange, w.maxChange)
			}
			if !reflect.DeepEqual(res.ByAlgorithm, w.algos) {
				t.Errorf("%s: algorithms %v, want %v", tc.pol.Name(), res.ByAlgorithm, w.algos)
			}
			if res.MeanCoins() != float64(w.coinLines)/8 || res.UneconChange != 0 || res.UneconInputs != 0 {
				t.Errorf("%s: mean coins %v, uneconomical change %d inputs %d", tc.pol.Name(), res.MeanCoins(), res.UneconChange, res.UneconInputs)
			}
			if bal := 150_000 - 46_900 - w.fees; res.BalanceEnd != bal {
				t.Errorf("%s: balance %d, want %d", tc.pol.Name(), res.BalanceEnd, bal)
			}
		}
	}
}

func TestCostToEmpty(t *testing.T) {
	tests := []struct {
		n    int
		typ  txbuilder.ScriptType
		rate txbuilder.FeeRate
		want txbuilder.Amount
	}{
		{0, txbuilder.P2WPKH, 10_000, 0},
		{123, txbuilder.P2WPKH, 10_000, 83_640}, // 123 x 68 vB x 10
		{3, txbuilder.P2TR, 10_000, 1_725},      // 3 x 57.5 vB x 10
		{1, txbuilder.P2TR, 1_500, 87},          // 57.5 x 1.5 = 86.25, rounded up once
		{2, txbuilder.P2TR, 1_500, 173},         // 115 x 1.5 = 172.5, not 2 x 87
	}
	for _, tc := range tests {
		if got := CostToEmpty(tc.n, tc.typ, tc.rate); got != tc.want {
			t.Errorf("CostToEmpty(%d, %s, %s) = %d, want %d", tc.n, tc.typ, tc.rate, got, tc.want)
		}
	}
}

// recorder is a policy that remembers the requests it is asked to select for.
type recorder struct {
	txbuilder.Policy
	reqs []txbuilder.Request
}

func (r *recorder) Select(req txbuilder.Request) (txbuilder.Selection, error) {
	r.reqs = append(r.reqs, req)
	return r.Policy.Select(req)
}

// TestSameRequestAsWallet: the simulator asks the policy exactly what `satchel send` asks for the
// same wallet state, built the wallet's way (txbuilder.NewRequest over coins whose confirmations
// come from txbuilder.Confirmations), and the same request gets the same selection.
func TestSameRequestAsWallet(t *testing.T) {
	sc := loadTiny(t)
	rec := &recorder{Policy: txbuilder.SatchelPolicy()}
	if _, err := Run(context.Background(), sc, rec, Config{Seed: 7, Type: txbuilder.P2TR}); err != nil {
		t.Fatal(err)
	}
	if len(rec.reqs) != 4 { // the refused payment is asked too
		t.Fatalf("%d requests", len(rec.reqs))
	}
	// The wallet before line 5 (4 blocks mined): the 50,000 deposit of line 2 (block 2) and the
	// change of line 4, which spent the 100,000 deposit (block 4, one confirmation).
	got := rec.reqs[1]
	coin := func(serial uint32, v txbuilder.Amount, height int32, own bool) txbuilder.Coin {
		return txbuilder.Coin{OutPoint: wire.OutPoint{Index: serial}, Value: v, Type: txbuilder.P2TR,
			Confirmations: txbuilder.Confirmations(height, 4), FromSelf: own}
	}
	// Line 4's transaction: 42 + 230 (P2TR input) + 124 (payee) + 172 (P2TR change) = 568 WU,
	// 142 vB at 20 sat/vB.
	change := txbuilder.Amount(100_000 - 30_000 - 142*20)
	coins := []txbuilder.Coin{coin(2, 50_000, 2, false), coin(3, change, 4, true)}
	payees := []txbuilder.Payee{{PkScript: payeeScript, Type: txbuilder.P2WPKH, Value: 10_000}}
	// satchel send leaves the long-term rate at 0 (the default) unless told otherwise.
	want := txbuilder.NewRequest(payees, nil, coins, txbuilder.SendOptions{FeeRate: 1_000,
		WalletType: txbuilder.P2TR, Rand: got.Rand})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("simulator asked\n%+v\nwallet asks\n%+v", got, want)
	}
	// Same request, same random state: same selection.
	a, b := got, want
	a.Rand, b.Rand = rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	sa, errA := txbuilder.SatchelPolicy().Select(a)
	sb, errB := txbuilder.SatchelPolicy().Select(b)
	if errA != nil || errB != nil || !reflect.DeepEqual(sa, sb) {
		t.Fatalf("different selections: %+v (%v) vs %+v (%v)", sa, errA, sb, errB)
	}
}

func TestRunSeedsMatchesRunsOneByOne(t *testing.T) {
	sc := loadTiny(t)
	got, err := RunSeeds(context.Background(), sc, txbuilder.CorePolicy(), Config{Seed: 5}, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		one, err := Run(context.Background(), sc, txbuilder.CorePolicy(), Config{Seed: 5 + uint64(i)})
		if err != nil || !reflect.DeepEqual(one, r) {
			t.Fatalf("seed %d: %+v vs %+v (%v)", 5+i, one, r, err)
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, loadTiny(t), txbuilder.CorePolicy(), Config{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

func TestSummarizeMeansAndSpread(t *testing.T) {
	runs := []Result{
		{Ops: 4, Payments: 2, Fees: 100, CostToEmpty: 680, CoinsEnd: 1, Inputs: 2, ByAlgorithm: map[string]int{"bnb": 2}, RefusedBy: map[string]int{}},
		{Ops: 4, Payments: 2, Fees: 300, CostToEmpty: 1_360, CoinsEnd: 2, Inputs: 4, ByAlgorithm: map[string]int{"bnb": 1, "srd": 1},
			Refused: 1, RefusedBy: map[string]int{RefusedDust: 1}},
	}
	s := Summarize("x", "core", "wpkh", 1, runs)
	if s.TotalFees != 200 || s.TotalCost != 1_220 || s.UTXOsEnd != 1.5 || s.MeanInputs != 1.5 || s.Refused != 0.5 ||
		s.ByAlgorithm["bnb"] != 1.5 || s.ByAlgorithm["srd"] != 0.5 || s.RefusedBy[RefusedDust] != 0.5 {
		t.Fatalf("%+v", s)
	}
	if sp := s.TotalCostSpread; sp.Min != 780 || sp.Max != 1_660 || sp.StdDev < 622.2 || sp.StdDev > 622.3 {
		t.Fatalf("spread %+v", sp)
	}
}

// TestCheapDayConsolidationTransactions: 25 deposits of 100,000 sat (lines without a fee rate),
// then a line at 2 sat/vB with nothing to pay. After it, SatchelPolicy merges all 25 coins, each
// with at least one confirmation, in a transaction of its own: 42 + 25 x 272 + 124 = 6,966 WU,
// 1,742 vB, 3,484 sat. One coin is left (680 sat to spend later). satchel-merge merges only
// inside payments, so its 25 coins stay (17,000 sat to spend later).
func TestCheapDayConsolidationTransactions(t *testing.T) {
	sc := &Scenario{Name: "deposits"}
	for range 25 {
		sc.Ops = append(sc.Ops, Op{Amount: 100_000})
	}
	sc.Ops = append(sc.Ops, Op{FeeRate: txbuilder.SatPerVB(2)})
	res, err := Run(context.Background(), sc, txbuilder.SatchelPolicy(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Consolidations != 1 || res.ConsolidatedInputs != 25 || res.ConsolidationFees != 3_484 || res.Fees != 0 ||
		res.CoinsEnd != 1 || res.TotalCost() != 3_484+680 || res.BalanceEnd != 2_500_000-3_484 {
		t.Fatalf("%+v", res)
	}
	res, err = Run(context.Background(), sc, txbuilder.SatchelMergePolicy(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Consolidations != 0 || res.CoinsEnd != 25 || res.TotalCost() != 17_000 {
		t.Fatalf("satchel-merge: %+v", res)
	}
}
