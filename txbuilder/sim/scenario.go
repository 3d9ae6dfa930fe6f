package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// Errors of scenario parsing. Every parse error wraps one of these and names the file and line.
var (
	// ErrMalformed marks a line that is not a valid operation.
	ErrMalformed = errors.New("malformed scenario line")
	// ErrEmpty marks a file with no operations at all.
	ErrEmpty = errors.New("scenario file has no lines")
)

// Op is one line of a scenario: a deposit into the wallet (Amount > 0), a payment out of it
// (Amount < 0, paid at FeeRate) or nothing (0). One block is mined after every op.
type Op struct {
	Amount  txbuilder.Amount
	FeeRate txbuilder.FeeRate
}

// Scenario is a named sequence of operations.
type Scenario struct {
	// Name is the file's base name without extension; a split scenario is named
	// "<payments>_<feerates>" as the published simulations name their runs.
	Name string
	Ops  []Op
}

// ParseCombined reads a combined scenario: one "amount_BTC,feerate_BTC_per_kvB" per line. name
// is used in error messages ("name:line").
func ParseCombined(name string, r io.Reader) (*Scenario, error) {
	sc := &Scenario{Name: baseName(name)}
	err := eachLine(name, r, func(line int, text string) error {
		amt, rate, ok := strings.Cut(text, ",")
		if !ok || strings.Contains(rate, ",") {
			return lineError(name, line, "want amount_BTC,feerate_BTC_per_kvB, got %q", text)
		}
		a, err := parseBTC(amt)
		if err != nil {
			return lineError(name, line, "amount: %v", err)
		}
		f, err := parseFeeRate(rate)
		if err != nil {
			return lineError(name, line, "fee rate: %v", err)
		}
		sc.Ops = append(sc.Ops, Op{Amount: a, FeeRate: f})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// ParseSplit reads a payments file (one signed amount in BTC per line) and a fee rate file (one
// BTC/kvB rate per line) and pairs them line by line, cycling the fee rates when they run out.
// Deposits use up a fee rate line too, as in the published simulations.
func ParseSplit(paymentsName string, payments io.Reader, feeratesName string, feerates io.Reader) (*Scenario, error) {
	var amounts []txbuilder.Amount
	err := eachLine(paymentsName, payments, func(line int, text string) error {
		a, err := parseBTC(text)
		if err != nil {
			return lineError(paymentsName, line, "amount: %v", err)
		}
		amounts = append(amounts, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var rates []txbuilder.FeeRate
	err = eachLine(feeratesName, feerates, func(line int, text string) error {
		f, err := parseFeeRate(text)
		if err != nil {
			return lineError(feeratesName, line, "fee rate: %v", err)
		}
		rates = append(rates, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sc := &Scenario{Name: baseName(paymentsName) + "_" + baseName(feeratesName), Ops: make([]Op, len(amounts))}
	for i, a := range amounts {
		sc.Ops[i] = Op{Amount: a, FeeRate: rates[i%len(rates)]}
	}
	return sc, nil
}

// eachLine calls fn with every line of r, numbered from 1, without a leading UTF-8 byte order
// mark, a trailing CR or surrounding spaces. Blank lines at the end of the file are ignored;
// a blank line before the end is malformed, since it would shift the pairing of split files.
func eachLine(name string, r io.Reader, fn func(line int, text string) error) error {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 4096), 1<<20)
	line, blanks, seen := 0, 0, 0
	for s.Scan() {
		line++
		text := s.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		text = strings.TrimSpace(strings.TrimSuffix(text, "\r"))
		if text == "" {
			blanks++
			continue
		}
		if blanks > 0 {
			return lineError(name, line-1, "blank line")
		}
		seen++
		if err := fn(line, text); err != nil {
			return err
		}
	}
	if err := s.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return lineError(name, line+1, "line longer than 1 MiB")
		}
		return fmt.Errorf("read %s after line %d: %w", name, line, err)
	}
	if seen == 0 {
		return fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	return nil
}

func lineError(name string, line int, format string, a ...any) error {
	return fmt.Errorf("%s:%d: %w: %s", name, line, ErrMalformed, fmt.Sprintf(format, a...))
}

// baseName is a path's file name without its extension.
func baseName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// parseBTC reads a signed decimal amount of bitcoin with at most 8 decimals, exactly, into
// satoshis.
func parseBTC(s string) (txbuilder.Amount, error) {
	s = strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	v, err := parseDecimal8(s)
	if err != nil {
		return 0, err
	}
	if v > txbuilder.MaxMoney {
		return 0, fmt.Errorf("%s BTC is more than 21 million BTC", s)
	}
	if neg {
		v = -v
	}
	return v, nil
}

// parseFeeRate reads a fee rate in BTC/kvB, exactly: 1e-8 BTC/kvB is 1 sat/kvB, so 8 decimals
// are whole sat/kvB. Zero is allowed (deposit lines carry no rate).
func parseFeeRate(s string) (txbuilder.FeeRate, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%q is negative", s)
	}
	v, err := parseDecimal8(strings.TrimPrefix(s, "+"))
	if err != nil {
		return 0, err
	}
	if txbuilder.FeeRate(v) > txbuilder.MaxSelectionFeeRate {
		return 0, fmt.Errorf("%s BTC/kvB is above %s sat/vB", s, txbuilder.MaxSelectionFeeRate)
	}
	return txbuilder.FeeRate(v), nil
}

// parseDecimal8 reads unsigned digits with an optional point and at most 8 decimals as an
// integer count of 1e-8 units. It refuses exponents, grouping and anything that is not a digit,
// and numbers too large to be money, before they can overflow.
func parseDecimal8(s string) (txbuilder.Amount, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if len(frac) > 8 {
		return 0, fmt.Errorf("%q has more than 8 decimals", s)
	}
	if len(whole) > 10 { // 10 digits times 1e8 stays far inside int64
		return 0, fmt.Errorf("%q is too large", s)
	}
	var v txbuilder.Amount
	for _, part := range []string{whole, frac + strings.Repeat("0", 8-len(frac))} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("%q is not a decimal number", s)
			}
			v = v*10 + txbuilder.Amount(c-'0')
		}
	}
	return v, nil
}
