package txbuilder

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestParseAmountAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Amount
	}{
		{"bare integer is satoshis", "2100", 2100},
		{"one satoshi", "1", 1},
		{"sat unit", "2100sat", 2100},
		{"sats unit", "2100sats", 2100},
		{"unit case-insensitive sat", "2100SaT", 2100},
		{"btc unit", "0.000021btc", 2100},
		{"BTC upper", "0.000021BTC", 2100},
		{"btc whole", "1btc", 100_000_000},
		{"btc eight decimals", "0.00000001btc", 1},
		{"btc trailing zeros within 8", "1.10000000btc", 110_000_000},
		{"leading zeros", "007", 7},
		{"exactly 21 million btc", "21000000btc", MaxMoney},
		{"exactly max money in sats", "2100000000000000", MaxMoney},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if err != nil {
				t.Fatalf("ParseAmount(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseAmount(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseAmountRefuses(t *testing.T) {
	tests := []struct {
		name, in, reason string
	}{
		{"decimal without unit gets the hint", "0.001",
			"0.001 has a decimal point but no unit: write 0.001btc for bitcoin, or a whole number of satoshis"},
		{"negative", "-5", "negative"},
		{"negative btc", "-0.1btc", "negative"},
		{"zero", "0", "more than zero"},
		{"zero btc", "0.00000000btc", "more than zero"},
		{"zero sats", "0sat", "more than zero"},
		{"one sat over 21 million btc", "2100000000000001", "21 million"},
		{"over 21 million btc", "21000000.00000001btc", "21 million"},
		{"nine decimals on btc", "0.000000001btc", "at most 8 decimals"},
		{"decimals on sat", "1.5sat", "satoshis are whole"},
		{"decimals on sats", "1.0sats", "satoshis are whole"},
		{"grouping comma", "1,000", "grouping commas"},
		{"space before unit", "2100 sat", "spaces"},
		{"leading space", " 2100", "spaces"},
		{"trailing space", "2100 ", "spaces"},
		{"exponent", "1e5", "exponents"},
		{"exponent with btc", "1E-3btc", "exponents"},
		{"plus sign", "+5", "+ sign"},
		{"hex", "0x10", "hexadecimal"},
		{"empty", "", "no number"},
		{"unit alone", "btc", "no number"},
		{"two points", "1.2.3btc", "more than one decimal point"},
		{"point first", ".5btc", "both sides"},
		{"point last", "5.btc", "both sides"},
		{"unknown unit", "5mbtc", "does not belong in an amount"},
		{"letters", "abc", "does not belong in an amount"},
		{"unicode digit", "٣", "does not belong in an amount"},
		{"huge number", strings.Repeat("9", 40), "more than 21 million BTC"},
		{"huge btc number", "999999999999999999999btc", "more than 21 million BTC"},
		{"overlong text", strings.Repeat("1", 100), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if err == nil {
				t.Fatalf("ParseAmount(%q) = %d, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrBadAmount) {
				t.Errorf("error %v does not wrap ErrBadAmount", err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not say %q", err, tt.reason)
			}
		})
	}
}

func TestFormatBTC(t *testing.T) {
	tests := []struct {
		in   Amount
		want string
	}{
		{2100, "0.000021"},
		{1, "0.00000001"},
		{100_000_000, "1"},
		{110_000_000, "1.1"},
		{MaxMoney, "21000000"},
		{0, "0"},
		{-50_000_000, "-0.5"},
		{123_456_789, "1.23456789"},
	}
	for _, tt := range tests {
		if got := FormatBTC(tt.in); got != tt.want {
			t.Errorf("FormatBTC(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatBTCSmallestInt64(t *testing.T) {
	// The negation of the smallest int64 overflows; FormatBTC must still print it exactly.
	got := FormatBTC(Amount(-1 << 63))
	if got != "-92233720368.54775808" {
		t.Fatalf("FormatBTC(min int64) = %q", got)
	}
}

func TestParseFeeRate(t *testing.T) {
	good := []struct {
		in   string
		want FeeRate
	}{
		{"0.5", 500},
		{"12", 12000},
		{"1.234", 1234},
		{"0.001", 1},
		{"2sat/vB", 2000},
		{"2.5SAT/VB", 2500},
		{"100000", MaxFeeRateInput},
	}
	for _, tt := range good {
		got, err := ParseFeeRate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseFeeRate(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	bad := []struct{ name, in, reason string }{
		{"negative", "-1", "negative"},
		{"zero", "0", "more than zero"},
		{"zero with decimals", "0.000", "more than zero"},
		{"four decimals", "1.2345", "at most 3 decimals"},
		{"huge", "100000.001", "typo"},
		{"absurd", strings.Repeat("9", 30), "more than 100,000 sat/vB is surely a typo"},
		{"comma decimal", "1,5", "commas"},
		{"empty", "", "no number"},
		{"unit only", "sat/vb", "a number of sat/vB"},
		{"space", "1 sat/vB", "spaces are not allowed: write the number alone or joined to its unit, like 2 or 2sat/vB"},
		{"space before sat", "2 sat", "like 2 or 2sat/vB"},
		{"exponent", "1e3", "exponents"},
		{"sat is an amount, not a rate", "2sat", "in sat/vB: write 2 or 2sat/vB"},
		{"sat per byte", "2sat/b", "in sat/vB"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFeeRate(tt.in)
			if err == nil {
				t.Fatalf("ParseFeeRate(%q) = %d, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrBadAmount) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("ParseFeeRate(%q) error %q: want ErrBadAmount saying %q", tt.in, err, tt.reason)
			}
		})
	}
}

func TestFeeRateStringParsesBack(t *testing.T) {
	for _, r := range []FeeRate{1, 500, 1000, 1234, 12000, MaxFeeRateInput} {
		got, err := ParseFeeRate(r.String())
		if err != nil || got != r {
			t.Errorf("ParseFeeRate(%q) = %d, %v; want %d", r.String(), got, err, r)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"2100", "2100sat", "2100sats", "0.000021btc", "0.001", "1,000",
		"-1", "1e5", "0x10", "21000000btc", "21000000.00000001btc", "0.00000001BTC", " 1", "1.btc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAmount(s)
		if err != nil {
			if !errors.Is(err, ErrBadAmount) {
				t.Fatalf("ParseAmount(%q) error %v does not wrap ErrBadAmount", s, err)
			}
			return
		}
		if a <= 0 || a > MaxMoney {
			t.Fatalf("ParseAmount(%q) = %d, outside (0, MaxMoney]", s, a)
		}
		back, err := ParseAmount(FormatBTC(a) + "btc")
		if err != nil || back != a {
			t.Fatalf("round trip of %d via %q: %d, %v", a, FormatBTC(a)+"btc", back, err)
		}
		sats, err := ParseAmount(strconv.FormatInt(int64(a), 10) + "sat")
		if err != nil || sats != a {
			t.Fatalf("round trip of %d in sats: %d, %v", a, sats, err)
		}
	})
}

func FuzzParseFeeRate(f *testing.F) {
	for _, s := range []string{"0.5", "12", "1.234", "1.2345", "-1", "2sat/vB", "100000.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseFeeRate(s)
		if err != nil {
			if !errors.Is(err, ErrBadAmount) {
				t.Fatalf("ParseFeeRate(%q) error %v does not wrap ErrBadAmount", s, err)
			}
			return
		}
		if r <= 0 || r > MaxFeeRateInput {
			t.Fatalf("ParseFeeRate(%q) = %d, out of range", s, r)
		}
		back, err := ParseFeeRate(r.String())
		if err != nil || back != r {
			t.Fatalf("round trip of %d via %q: %d, %v", r, r.String(), back, err)
		}
	})
}

func TestAmountGrouped(t *testing.T) {
	for _, tc := range []struct {
		in   Amount
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {15_000, "15,000"}, {100_000, "100,000"},
		{2_100_000_000_000_000, "2,100,000,000,000,000"}, {-1234, "-1,234"},
	} {
		if got := tc.in.Grouped(); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.in, got, tc.want)
		}
	}
}
