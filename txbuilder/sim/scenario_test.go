package sim

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

const testdata = "../../testdata/sim/"

func TestParseCombined(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []Op
		wantErr error
		errLine string // "name:line" the error must start with
	}{
		{
			name: "deposit, payment and nothing",
			text: "0.01000000,0\n-0.00002100,0.00001000\n0,0.00002000\n",
			want: []Op{{1_000_000, 0}, {-2_100, 1_000}, {0, 2_000}},
		},
		{
			name: "byte order mark and CRLF",
			text: "\ufeff0.00050000,0.00000000\r\n-0.00010000,0.00003500\r\n",
			want: []Op{{50_000, 0}, {-10_000, 3_500}},
		},
		{
			name: "no final newline, spaces around fields",
			text: " 1.5 , 0.00001139",
			want: []Op{{150_000_000, 1_139}},
		},
		{
			name: "blank lines at the end are ignored",
			text: "0.1,0\n\n\r\n  \n",
			want: []Op{{10_000_000, 0}},
		},
		{name: "zero lines", text: "", wantErr: ErrEmpty},
		{name: "only blank lines", text: "\n\r\n", wantErr: ErrEmpty},
		{name: "BOM only", text: "\ufeff", wantErr: ErrEmpty},
		{name: "missing fee rate", text: "0.1,0\n-0.1\n", wantErr: ErrMalformed, errLine: "s.csv:2:"},
		{name: "three fields", text: "0.1,0,7\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "nine decimals", text: "0.000000001,0\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "exponent", text: "1e-5,0\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "negative fee rate", text: "-0.1,-0.00001\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "grouping", text: "1,000.5,0\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "more than 21 million BTC", text: "21000000.00000001,0\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "a lone sign", text: "-,0\n", wantErr: ErrMalformed, errLine: "s.csv:1:"},
		{name: "blank line before the end", text: "0.1,0\n\n-0.1,0.00001\n", wantErr: ErrMalformed, errLine: "s.csv:2:"},
		{name: "error on line 3 after good lines", text: "0.1,0\r\n0.2,0\r\nabc,0\r\n", wantErr: ErrMalformed, errLine: "s.csv:3:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := ParseCombined("dir/s.csv", strings.NewReader(tc.text))
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "dir/"+tc.errLine) {
					t.Fatalf("error %q does not start with dir/%s", err, tc.errLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name != "s" || !reflect.DeepEqual(sc.Ops, tc.want) {
				t.Fatalf("got %s %v, want s %v", sc.Name, sc.Ops, tc.want)
			}
		})
	}
}

func TestParseSplitCyclesFeeRates(t *testing.T) {
	// Five lines, two rates: deposits use up a rate line too, and the rates start over.
	payments := "1.0\n-0.001\n0\n-0.002\n0.5\n"
	rates := "\ufeff0.00001000\r\n0.00002500\r\n"
	sc, err := ParseSplit("p/pay.csv", strings.NewReader(payments), "f/rates.csv", strings.NewReader(rates))
	if err != nil {
		t.Fatal(err)
	}
	want := []Op{{100_000_000, 1_000}, {-100_000, 2_500}, {0, 1_000}, {-200_000, 2_500}, {50_000_000, 1_000}}
	if sc.Name != "pay_rates" || !reflect.DeepEqual(sc.Ops, want) {
		t.Fatalf("got %s %v\nwant pay_rates %v", sc.Name, sc.Ops, want)
	}
}

func TestParseSplitErrorsNameTheFile(t *testing.T) {
	tests := []struct {
		name, payments, rates string
		wantErr               error
		prefix                string
	}{
		{"bad rate", "1\n", "0.00001\n0.0000x\n", ErrMalformed, "r.csv:2:"},
		{"payments with two columns", "1,0\n", "0.00001\n", ErrMalformed, "p.csv:1:"},
		{"empty payments", "", "0.00001\n", ErrEmpty, "p.csv"},
		{"empty fee rates", "1\n", "\r\n", ErrEmpty, "r.csv"},
	}
	for _, tc := range tests {
		_, err := ParseSplit("p.csv", strings.NewReader(tc.payments), "r.csv", strings.NewReader(tc.rates))
		if !errors.Is(err, tc.wantErr) || !strings.HasPrefix(err.Error(), tc.prefix) {
			t.Errorf("%s: err %v, want %v starting with %s", tc.name, err, tc.wantErr, tc.prefix)
		}
	}
}

func TestParseRealFilesWithBOMAndCRLF(t *testing.T) {
	pf, err := os.Open(testdata + "payments/bustabit-tiny-hot-wallet.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	ff, err := os.Open(testdata + "feerates/3h-2023.csv") // BOM and CRLF
	if err != nil {
		t.Fatal(err)
	}
	defer ff.Close()
	sc, err := ParseSplit(pf.Name(), pf, ff.Name(), ff)
	if err != nil {
		t.Fatal(err)
	}
	// 15,081 lines; the first rates are 0.00007230 and 0.00006270 BTC/kvB, and line 2,921
	// (after the file's 2,920 rates) starts over.
	if len(sc.Ops) != 15_081 || sc.Ops[0] != (Op{100_000_000, 7_230}) || sc.Ops[1].FeeRate != 6_270 ||
		sc.Ops[2_920].FeeRate != 7_230 || sc.Name != "bustabit-tiny-hot-wallet_3h-2023" {
		t.Fatalf("%s: %d ops, first %v, second %v, 2921st %v", sc.Name, len(sc.Ops), sc.Ops[0], sc.Ops[1], sc.Ops[2_920])
	}
}

// formatBTC writes an amount of 1e-8 units with 8 decimals, as the scenario files do.
func formatBTC(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%08d", sign, v/100_000_000, v%100_000_000)
}

func formatCombined(ops []Op) string {
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "%s,%s\n", formatBTC(int64(op.Amount)), formatBTC(int64(op.FeeRate)))
	}
	return b.String()
}

func FuzzParseCombined(f *testing.F) {
	for _, s := range []string{
		"0.01000000,0\n-0.00002100,0.00001000\n0,0.00002000\n",
		"\ufeff0.00050000,0.00000000\r\n-0.00010000,0.00003500\r\n",
		"", "1e5,0", "-,0", "0.1,0\n\n-0.1,0.00001\n", ".5,5.",
	} {
		f.Add(s)
	}
	if b, err := os.ReadFile(testdata + "tiny.csv"); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		sc, err := ParseCombined("f.csv", strings.NewReader(text))
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		for _, op := range sc.Ops {
			if op.FeeRate < 0 || op.Amount > txbuilder.MaxMoney || op.Amount < -txbuilder.MaxMoney {
				t.Fatalf("out of range op %v", op)
			}
		}
		// Round trip: the canonical text of the ops parses back to the same ops.
		again, err := ParseCombined("f.csv", strings.NewReader(formatCombined(sc.Ops)))
		if err != nil || !reflect.DeepEqual(again.Ops, sc.Ops) {
			t.Fatalf("round trip: %v, %v vs %v", err, again, sc.Ops)
		}
	})
}

func FuzzParseSplit(f *testing.F) {
	f.Add("1.0\n-0.001\n0\n", "\ufeff0.00001000\r\n0.00002500\r\n")
	f.Add("1\n", "")
	f.Add("1,0\n", "0.00001\n")
	f.Fuzz(func(t *testing.T, payments, rates string) {
		sc, err := ParseSplit("p.csv", strings.NewReader(payments), "r.csv", strings.NewReader(rates))
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		// The same ops written as one combined file parse back the same.
		again, err := ParseCombined("c.csv", strings.NewReader(formatCombined(sc.Ops)))
		if err != nil || !reflect.DeepEqual(again.Ops, sc.Ops) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
