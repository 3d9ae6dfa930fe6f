package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// TestSyncJSONSaysWhenLikeBalance: sync --json carries synced_height and synced_at, the names
// balance and info use, with the same values balance then reports.
func TestSyncJSONSaysWhenLikeBalance(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(3)
	c.now = time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC)
	s := decodeJSON[syncJSON](t, c.mustRun("", "sync", "--json").out)
	if s.SyncedHeight == nil || *s.SyncedHeight != 3 || s.Height != 3 {
		t.Fatalf("sync height %d, synced_height %v: want 3", s.Height, s.SyncedHeight)
	}
	if s.SyncedAt == nil || !s.SyncedAt.Equal(c.now) {
		t.Fatalf("synced_at %v, want %v", s.SyncedAt, c.now)
	}
	b := decodeJSON[balanceJSON](t, c.mustRun("", "balance", "--offline", "--json").out)
	if *b.SyncedHeight != *s.SyncedHeight || !b.SyncedAt.Equal(*s.SyncedAt) {
		t.Fatalf("balance says %d at %v, sync said %d at %v", *b.SyncedHeight, b.SyncedAt, *s.SyncedHeight, s.SyncedAt)
	}
}

// TestConfigUnsetJSON: config unset --json answers as config set does, with the value null
// (it printed nothing for a config key, and "" for a spending cap).
func TestConfigUnsetJSON(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, key := range []string{"fee-target", "limit.daily", "limit.allow"} {
		val := map[string]string{"fee-target": "3", "limit.daily": "5000", "limit.allow": outsider}[key]
		c.mustRun("", "config", "set", key, val)
		r := c.mustRun("", "config", "unset", key, "--json")
		got := decodeJSON[map[string]any](t, r.out)
		if v, ok := got["value"]; got["key"] != key || !ok || v != nil || len(got) != 2 {
			t.Errorf("config unset %s --json: %s", key, r.out)
		}
		if r := c.mustRun("", "config", "unset", key); r.out != "" {
			t.Errorf("config unset %s without --json printed %q", key, r.out)
		}
		if r := c.run("", "config", "get", key, "--json"); r.code != exitError {
			t.Errorf("config get %s after unset: exit %d %s", key, r.code, r.out)
		}
	}
}

// TestJSONTimesWholeSecondsUTC: every --json time is RFC 3339 UTC in whole seconds, so jq's
// fromdateiso8601 (here through --jq) reads it. Times from the clock had nanoseconds, and
// block times none; the clock here has both nanoseconds and a zone that is not UTC.
func TestJSONTimesWholeSecondsUTC(t *testing.T) {
	c, fc := fakeCLI(t)
	c.now = time.Date(2026, 11, 26, 9, 30, 15, 123456789, time.FixedZone("CET", 3600))
	want := fmt.Sprint(c.now.Unix())
	c.mustRun("", "create")
	fc.Mine(1)
	c.mustRun("", "tip", "add", outsider, "1000", "--by", "2h")
	for _, q := range [][]string{
		{"sync", ".synced_at"},
		{"info", ".created"},
		{"info", ".synced_at"},
		{"balance", ".synced_at"},
		{"tip", "list", ".[0].created"},
	} {
		args := append(q[:len(q)-1:len(q)-1], "--jq", q[len(q)-1]+" | fromdateiso8601")
		r := c.run("", args...)
		if r.code != 0 || strings.TrimSpace(r.out) != want {
			t.Errorf("%v: exit %d, %q (want %s) %s", args, r.code, r.out, want, r.err)
		}
	}
	r := c.mustRun("", "tip", "list", "--jq", ".[0].by")
	if got, wantBy := strings.TrimSpace(r.out), c.now.Add(2*time.Hour).UTC().Format(time.RFC3339); got != wantBy {
		t.Errorf("tip by %q, want %q", got, wantBy)
	}
}

// TestSendPlanChangedWarningIsJSON: when the wallet changes while send asks y/N (here a coin of
// the plan is frozen meanwhile), the notice before the new plan is a JSON warning line under
// --json, as CONVENTIONS wants of everything on stderr; it was plain text.
func TestSendPlanChangedWarningIsJSON(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	a := regtestScript(t, c.receiveAddr("default"))
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(60_000, a), wire.NewTxOut(70_000, a)))
	asked := 0
	answer := func(prompt string) string {
		if asked++; asked == 1 {
			for _, u := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--offline", "--json").out) {
				c.mustRun("", "freeze", u.OutPoint)
				break
			}
		}
		return "y"
	}
	r := c.term(nil, answer, "send", outsider, "10000", "--fee-rate", "1", "--json")
	if r.code != 0 || asked < 2 {
		t.Fatalf("exit %d, asked %d times: %s", r.code, asked, r.err)
	}
	found := false
	for _, l := range strings.Split(strings.TrimSpace(r.err), "\n") {
		if strings.Contains(l, "the wallet changed") {
			var w struct {
				Warning struct{ Code, Message string } `json:"warning"`
			}
			if err := json.Unmarshal([]byte(l), &w); err != nil || w.Warning.Code != "plan_changed" {
				t.Fatalf("not a JSON warning line: %q", l)
			}
			found = true
		}
	}
	if !found {
		t.Fatalf("no notice of the changed plan on stderr:\n%s", r.err)
	}
}
