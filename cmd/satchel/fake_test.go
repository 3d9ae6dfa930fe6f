package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// fakeCLI is a CLI whose backend is an in-memory chain.
func fakeCLI(t *testing.T) (*cli, *chaintest.Chain) {
	c := newCLI(t)
	fc := chaintest.New()
	c.env["SATCHEL_BACKEND"] = "http://127.0.0.1:1/fake-chain" // never dialled: c.dial answers
	c.dial = func(ctx context.Context, url string) (chain.Backend, error) { return fc, nil }
	return c, fc
}

func TestSendWithoutEstimateAsksForFeeRate(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	r := c.mustRun("", "receive", "--json")
	addr := decodeJSON[receiveJSON](t, r.out).Address
	_ = addr
	fc.Mine(1)
	r = c.run("", "send", "--json", "--yes", "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", "1000")
	if r.code != exitUsage {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if code, msg := jsonError(t, r.err); code != "no_fee_estimate" || !strings.Contains(msg, "--fee-rate") {
		t.Fatalf("%s %q", code, msg)
	}
	// utxos answers with null costs when there is no estimate.
	r = c.mustRun("", "utxos", "--json")
	if strings.TrimSpace(r.out) != "[]" {
		t.Fatalf("utxos %q", r.out)
	}
}

func TestFeesKeepsSubSatRatesAndPricesATip(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Fee = 500 // 0.5 sat/vB
	r := c.mustRun("", "fees", "--json")
	f := decodeJSON[feesJSON](t, r.out)
	if f.TipVSize != 154 { // taproot: 10.5 + 57.5 + 2 x 43
		t.Fatalf("tip vsize %d, want 154", f.TipVSize)
	}
	for _, e := range f.Estimates {
		if e.FeeRate == nil || *e.FeeRate != "0.5" || *e.TipFee != 77 || *e.Share1000 != "7.7" || *e.Share10000 != "0.77" {
			t.Fatalf("estimate %+v", e)
		}
	}
	if f.RelayFee != "1" {
		t.Fatalf("relay %s", f.RelayFee)
	}
	if r := c.mustRun("", "fees"); !strings.Contains(r.out, "a tip is 154 vB (1 input, 2 outputs, from a taproot address)") {
		t.Fatalf("fees text:\n%s", r.out)
	}
	// In btc the fee column is wider: the columns stay apart and aligned, every line within 80.
	fc.Fee = 25000
	c.env["NO_COLOR"] = "1"
	out := c.mustRun("", "fees", "--unit", "btc").out
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	end := strings.Index(lines[0], "TIP FEE") + len("TIP FEE")
	for _, l := range lines {
		if len(l) > 80 {
			t.Errorf("wider than 80 columns: %q", l)
		}
	}
	for _, l := range lines[1:4] {
		if strings.Index(l, " BTC")+len(" BTC") != end || !strings.Contains(l, "0.00003850 BTC  ") {
			t.Errorf("fee column not aligned or not apart:\n%s", out)
		}
	}
	fc.Fee = 0
	f = decodeJSON[feesJSON](t, c.mustRun("", "fees", "--json").out)
	if f.Estimates[0].FeeRate != nil || f.Estimates[0].TipFee != nil {
		t.Fatalf("no estimate must be null: %+v", f.Estimates[0])
	}
}

// fees --fee-rate prices the tip at the given rate, as the estimates are priced: on its own row
// beside the estimates, and with none (regtest) as the only priced row.
func TestFeesFeeRatePricesTheTip(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	c.env["NO_COLOR"] = "1"
	fc.Fee = 0 // no estimates, as on regtest
	f := decodeJSON[feesJSON](t, c.mustRun("", "fees", "--fee-rate", "2.5", "--json").out)
	if f.Given == nil || f.Given.FeeRate == nil || *f.Given.FeeRate != "2.5" || *f.Given.TipFee != 385 ||
		*f.Given.Share1000 != "38.5" || *f.Given.Share10000 != "3.85" || f.Given.Label != "--fee-rate" {
		t.Fatalf("given %+v", f.Given)
	}
	for _, e := range f.Estimates {
		if e.FeeRate != nil || e.TipFee != nil {
			t.Fatalf("no estimate must stay null beside --fee-rate: %+v", e)
		}
	}
	out := c.mustRun("", "fees", "--fee-rate", "2.5").out
	if !regexp.MustCompile(`(?m)^--fee-rate +2\.5 +385 sat +38\.50% +3\.85%$`).MatchString(out) || strings.Contains(out, "No estimates") {
		t.Fatalf("fees --fee-rate text without estimates:\n%s", out)
	}
	// With estimates the given rate is one more row; the estimates are unchanged.
	fc.Fee = 500
	f = decodeJSON[feesJSON](t, c.mustRun("", "fees", "--fee-rate", "3", "--json").out)
	if f.Given == nil || *f.Given.TipFee != 462 || len(f.Estimates) != 3 || *f.Estimates[0].TipFee != 77 {
		t.Fatalf("fees --fee-rate with estimates: given %+v estimates %+v", f.Given, f.Estimates)
	}
	out = c.mustRun("", "fees", "--fee-rate", "3").out
	if !strings.Contains(out, "next block") || !regexp.MustCompile(`(?m)^--fee-rate +3 +462 sat`).MatchString(out) {
		t.Fatalf("fees --fee-rate text with estimates:\n%s", out)
	}
	if f = decodeJSON[feesJSON](t, c.mustRun("", "fees", "--json").out); f.Given != nil {
		t.Fatalf("given without --fee-rate: %+v", f.Given)
	}
	// A rate send would refuse is priced, with a warning on stderr saying so.
	high := c.run("", "fees", "--fee-rate", "1500", "--json")
	if high.code != 0 || !strings.Contains(high.err, `"code":"fee_rate_too_high"`) || !strings.Contains(high.err, "send refuses it") {
		t.Fatalf("fees --fee-rate 1500: exit %d, stderr %q", high.code, high.err)
	}
	if f = decodeJSON[feesJSON](t, high.out); f.Given == nil || *f.Given.TipFee != 231_000 {
		t.Fatalf("fees --fee-rate 1500 given %+v", f.Given)
	}
	if at := c.run("", "fees", "--fee-rate", "1000"); at.code != 0 || at.err != "" {
		t.Fatalf("fees --fee-rate 1000 (the most satchel pays): exit %d, stderr %q", at.code, at.err)
	}
	// A bad rate is refused as utxos refuses it, before the backend is asked.
	bad := c.run("", "fees", "--fee-rate", "2sats")
	ubad := c.run("", "utxos", "--fee-rate", "2sats")
	if bad.code != exitUsage || bad.err != ubad.err || !strings.Contains(bad.err, "--fee-rate") {
		t.Fatalf("fees --fee-rate 2sats: exit %d %q (utxos: %q)", bad.code, bad.err, ubad.err)
	}
	// Every command that takes a fee rate says what is wrong with it in the same words, the
	// parser's, which name the mistake (utxos and fees said only what a rate looks like).
	for _, v := range []string{"-1", "2 sat/vB", "1e3", "2sats"} {
		want := ""
		for _, args := range [][]string{
			{"send", outsider, "1000", "--dry-run", "--fee-rate", v},
			{"utxos", "--fee-rate", v},
			{"fees", "--fee-rate", v},
			{"consolidate", "--dry-run", "--max-fee-rate", v},
		} {
			r := c.run("", args...)
			msg := strings.Replace(r.err, "--max-fee-rate", "--fee-rate", 1)
			if want == "" {
				want = msg
			}
			if r.code != exitUsage || msg != want || !strings.Contains(msg, fmt.Sprintf("--fee-rate: fee rate %q: ", v)) {
				t.Errorf("%v: exit %d %q, want %q", args, r.code, r.err, want)
			}
		}
	}
}
