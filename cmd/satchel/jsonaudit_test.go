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
