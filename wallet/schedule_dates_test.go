package wallet

import (
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/store"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOccurrence(t *testing.T) {
	for _, tc := range []struct {
		name, start, every string
		k                  int
		want               string
	}{
		{"first occurrence is the start", "2026-01-31", "1mo", 0, "2026-01-31"},
		{"month end clamps to February", "2026-01-31", "1mo", 1, "2026-02-28"},
		{"clamp does not stick: March keeps the 31st", "2026-01-31", "1mo", 2, "2026-03-31"},
		{"30-day month clamps", "2026-01-31", "1mo", 3, "2026-04-30"},
		{"leap year February 29", "2028-01-31", "1mo", 1, "2028-02-29"},
		{"leap day yearly by months clamps in a common year", "2028-02-29", "12mo", 1, "2029-02-28"},
		{"leap day every 4 years stays the 29th", "2028-02-29", "48mo", 1, "2032-02-29"},
		{"month across year end", "2026-11-15", "1mo", 2, "2027-01-15"},
		{"quarterly from the 30th into February", "2026-11-30", "3mo", 1, "2027-02-28"},
		{"day across year end", "2026-12-30", "1d", 3, "2027-01-02"},
		{"day across a leap day", "2028-02-28", "1d", 1, "2028-02-29"},
		{"day across the US DST change is still midnight UTC", "2026-03-07", "1d", 2, "2026-03-09"},
		{"day across the EU DST change", "2026-10-24", "1d", 2, "2026-10-26"},
		{"week", "2026-11-25", "1w", 2, "2026-12-09"},
		{"two weeks", "2026-11-25", "2w", 1, "2026-12-09"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseEvery(tc.every)
			if err != nil {
				t.Fatal(err)
			}
			got := e.Occurrence(date(tc.start), tc.k)
			if got.Format(time.DateOnly) != tc.want || got.Hour() != 0 || got.Location() != time.UTC {
				t.Fatalf("occurrence %d of %s every %s = %s, want %s midnight UTC", tc.k, tc.start, tc.every, got, tc.want)
			}
		})
	}
}

func TestOccurrenceFromLocalTimeIsUTCDate(t *testing.T) {
	// 23:30 on 31 January in New York is already 1 February in UTC: the schedule's dates are
	// UTC dates whatever zone the start was given in.
	ny := time.FixedZone("EST", -5*3600)
	got := Every{N: 1, Unit: "mo"}.Occurrence(time.Date(2026, 1, 31, 23, 30, 0, 0, ny), 1)
	if got.Format(time.DateOnly) != "2026-03-01" {
		t.Fatalf("got %s, want 2026-03-01", got)
	}
}

func TestParseEvery(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"1d", "1d", true}, {"1w", "1w", true}, {"1mo", "1mo", true}, {"3mo", "3mo", true}, {"366d", "366d", true},
		{"0d", "", false}, {"-1d", "", false}, {"01d", "", false}, {"367d", "", false}, {"1m", "", false},
		{"d", "", false}, {"mo", "", false}, {"1 d", "", false}, {"1D", "", false}, {"", "", false}, {"1y", "", false},
		{"+1d", "", false},
	} {
		e, err := ParseEvery(tc.in)
		if (err == nil) != tc.ok || (tc.ok && e.String() != tc.want) {
			t.Errorf("ParseEvery(%q) = %v, %v; want %q ok=%v", tc.in, e, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseEvery(f *testing.F) {
	for _, s := range []string{"1d", "2w", "1mo", "0mo", "999999999999999999999d", "1dmo"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEvery(s)
		if err != nil {
			return
		}
		if e.String() != s || e.N < 1 || e.N > maxEvery {
			t.Fatalf("ParseEvery(%q) = %+v", s, e)
		}
		// Dates only move forward.
		start := date("2026-01-31")
		if !e.Occurrence(start, 1).After(e.Occurrence(start, 0)) {
			t.Fatalf("%s does not advance", s)
		}
	})
}

func TestDueOccurrences(t *testing.T) {
	start := date("2026-11-22")
	for _, tc := range []struct {
		name     string
		s        store.Schedule
		now      time.Time
		want     []int
		wantNext int
	}{
		{"three days ago, catch up all: four dates", store.Schedule{Every: "1d", Start: start, CatchUp: "all"},
			date("2026-11-25").Add(12 * time.Hour), []int{0, 1, 2, 3}, 4},
		{"catch up none: only the latest, the rest skipped", store.Schedule{Every: "1d", Start: start, CatchUp: "none"},
			date("2026-11-25").Add(12 * time.Hour), []int{3}, 4},
		{"already queued up to today: nothing", store.Schedule{Every: "1d", Start: start, CatchUp: "all", Next: 4},
			date("2026-11-25").Add(23 * time.Hour), nil, 4},
		{"midnight exactly is due", store.Schedule{Every: "1d", Start: start, CatchUp: "all", Next: 4},
			date("2026-11-26"), []int{4}, 5},
		{"until bounds the dates", store.Schedule{Every: "1d", Start: start, Until: date("2026-11-23"), CatchUp: "all"},
			date("2026-11-30"), []int{0, 1}, 2},
		{"not started yet", store.Schedule{Every: "1w", Start: start, CatchUp: "all"},
			date("2026-11-21").Add(23 * time.Hour), nil, 0},
		{"cancelled queues nothing", store.Schedule{Every: "1d", Start: start, CatchUp: "all", Cancelled: true},
			date("2026-11-30"), nil, 0},
		{"monthly from the 31st", store.Schedule{Every: "1mo", Start: date("2026-01-31"), CatchUp: "all"},
			date("2026-04-29"), []int{0, 1, 2}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ks, next, err := dueOccurrences(tc.s, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if len(ks) != len(tc.want) || next != tc.wantNext {
				t.Fatalf("got %v next %d, want %v next %d", ks, next, tc.want, tc.wantNext)
			}
			for i := range ks {
				if ks[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", ks, tc.want)
				}
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2026-02-30", "2026-1-1", "20261125"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && d.Format(time.DateOnly) != s {
			t.Fatalf("ParseDate(%q) = %s", s, d)
		}
	})
}
