package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

type discardPolicy struct {
	txbuilder.Policy
	rate txbuilder.FeeRate
}

func (d discardPolicy) Select(r txbuilder.Request) (txbuilder.Selection, error) {
	r.DiscardFeeRate = d.rate
	return d.Policy.Select(r)
}

func loadSplit(t *testing.T, p, f string) *Scenario {
	S := "/work/shared/sim/scenarios/"
	pf, _ := os.Open(S + "payments/" + p + ".csv")
	ff, _ := os.Open(S + "feerates/" + f + ".csv")
	sc, err := ParseSplit(p, pf, f, ff)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestZZDiscard(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	d, _ := strconv.Atoi(os.Getenv("DISCARD"))
	for _, f := range []string{"peak-and-tail", "2019-2020-per-day"} {
		sc := loadSplit(t, "bustabit-tiny-hot-wallet", f)
		pol := discardPolicy{txbuilder.CorePolicy(), txbuilder.FeeRate(d)}
		rs, err := RunSeeds(context.Background(), sc, pol, Config{Seed: 1}, 5, 1)
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(sc.Name, "core", "wpkh", 1, rs)
		fmt.Printf("%s discard %d: fees %.5f total %.5f utxos %.1f changeless %.1f algos %v\n", f, d, s.TotalFees/1e8, s.TotalCost/1e8, s.UTXOsEnd, s.Changeless, s.ByAlgorithm)
	}
}

func TestZZBreakdown(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	f := os.Getenv("RATES")
	sc := loadSplit(t, "bustabit-tiny-hot-wallet", f)
	for _, pol := range []txbuilder.Policy{txbuilder.CorePolicy(), txbuilder.SatchelPolicy()} {
		type agg struct {
			n, nin, change int
			fee            txbuilder.Amount
			vs             int64
		}
		buckets := map[string]*agg{}
		names := []string{"<5", "5-10", "10-20", "20-40", "40-80", ">80"}
		for _, n := range names {
			buckets[n] = &agg{}
		}
		cfg := Config{Seed: 1, Trace: func(i int, op Op, sel *txbuilder.Selection, err error) {
			if sel == nil {
				return
			}
			r := int64(op.FeeRate) / 1000
			k := ">80"
			switch {
			case r < 5:
				k = "<5"
			case r < 10:
				k = "5-10"
			case r < 20:
				k = "10-20"
			case r < 40:
				k = "20-40"
			case r < 80:
				k = "40-80"
			}
			b := buckets[k]
			b.n++
			b.nin += len(sel.Inputs)
			if sel.Change > 0 {
				b.change++
			}
			b.fee += sel.Fee
			b.vs += sel.Weight.VSize()
		}}
		res, err := Run(context.Background(), sc, pol, cfg)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s %s: fees %d total %d coins %d\n", f, pol.Name(), res.Fees, res.TotalCost(), res.CoinsEnd)
		for _, n := range names {
			b := buckets[n]
			fmt.Printf("  %-6s pays %5d inputs %6d (%.2f/pay) change %5d fee %9d (%.0f/pay) vsize/pay %.1f\n", n, b.n, b.nin, float64(b.nin)/float64(max(b.n, 1)), b.change, b.fee, float64(b.fee)/float64(max(b.n, 1)), float64(b.vs)/float64(max(b.n, 1)))
		}
	}
}

func loadComb(t *testing.T, path string) *Scenario {
	f, _ := os.Open(path)
	sc, err := ParseCombined(path, f)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestZZVariant(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	runs, _ := strconv.Atoi(os.Getenv("RUNS"))
	runs = max(runs, 1)
	base := txbuilder.SatchelPolicy().(txbuilder.Portfolio)
	if v := os.Getenv("VAR"); v != "" {
		if err := json.Unmarshal([]byte(v), &base); err != nil {
			t.Fatal(err)
		}
	}
	var pol txbuilder.Policy = base
	if os.Getenv("CORE") != "" {
		pol = txbuilder.CorePolicy()
	}
	type target struct {
		sc    *Scenario
		cost  float64
		coins float64
	}
	targets := []target{
		{loadSplit(t, "bustabit-tiny-hot-wallet", "2019-2020-per-day"), 0.9 * 49579000, 123},
		{loadSplit(t, "bustabit-tiny-hot-wallet", "peak-and-tail"), 0.9 * 10743000, 21},
		{loadComb(t, "/work/shared/sim/tips/tips-sender.csv"), 14226000, 1e9},
		{loadComb(t, "/work/shared/sim/tips/tips-receiver.csv"), 10079000, 1e9},
	}
	only := os.Getenv("ONLY")
	for k, tg := range targets {
		if only != "" && !strings.Contains(only, strconv.Itoa(k)) {
			continue
		}
		cfg := Config{Seed: 1}
		var bk *breakdown
		if os.Getenv("BRK") != "" {
			bk = newBreakdown()
			cfg.Trace = bk.trace
			runs = 1
		}
		rs, err := RunSeeds(context.Background(), tg.sc, pol, cfg, runs, 2)
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(tg.sc.Name, pol.Name(), "wpkh", 1, rs)
		ok := "PASS"
		if s.TotalCost > tg.cost || s.UTXOsEnd > tg.coins {
			ok = "fail"
		}
		fmt.Printf("%-42s %s total %9.0f (%.3f of bar) fees %9.0f coins %6.1f mean %6.1f chgless %6.1f ins %.2f refused %.0f algos %v\n",
			tg.sc.Name, ok, s.TotalCost, s.TotalCost/tg.cost, s.TotalFees, s.UTXOsEnd, s.MeanUTXOs, s.Changeless, s.MeanInputs, s.Refused, fmtAlgos(s.ByAlgorithm))
		if bk != nil {
			bk.print()
		}
	}
}

func fmtAlgos(m map[string]float64) string {
	var b strings.Builder
	for _, k := range Keys(m) {
		fmt.Fprintf(&b, "%s:%.0f ", k, m[k])
	}
	return b.String()
}

type agg struct {
	n, nin, change int
	fee, excess    txbuilder.Amount
	vs             int64
}

type breakdown struct {
	names   []string
	buckets map[string]*agg
}

func newBreakdown() *breakdown {
	b := &breakdown{names: []string{"<5", "5-10", "10-20", "20-40", "40-80", ">80"}, buckets: map[string]*agg{}}
	for _, n := range b.names {
		b.buckets[n] = &agg{}
	}
	return b
}

func (bk *breakdown) trace(i int, op Op, sel *txbuilder.Selection, err error) {
	if sel == nil {
		return
	}
	r := int64(op.FeeRate) / 1000
	k := ">80"
	switch {
	case r < 5:
		k = "<5"
	case r < 10:
		k = "5-10"
	case r < 20:
		k = "10-20"
	case r < 40:
		k = "20-40"
	case r < 80:
		k = "40-80"
	}
	b := bk.buckets[k]
	b.n++
	b.nin += len(sel.Inputs)
	if sel.Change > 0 {
		b.change++
	}
	b.fee += sel.Fee
	b.excess += sel.ChangeDropped
	b.vs += sel.Weight.VSize()
}

func (bk *breakdown) print() {
	for _, n := range bk.names {
		b := bk.buckets[n]
		d := float64(max(b.n, 1))
		fmt.Printf("  %-6s pays %5d inputs %6d (%.2f/pay) change %5d fee %9d (%.0f/pay) excess %8d vsize/pay %.1f\n", n, b.n, b.nin, float64(b.nin)/d, b.change, b.fee, float64(b.fee)/d, b.excess, float64(b.vs)/d)
	}
}

func TestZZTrace(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	base := txbuilder.SatchelPolicy().(txbuilder.Portfolio)
	if v := os.Getenv("VAR"); v != "" {
		if err := json.Unmarshal([]byte(v), &base); err != nil {
			t.Fatal(err)
		}
	}
	lo, _ := strconv.Atoi(os.Getenv("LO"))
	hi, _ := strconv.Atoi(os.Getenv("HI"))
	from, _ := strconv.Atoi(os.Getenv("FROM"))
	n := 0
	sc := loadSplit(t, "bustabit-tiny-hot-wallet", os.Getenv("RATES"))
	cfg := Config{Seed: 1, Trace: func(i int, op Op, sel *txbuilder.Selection, err error) {
		r := int(op.FeeRate / 1000)
		if i < from || r < lo || r >= hi || n > 40 || sel == nil {
			return
		}
		n++
		var ins []string
		for _, c := range sel.Inputs {
			ins = append(ins, fmt.Sprintf("%d(c%d,%v)", c.Value, c.Confirmations, c.FromSelf))
		}
		fmt.Printf("%d rate %s pay %d algo %s fee %d change %d ins %v\n", i, op.FeeRate, -op.Amount, sel.Algorithm, sel.Fee, sel.Change, ins)
	}}
	if _, err := Run(context.Background(), sc, base, cfg); err != nil {
		t.Fatal(err)
	}
}

func TestZZTips(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	base := txbuilder.SatchelPolicy().(txbuilder.Portfolio)
	if v := os.Getenv("VAR"); v != "" {
		if err := json.Unmarshal([]byte(v), &base); err != nil {
			t.Fatal(err)
		}
	}
	var pol txbuilder.Policy = base
	if os.Getenv("CORE") != "" {
		pol = txbuilder.CorePolicy()
	}
	sc := loadComb(t, "/work/shared/sim/tips/tips-sender.csv")
	byIns := map[int]int{}
	var extra, drop txbuilder.Amount
	var chgless, chglessSave int64
	cfg := Config{Seed: 1, Trace: func(i int, op Op, sel *txbuilder.Selection, err error) {
		if sel == nil {
			return
		}
		floor := op.FeeRate.FeeForVSize(141)
		byIns[len(sel.Inputs)]++
		extra += sel.Fee - floor
		drop += sel.ChangeDropped
		if sel.Change == 0 {
			chgless++
			chglessSave += int64(floor - sel.Fee)
			if os.Getenv("V") != "" {
				fmt.Printf("changeless %d rate %s pay %d fee %d dropped %d ins %d algo %s\n", i, op.FeeRate, -op.Amount, sel.Fee, sel.ChangeDropped, len(sel.Inputs), sel.Algorithm)
			}
		}
		if len(sel.Inputs) > 1 && os.Getenv("V") != "" {
			var ins []txbuilder.Amount
			for _, c := range sel.Inputs {
				ins = append(ins, c.Value)
			}
			fmt.Printf("multi %d rate %s pay %d fee %d ins %v algo %s change %d\n", i, op.FeeRate, -op.Amount, sel.Fee, ins, sel.Algorithm, sel.Change)
		}
	}}
	res, err := Run(context.Background(), sc, pol, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("fees %d coins %d byIns %v extra over 141r %d dropped %d changeless %d saving %d\n", res.Fees, res.CoinsEnd, byIns, extra, drop, chgless, chglessSave)
}

func TestZZBroad(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	base := txbuilder.SatchelPolicy().(txbuilder.Portfolio)
	if v := os.Getenv("VAR"); v != "" {
		if err := json.Unmarshal([]byte(v), &base); err != nil {
			t.Fatal(err)
		}
	}
	S := "/work/shared/sim/scenarios/"
	var scs []*Scenario
	for _, f := range []string{"2020-04--2022-04-feerates", "2023-01-01–2025-05-31_25th-perc", "3h-2023", "rand-1-15", "2024_25th-perc"} {
		scs = append(scs, loadSplit(t, "bustabit-tiny-hot-wallet", f))
	}
	for _, f := range []string{"random_blocks.csv", "inverted-bustabit-2019-2020-tiny-hot-wallet.csv", "bustabit-2019-2020-tiny.csv", "history/dias-increasing.csv", "history/dias-alternating.csv"} {
		scs = append(scs, loadComb(t, S+f))
	}
	for _, sc := range scs {
		var line string
		for _, pol := range []txbuilder.Policy{txbuilder.CorePolicy(), base} {
			res, err := Run(context.Background(), sc, pol, Config{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			line += fmt.Sprintf(" | %s total %10d fees %10d coins %5d mean %7.1f refused %d", pol.Name(), res.TotalCost(), res.Fees, res.CoinsEnd, res.MeanCoins(), res.Refused)
		}
		fmt.Printf("%-50s%s\n", sc.Name, line)
	}
}
