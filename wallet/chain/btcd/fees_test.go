package btcd_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

func TestParseBTCPerKB(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want txbuilder.FeeRate
	}{
		{"btcd's default relay fee", "0.00001", 1000},
		{"float noise above 1 sat/vB", "1.0000000000000001e-05", 1000},
		{"float noise below 1 sat/vB", "9.999999999999999e-06", 1000},
		{"estimate of 9 sat/vB", "0.00009", 9000},
		{"every satoshi digit", "0.00012345", 12345},
		{"sub-sat/vB rate", "0.000005", 500},
		{"one sat per kvB", "0.00000001", 1},
		{"half a sat per kvB rounds up", "0.000000005", 1},
		{"a tenth of a sat per kvB stays positive", "1e-9", 1},
		{"zero: no data", "0", 0},
		{"zero with decimals", "0.0", 0},
		{"btcd's no-estimate marker", "-1", -100_000_000},
		{"whole bitcoins", "2", 200_000_000},
		{"capital exponent", "1E-5", 1000},
		{"explicit positive exponent", "0.1e+1", 100_000_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := btcd.ParseBTCPerKB(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("ParseBTCPerKB(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseBTCPerKBRefuses(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"a string", `"0.00001"`},
		{"null", "null"},
		{"fraction syntax", "1/100000"},
		{"hex", "0x10"},
		{"leading plus", "+0.00001"},
		{"leading zeros", "00.1"},
		{"huge exponent", "1e999999"},
		{"tiny exponent", "1e-999999"},
		{"more than all the money", "210000000"},
		{"trailing garbage", "0.00001x"},
		{"spaces", " 0.00001"},
		{"bare dot", ".5"},
		{"infinity", "Infinity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := btcd.ParseBTCPerKB(tc.in); !errors.Is(err, btcd.ErrBadRate) {
				t.Fatalf("ParseBTCPerKB(%q) = %d, %v; want ErrBadRate", tc.in, got, err)
			}
		})
	}
}

func FuzzParseBTCPerKB(f *testing.F) {
	for _, s := range []string{"0.00001", "1.0000000000000001e-05", "0", "-1", "0.00012345", "1e-9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := btcd.ParseBTCPerKB(s)
		if err != nil {
			return
		}
		if r > txbuilder.FeeRate(txbuilder.MaxMoney) || r < -txbuilder.FeeRate(txbuilder.MaxMoney) {
			t.Fatalf("%q gave %d, out of range", s, r)
		}
		if r < 0 {
			return
		}
		// Round trip: the rate written back as BTC/kB with 8 decimals reads the same.
		back := fmt.Sprintf("%d.%08d", int64(r)/1e8, int64(r)%1e8)
		again, err := btcd.ParseBTCPerKB(back)
		if err != nil || again != r {
			t.Fatalf("%q gave %d; written back as %q it gave %d, %v", s, r, back, again, err)
		}
	})
}
