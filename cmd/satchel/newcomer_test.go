package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// Cancelling what is already cancelled (a tip, a schedule) says so, exits 0 and changes no
// file; under --json already_cancelled tells the first cancel from a repeated one.
func TestCancelTwiceSaysAlreadyCancelled(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	tip := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2100").out)
	tipJ := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2200").out)
	sched := strings.TrimSpace(strings.SplitN(c.mustRun("", "tip", "schedule", outsider, "2100", "--every", "1w", "--start", "2026-12-01").out, "\n", 2)[0])
	schedJ := strings.TrimSpace(strings.SplitN(c.mustRun("", "tip", "schedule", outsider, "2300", "--every", "1w", "--start", "2026-12-01").out, "\n", 2)[0])
	for _, tc := range []struct {
		args        []string
		first, then string
	}{
		{[]string{"tip", "cancel", tip}, tip + " cancelled\n", tip + " was already cancelled\n"},
		{[]string{"tip", "schedule", "cancel", sched}, sched + " cancelled\n", sched + " was already cancelled\n"},
		{[]string{"tip", "cancel", tipJ, "--json"}, `"already_cancelled": false`, `"already_cancelled": true`},
		{[]string{"tip", "schedule", "cancel", schedJ, "--json"}, `"already_cancelled": false`, `"already_cancelled": true`},
	} {
		r := c.mustRun("", tc.args...)
		if !strings.Contains(r.out, tc.first) {
			t.Errorf("%v: first %q, want %q", tc.args, r.out, tc.first)
		}
		before := snapshot(t, c.home)
		r = c.run("", tc.args...)
		if r.code != 0 || !strings.Contains(r.out, tc.then) || r.err != "" {
			t.Errorf("%v again: exit %d %q %q, want %q", tc.args, r.code, r.out, r.err, tc.then)
		}
		if !reflect.DeepEqual(before, snapshot(t, c.home)) {
			t.Errorf("%v again changed a file", tc.args)
		}
	}
}

// A tip a flush has paid cannot be cancelled: exit 2, naming the transaction that paid it.
func TestCancelOfAPaidTipIsRefused(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Coinbase(regtestScript(t, c.receiveAddr("default")), 5_000_000_000, 1))
	fc.Mine(100)
	id := strings.TrimSpace(c.mustRun("", "tip", "add", outsider, "2100").out)
	txid := strings.TrimSpace(c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--jq", ".txid").out)
	before := snapshot(t, c.home)
	r := c.run("", "tip", "cancel", id)
	if want := "satchel: tip " + id + " is already paid by " + txid + ": a payment sent cannot be cancelled\n"; r.code != exitUsage || r.err != want || r.out != "" {
		t.Fatalf("exit %d %q %q, want %q", r.code, r.out, r.err, want)
	}
	if !reflect.DeepEqual(before, snapshot(t, c.home)) {
		t.Error("a refused cancel changed a file")
	}
}
