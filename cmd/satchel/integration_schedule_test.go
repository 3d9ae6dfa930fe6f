package main

import (
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// A daily schedule that started three days ago pays each day once over two flushes: the
// first flush pays the four dates due so far (catch-up all), a flush the next day pays the
// new date only, and a third flush that day pays nothing.
func TestIntegrationScheduleDailyCatchUp(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	dest := regtest.NewKey("creator", txbuilder.P2WPKH).Address
	today := c.now.UTC()
	start := today.AddDate(0, 0, -3).Format(time.DateOnly)
	s := decodeJSON[scheduleJSON](t, c.mustRun("", "tip", "schedule", dest, "3000", "--every", "1d", "--start", start,
		"--label", "daily", "--json", "--wallet", "a").out)
	if len(s.Queued) != 4 || s.NextDue == nil || *s.NextDue != today.AddDate(0, 0, 1).Format(time.DateOnly) {
		t.Fatalf("schedule %+v: want 4 queued, next due tomorrow", s)
	}
	// Running any tip command again the same day queues nothing more.
	c.mustRun("", "tip", "list", "--wallet", "a")
	if tips := decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out); len(tips) != 4 {
		t.Fatalf("%d tips queued, want 4", len(tips))
	}
	r := c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("first flush: %s", r.err)
	}
	f1 := decodeJSON[tipFlushJSON](t, r.out)
	if len(f1.Tips) != 4 || f1.Amount != 4*3000 {
		t.Fatalf("first flush paid %v (%d sat), want the four dates so far", f1.Tips, f1.Amount)
	}
	n.Mine(t, 1)

	c.now = c.now.Add(24 * time.Hour)
	// sync queues the new day's occurrence too (and says so on stderr); the flush pays it.
	if r := c.mustRun("", "sync", "--json", "--wallet", "a"); !contains(r.err, "scheduled_tips") {
		t.Fatalf("sync did not queue the day's occurrence: %s", r.err)
	}
	if tips := decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out); len(tips) != 5 {
		t.Fatalf("%d tips after sync, want 5", len(tips))
	}
	r = c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("second flush: %s", r.err)
	}
	f2 := decodeJSON[tipFlushJSON](t, r.out)
	wantID := s.ID + "@" + c.now.UTC().Format(time.DateOnly)
	if len(f2.Tips) != 1 || f2.Tips[0] != wantID || f2.Amount != 3000 {
		t.Fatalf("second flush paid %v (%d sat), want only %s", f2.Tips, f2.Amount, wantID)
	}
	if r := c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a"); !contains(r.out, `"done": false`) {
		t.Fatalf("third flush the same day: %s", r.out)
	}
	// Each of the five dates exactly once, each paid by one of the two transactions.
	seen := map[string]bool{}
	for _, tp := range decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out) {
		date, ok := strings.CutPrefix(tp.ID, s.ID+"@")
		if !ok || seen[date] || tp.Status != "paid" || (tp.TxID != f1.TxID && tp.TxID != f2.TxID) || tp.Amount != 3000 || tp.Label != "daily" {
			t.Fatalf("tip %+v", tp)
		}
		seen[date] = true
	}
	for d := 0; d <= 4; d++ {
		if day := today.AddDate(0, 0, d-3).Format(time.DateOnly); !seen[day] {
			t.Fatalf("no tip for %s: %v", day, seen)
		}
	}
	list := decodeJSON[[]scheduleJSON](t, c.mustRun("", "tip", "schedule", "list", "--json", "--wallet", "a").out)
	if len(list) != 1 || list[0].Status != "active" || *list[0].NextDue != c.now.UTC().AddDate(0, 0, 1).Format(time.DateOnly) {
		t.Fatalf("schedule list %+v", list)
	}
	// Cancelled: nothing more is queued, whatever the date.
	c.mustRun("", "tip", "schedule", "cancel", s.ID, "--wallet", "a")
	c.now = c.now.Add(72 * time.Hour)
	if r := c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a"); !contains(r.out, `"done": false`) {
		t.Fatalf("flush after cancel: %s", r.out)
	}
}

func TestScheduleRefusals(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	dest := regtest.NewKey("creator", txbuilder.P2WPKH).Address
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no --every", []string{dest, "3000"}, exitUsage},
		{"bad --every", []string{dest, "3000", "--every", "1y"}, exitUsage},
		{"bad date", []string{dest, "3000", "--every", "1d", "--start", "25/11/2026"}, exitUsage},
		{"until before start", []string{dest, "3000", "--every", "1d", "--start", "2026-11-25", "--until", "2026-11-24"}, exitUsage},
		{"start years ago", []string{dest, "3000", "--every", "1d", "--start", "2020-01-01"}, exitUsage},
		{"bad catch-up", []string{dest, "3000", "--every", "1d", "--catch-up", "some"}, exitUsage},
		{"all", []string{dest, "all", "--every", "1d"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run("", append([]string{"tip", "schedule", "--wallet", "a"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d (%s), want %d", r.code, r.err, tc.code)
			}
		})
	}
	if out := c.mustRun("", "tip", "schedule", "list", "--json", "--wallet", "a").out; strings.TrimSpace(out) != "[]" {
		t.Fatalf("a refused schedule was stored: %s", out)
	}
	if r := c.run("", "tip", "schedule", "cancel", "sched-9", "--wallet", "a"); r.code != exitUsage {
		t.Fatalf("cancel of an unknown schedule: exit %d", r.code)
	}
}
