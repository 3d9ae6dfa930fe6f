package main

import (
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

func TestIntegrationSpendingCaps(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	x := regtest.NewKey("cap-x", txbuilder.P2WPKH).Address
	friend := regtest.NewKey("cap-friend", txbuilder.P2WPKH).Address

	// Setting caps needs no passphrase (they only tighten).
	saved := c.env["SATCHEL_PASSPHRASE"]
	delete(c.env, "SATCHEL_PASSPHRASE")
	c.mustRun("", "config", "set", "limit.per-payment", "5000", "--wallet", "a")
	c.mustRun("", "config", "set", "limit.daily", "8500", "--wallet", "a")
	if r := c.mustRun("", "config", "get", "limit.daily", "--wallet", "a"); r.out != "8500\n" {
		t.Fatalf("limit.daily = %q", r.out)
	}
	// Raising one does.
	if r := c.run("", "config", "set", "limit.daily", "100000", "--wallet", "a"); r.code != exitUsage {
		t.Fatalf("raising without a passphrase: exit %d %s", r.code, r.err)
	}
	c.env["SATCHEL_PASSPHRASE"] = "wrong"
	if r := c.run("", "config", "set", "limit.allow", friend, "--wallet", "a"); r.code != exitPassphrase {
		t.Fatalf("allowing with a wrong passphrase: exit %d %s", r.code, r.err)
	}
	c.env["SATCHEL_PASSPHRASE"] = saved

	check := func(name string, args []string, code int) {
		t.Helper()
		_, r := c.send("a", append(args, "--fee-rate", "1")...)
		if r.code != code {
			t.Fatalf("%s: exit %d, want %d: %s", name, r.code, code, r.err)
		}
		if code == exitCannotPay {
			if ec, _ := jsonError(t, r.err); ec != "limit_exceeded" {
				t.Fatalf("%s: code %s", name, ec)
			}
		}
	}
	// Spending caps are not for global config: they live in wallet.db.
	if r := c.run("", "config", "set", "--global", "limit.daily", "5", "--json"); r.code != exitUsage {
		t.Fatalf("--global limit: exit %d %s", r.code, r.err)
	}
	check("above the per-payment cap", []string{x, "5001"}, exitCannotPay)
	check("two outputs to one address are one payment", []string{"--to", x + "=3000", "--to", x + "=3000"}, exitCannotPay)
	check("at the cap", []string{x, "5000"}, 0)
	// 5,000 and its fee (about 154 sat at 1 sat/vB) leave about 3,346 of the 8,500 a day; fees
	// count, so 3,300 more does not fit and 3,000 does.
	check("above the daily cap with the first, fees included", []string{x, "3300"}, exitCannotPay)
	check("up to the daily cap", []string{x, "3000"}, 0)
	check("dry runs are checked too", []string{x, "1000", "--dry-run"}, exitCannotPay)
	c.mustRun("", "config", "set", "limit.allow", friend, "--wallet", "a")
	check("an allowed destination is exempt", []string{friend, "50000"}, 0)
	// A tip above the per-payment cap is refused when queued, not when it would block a flush.
	if r := c.run("", "tip", "add", x, "5001", "--json", "--wallet", "a"); r.code != exitCannotPay {
		t.Fatalf("tip above the cap: exit %d %s", r.code, r.err)
	}
	// Tip flush goes through the same caps.
	c.mustRun("", "tip", "add", x, "1000", "--wallet", "a")
	if r := c.run("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a"); r.code != exitCannotPay {
		t.Fatalf("tip flush over the daily cap: exit %d %s", r.code, r.err)
	}
	// Lowering needs no passphrase; removing does.
	delete(c.env, "SATCHEL_PASSPHRASE")
	c.mustRun("", "config", "set", "limit.per-payment", "4000", "--wallet", "a")
	if r := c.run("", "config", "unset", "limit.daily", "--wallet", "a"); r.code != exitUsage {
		t.Fatalf("removing a cap without a passphrase: exit %d", r.code)
	}
}

// Two spellings of one destination are one payee for the caps: a silent payment address in
// lower and upper case (bech32m allows both), and a bech32 address likewise.
func TestIntegrationCapsCompareDestinationsNotSpellings(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.mustRun("", "create", "--wallet", "b")
	c.fund(n, "a", 200_000)
	sp := c.silentAddr(n, "b")
	x := regtest.NewKey("spell", txbuilder.P2WPKH).Address
	c.mustRun("", "config", "set", "limit.per-payment", "10000", "--wallet", "a")
	for _, dest := range []string{sp, x} {
		_, r := c.send("a", "--to", dest+"=9000", "--to", strings.ToUpper(dest)+"=9000", "--fee-rate", "1")
		if code, _ := jsonError(t, r.err); r.code != exitCannotPay || code != "limit_exceeded" {
			t.Fatalf("%s twice, 18,000 sat against a 10,000 cap: exit %d %s", dest, r.code, r.err)
		}
	}
	if _, r := c.send("a", "--to", x+"=4000", "--to", strings.ToUpper(x)+"=5000", "--fee-rate", "1"); r.code != 0 {
		t.Fatalf("9,000 sat to one address in two spellings under a 10,000 cap: exit %d %s", r.code, r.err)
	}
}
