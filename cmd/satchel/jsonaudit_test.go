package main

import (
	"testing"
	"time"
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
