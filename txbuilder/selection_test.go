package txbuilder

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"
)

// selCoin is a confirmed coin with a unique outpoint.
func selCoin(i int, value Amount, t ScriptType) Coin {
	return Coin{OutPoint: wire.OutPoint{Index: uint32(i)}, Value: value, Type: t, Confirmations: 10}
}

// selWPKHCoins makes one P2WPKH coin per value.
func selWPKHCoins(values ...Amount) []Coin {
	out := make([]Coin, len(values))
	for i, v := range values {
		out[i] = selCoin(i, v, P2WPKH)
	}
	return out
}

func selPayees(values ...Amount) []Payee {
	out := make([]Payee, len(values))
	for i, v := range values {
		out[i] = Payee{Type: P2WPKH, Value: v}
	}
	return out
}

// selRequest pays payees from coins at rate sat/vB, long-term 10 and discard 3 sat/vB.
func selRequest(rate int64, payees []Payee, coins []Coin) Request {
	return Request{
		Payees:          payees,
		Coins:           coins,
		FeeRate:         SatPerVB(rate),
		LongTermFeeRate: SatPerVB(10),
		DiscardFeeRate:  SatPerVB(3),
		ChangeType:      P2WPKH,
		Rand:            rand.New(rand.NewPCG(1, 2)),
	}
}

// selTester is what checkSelection needs from *testing.T and *rapid.T.
type selTester interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// checkSelection asserts what every successful selection must satisfy, whatever the policy.
func checkSelection(t selTester, req Request, sel Selection) {
	t.Helper()
	p, err := prepare(req)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	var inSum Amount
	var inW Weight
	seen := map[wire.OutPoint]bool{}
	offered := map[wire.OutPoint]Coin{}
	for _, c := range append(append([]Coin(nil), req.Coins...), req.Required...) {
		offered[c.OutPoint] = c
	}
	for _, c := range sel.Inputs {
		if seen[c.OutPoint] {
			t.Fatalf("input %v spent twice", c.OutPoint)
		}
		seen[c.OutPoint] = true
		if o, ok := offered[c.OutPoint]; !ok || o != c {
			t.Fatalf("input %v was not offered", c.OutPoint)
		}
		inSum += c.Value
		inW += c.InputWeight()
	}
	for _, c := range req.Required {
		if !seen[c.OutPoint] {
			t.Fatalf("required coin %v not spent", c.OutPoint)
		}
	}
	if len(sel.Inputs) == 0 {
		t.Fatal("no inputs")
	}
	if req.SubtractFee {
		if sel.Change != 0 {
			t.Fatalf("sweep with change %d", sel.Change)
		}
		if sel.Sent < req.Payees[0].DustLimit() {
			t.Fatalf("sweep sends %d, below dust", sel.Sent)
		}
	} else if sel.Sent != p.payeeSum {
		t.Fatalf("sent %d, payees want %d", sel.Sent, p.payeeSum)
	}
	if inSum != sel.Sent+sel.Change+sel.Fee {
		t.Fatalf("inputs %d != sent %d + change %d + fee %d", inSum, sel.Sent, sel.Change, sel.Fee)
	}
	nOut, outW := len(req.Payees), p.payeeWeight
	if sel.Change > 0 {
		nOut++
		outW += req.ChangeType.OutputWeight()
	}
	if want := EstimateTxWeight(len(sel.Inputs), nOut, inW, outW); sel.Weight != want {
		t.Fatalf("weight %d, recomputed %d", sel.Weight, want)
	}
	if sel.Weight > MaxStandardTxWeight {
		t.Fatalf("weight %d over the standard limit", sel.Weight)
	}
	need := req.FeeRate.FeeForWeight(sel.Weight)
	if sel.Fee < need {
		t.Fatalf("fee %d below %d needed for %d WU", sel.Fee, need, sel.Weight)
	}
	if sel.Fee != need+sel.ChangeDropped {
		t.Fatalf("fee %d != needed %d + dropped %d", sel.Fee, need, sel.ChangeDropped)
	}
	if sel.Change < 0 || sel.ChangeDropped < 0 {
		t.Fatalf("negative change %d or dropped %d", sel.Change, sel.ChangeDropped)
	}
	if sel.Change > 0 {
		if sel.ChangeDropped != 0 || sel.NoChangeReason != "" {
			t.Fatalf("change %d with dropped %d, reason %q", sel.Change, sel.ChangeDropped, sel.NoChangeReason)
		}
		if sel.Change < req.ChangeType.DustLimit() || sel.Change < dustAtRate(req.ChangeType, p.discard) {
			t.Fatalf("change %d is dust", sel.Change)
		}
		if sel.Change <= p.spendFee {
			t.Fatalf("change %d not worth its %d sat spending fee", sel.Change, p.spendFee)
		}
	} else if sel.NoChangeReason == "" {
		t.Fatal("no change and no reason")
	}
	if sel.Algorithm == "" {
		t.Fatal("no algorithm named")
	}
	if sel.ConsolidationFee < 0 || sel.ConsolidationFee > sel.Fee {
		t.Fatalf("consolidation fee %d outside [0, fee %d]", sel.ConsolidationFee, sel.Fee)
	}
	if (sel.ConsolidationFee > 0) != strings.HasSuffix(sel.Algorithm, algoConsolidateSuffix) {
		t.Fatalf("consolidation fee %d with algorithm %s", sel.ConsolidationFee, sel.Algorithm)
	}
}

// pricedAs is req as pol values it: a Portfolio with CheapPct values change at the cheap rate,
// which moves the smallest change it keeps. checkSelection judges change against that.
func pricedAs(pol Policy, req Request) Request {
	if pf, ok := pol.(Portfolio); ok {
		req, _ = pf.valued(req)
	}
	return req
}

func TestValidation(t *testing.T) {
	coins := selWPKHCoins(100_000)
	tests := []struct {
		name string
		edit func(*Request)
		want error
	}{
		{"no payees", func(r *Request) { r.Payees = nil }, ErrNoPayees},
		{"zero fee rate", func(r *Request) { r.FeeRate = 0 }, ErrInvalidRequest},
		{"negative fee rate", func(r *Request) { r.FeeRate = -1 }, ErrInvalidRequest},
		{"zero payee value", func(r *Request) { r.Payees[0].Value = 0 }, ErrInvalidRequest},
		{"payee over 21M BTC", func(r *Request) { r.Payees[0].Value = MaxMoney + 1 }, ErrInvalidRequest},
		{"payee one below dust", func(r *Request) { r.Payees[0].Value = 293 }, ErrDustOutput},
		{"p2pkh payee one below dust", func(r *Request) { r.Payees[0] = Payee{Type: P2PKH, Value: 545} }, ErrDustOutput},
		{"payee without type or script", func(r *Request) { r.Payees[0].Type = ScriptUnknown }, ErrInvalidRequest},
		{"unknown change type", func(r *Request) { r.ChangeType = ScriptUnknown }, ErrInvalidRequest},
		{"unspendable change type", func(r *Request) { r.ChangeType = P2WSH }, ErrInvalidRequest},
		{"nil rand", func(r *Request) { r.Rand = nil }, ErrInvalidRequest},
		{"coin of zero value", func(r *Request) { r.Coins = []Coin{selCoin(1, 0, P2WPKH)} }, ErrInvalidRequest},
		{"coin of unspendable type", func(r *Request) { r.Coins = []Coin{selCoin(1, 5000, P2WSH)} }, ErrInvalidRequest},
		{"required coin twice", func(r *Request) { r.Required = []Coin{coins[0], coins[0]} }, ErrInvalidRequest},
		{"sweep to two payees", func(r *Request) { r.SubtractFee = true; r.Payees = selPayees(1000, 1000) }, ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := selRequest(1, selPayees(10_000), coins)
			tc.edit(&req)
			for _, pol := range Policies() {
				_, err := pol.Select(req)
				if !errors.Is(err, tc.want) {
					t.Fatalf("%s: got %v, want %v", pol.Name(), err, tc.want)
				}
			}
		})
	}
}

func TestDustErrorDetails(t *testing.T) {
	req := selRequest(1, []Payee{{Type: P2WPKH, Value: 10_000}, {Type: P2TR, Value: 329}}, selWPKHCoins(100_000))
	_, err := CorePolicy().Select(req)
	var de *DustError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a DustError", err)
	}
	if de.Index != 1 || de.Value != 329 || de.Min != 330 || de.Type != P2TR {
		t.Fatalf("got %+v", *de)
	}
}

func TestPayeeAtDustLimitIsPaid(t *testing.T) {
	for _, ty := range []ScriptType{P2PKH, P2SH, P2WPKH, P2WSH, P2TR} {
		req := selRequest(1, []Payee{{Type: ty, Value: ty.DustLimit()}}, selWPKHCoins(100_000))
		for _, pol := range Policies() {
			sel, err := pol.Select(req)
			if err != nil {
				t.Fatalf("%s to %s at dust: %v", pol.Name(), ty, err)
			}
			checkSelection(t, req, sel)
		}
	}
}

func TestPayeeScriptSizesOutputAndDust(t *testing.T) {
	// An OP_1 push-32 script is a witness program (like P2TR): 43-byte output, 330 sat dust.
	taproot := append([]byte{0x51, 0x20}, make([]byte, 32)...)
	p := Payee{PkScript: taproot}
	if got := p.OutputWeight(); got != 43*4 {
		t.Fatalf("output weight %d", got)
	}
	if got := p.DustLimit(); got != 330 {
		t.Fatalf("dust %d", got)
	}
	// A bare 1-of-1 multisig-like script is not a witness program: 148-byte spend assumed.
	bare := make([]byte, 37)
	bare[0] = 0x51
	if got := (Payee{PkScript: bare}).DustLimit(); got != 3*(8+1+37+148) {
		t.Fatalf("bare dust %d", got)
	}
}

func TestEstimateTxWeightCountPrefixes(t *testing.T) {
	tests := []struct {
		name      string
		nIn, nOut int
		want      Weight
	}{
		{"no inputs one output", 0, 1, TxOverheadWeight},
		{"252 inputs still one byte", 252, 1, TxOverheadWeight},
		{"253 inputs take three bytes", 253, 1, TxOverheadWeight + 8},
		{"253 outputs take three bytes", 1, 253, TxOverheadWeight + 8},
		{"both grow", 300, 300, TxOverheadWeight + 16},
		{"65536 inputs take five bytes", 65536, 1, TxOverheadWeight + 16},
	}
	for _, tc := range tests {
		if got := EstimateTxWeight(tc.nIn, tc.nOut, 0, 0); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	// One P2WPKH input paying one P2WPKH output and change: 140.5 vB, Core's 141.
	w := EstimateTxWeight(1, 2, P2WPKH.InputWeight(), 2*P2WPKH.OutputWeight())
	if w != 562 || w.VSize() != 141 {
		t.Fatalf("1-in 2-out weight %d", w)
	}
}

func TestCoinEffectiveValue(t *testing.T) {
	c := selCoin(0, 10_000, P2TR)
	// 230 WU = 57.5 vB, charged as 58 vB like Core's input_bytes.
	if got := c.EffectiveValue(SatPerVB(10)); got != 10_000-580 {
		t.Fatalf("P2TR at 10 sat/vB: %d", got)
	}
	if got := selCoin(0, 100, P2WPKH).EffectiveValue(SatPerVB(2)); got != 100-136 {
		t.Fatalf("uneconomical coin: %d", got)
	}
}
