package netutil_test

import (
	"errors"
	"math"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		shift int
		want  int64
	}{
		{"half a sat/vB stays half (not rounded to 1)", "0.5", 3, 500},
		{"esplora example rate", "87.882", 3, 87882},
		{"whole sat/vB", "1", 3, 1000},
		{"electrum relayfee exponent form", "1e-05", 8, 1000},
		{"electrum estimate example", "0.00101079", 8, 101079},
		{"float noise from a node", "1.0000000000000001e-05", 8, 1000},
		{"0.1 sat/vB relay floor", "1e-06", 8, 100},
		{"half sat/kvB rounds up", "1.0005", 3, 1001},
		{"below half sat/kvB rounds down", "1.0004", 3, 1000},
		{"tiny positive never zero", "0.0000001", 3, 1},
		{"zero", "0", 3, 0},
		{"zero with decimals", "0.0", 8, 0},
		{"no estimate", "-1", 8, -100000000},
		{"capital exponent", "2E+1", 0, 20},
		{"trailing zeros", "1.500000", 3, 1500},
		{"negative shift", "1500", -3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := netutil.ParseDecimal(tc.in, tc.shift)
			if err != nil || got != tc.want {
				t.Fatalf("ParseDecimal(%q, %d) = %d, %v; want %d", tc.in, tc.shift, got, err, tc.want)
			}
		})
	}
}

func TestParseDecimalRefuses(t *testing.T) {
	for _, in := range []string{
		"", "-", "1.", ".5", "01", "00.1", "1e", "1e+", "+1", "NaN", "Infinity", "0x10", "1,5",
		" 1", "1 ", `"1"`, "1e999", "1e-999", "1.2.3", "--1", "1e5e5", "1234567890123456789012345678901234567890123456789012345678901",
		"99999999999999999999", // does not fit int64
	} {
		if v, err := netutil.ParseDecimal(in, 3); err == nil || !errors.Is(err, netutil.ErrBadNumber) {
			t.Errorf("ParseDecimal(%q) = %d, %v; want ErrBadNumber", in, v, err)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	for _, tc := range []struct {
		v     int64
		shift int
		want  string
	}{
		{1000, 8, "0.00001"},
		{101079, 8, "0.00101079"},
		{500, 3, "0.5"},
		{87882, 3, "87.882"},
		{1000, 3, "1"},
		{0, 3, "0"},
		{-100000000, 8, "-1"},
		{12, 0, "12"},
		{12, -2, "1200"},
		{math.MinInt64, 3, "-9223372036854775.808"},
	} {
		if got := netutil.FormatDecimal(tc.v, tc.shift); got != tc.want {
			t.Errorf("FormatDecimal(%d, %d) = %q, want %q", tc.v, tc.shift, got, tc.want)
		}
	}
}

// FuzzParseDecimal: any accepted text formats back to a text that reads to the same value.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"0.5", "87.882", "1e-05", "1.0000000000000001e-05", "-1", "0", "1E+3", "0.00101079"} {
		f.Add(s, 3)
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, shift int) {
		shift = shift % 10
		v, err := netutil.ParseDecimal(s, shift)
		if err != nil {
			return
		}
		if shift < 0 {
			return // formatting cannot give back digits a negative shift dropped
		}
		back, err := netutil.ParseDecimal(netutil.FormatDecimal(v, shift), shift)
		if err != nil || back != v {
			t.Fatalf("%q shift %d: %d formats to %q which reads %d, %v", s, shift, v,
				netutil.FormatDecimal(v, shift), back, err)
		}
	})
}

// FuzzFormatDecimal: formatting any integer reads back exactly.
func FuzzFormatDecimal(f *testing.F) {
	f.Add(int64(1000), 8)
	f.Add(int64(-1), 3)
	f.Add(int64(math.MaxInt64), 8)
	f.Fuzz(func(t *testing.T, v int64, shift int) {
		shift = shift % 12
		if shift < 0 {
			shift = -shift
		}
		s := netutil.FormatDecimal(v, shift)
		back, err := netutil.ParseDecimal(s, shift)
		if err != nil || back != v {
			t.Fatalf("FormatDecimal(%d, %d) = %q reads back %d, %v", v, shift, s, back, err)
		}
	})
}
