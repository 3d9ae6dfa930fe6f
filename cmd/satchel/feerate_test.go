package main

import (
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// A server's fee estimate is judged before anything is planned at it: an absurd one is refused
// under --yes (exit 4) and only warned about in a dry run; --fee-rate goes through; an estimate
// below the relay floor is raised to it; every plan says where its rate came from.
func TestServerFeeEstimatesAreJudged(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(2_100_000, scriptFor(t, c.receiveAddr("a")))))
	fc.Relay = 100 // 0.1 sat/vB, as Bitcoin Core 29.1 relays
	send := func(extra ...string) result {
		return c.run("", append([]string{"send", "--wallet", "a", "--json", outsider, "2000000"}, extra...)...)
	}

	fc.Fee = 999_900 // 999.9 sat/vB, what a lying server said
	r := send("--yes")
	if r.code != exitCannotPay {
		t.Fatalf("absurd estimate under --yes: exit %d %s", r.code, r.err)
	}
	if code, msg := jsonError(t, r.err); code != "fee_estimate_suspicious" || !strings.Contains(msg, "999.9 sat/vB") || !strings.Contains(msg, "--fee-rate") {
		t.Fatalf("%s %q", code, msg)
	}
	if n := fc.Calls["Broadcast"]; n != 0 {
		t.Fatalf("%d broadcasts", n)
	}

	r = send("--dry-run")
	if r.code != 0 || !strings.Contains(r.err, "fee_estimate_suspicious") {
		t.Fatalf("dry run: exit %d, stderr %s", r.code, r.err)
	}
	p := decodeJSON[planJSON](t, r.out)
	if p.FeeRate != "999.9" || !strings.Contains(p.FeeRateSource, "estimate for 6 blocks from fake chain") {
		t.Fatalf("dry-run plan rate %s from %q", p.FeeRate, p.FeeRateSource)
	}

	p = decodeJSON[planJSON](t, c.mustRun("", "send", "--wallet", "a", "--json", "--dry-run", "--fee-rate", "3", outsider, "2000000").out)
	if p.FeeRate != "3" || p.FeeRateSource != "--fee-rate" {
		t.Fatalf("explicit plan rate %s from %q", p.FeeRate, p.FeeRateSource)
	}

	fc.Fee = 1 // 0.001 sat/vB: nobody relays that
	p = decodeJSON[planJSON](t, c.mustRun("", "send", "--wallet", "a", "--json", "--dry-run", outsider, "2000000").out)
	if p.FeeRate != "0.1" || !strings.Contains(p.FeeRateSource, "raised to the 0.1 sat/vB relay floor") {
		t.Fatalf("floored plan rate %s from %q", p.FeeRate, p.FeeRateSource)
	}

	// An ordinary estimate becomes the reference; five times it is still fine below 100 sat/vB.
	fc.Fee = 20_000
	c.mustRun("", "send", "--wallet", "a", "--json", "--dry-run", outsider, "2000000")
	fc.Fee = 99_000
	if r := c.mustRun("", "send", "--wallet", "a", "--json", "--dry-run", outsider, "2000000"); strings.Contains(r.err, "fee_estimate_suspicious") {
		t.Fatalf("a 99 sat/vB estimate was questioned: %s", r.err)
	}
}
