package wallet

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Every is the period of a recurring tip: N days, weeks or months.
type Every struct {
	N    int
	Unit string // "d", "w" or "mo"
}

// maxEvery bounds N: a period longer than this many units is surely a typo.
const maxEvery = 366

// ParseEvery reads a period as typed: 1d, 2w, 1mo (a count from 1 and a unit).
func ParseEvery(s string) (Every, error) {
	for _, unit := range []string{"mo", "d", "w"} {
		num, ok := strings.CutSuffix(s, unit)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || strconv.Itoa(n) != num {
			break
		}
		if n > maxEvery {
			return Every{}, fmt.Errorf("%w: --every %q: give a count from 1 to %d (a longer period is surely a typo)", ErrBadInput, s, maxEvery)
		}
		return Every{N: n, Unit: unit}, nil
	}
	return Every{}, fmt.Errorf("%w: --every %q: give a count and d, w or mo (1d, 1w, 1mo)", ErrBadInput, s)
}

// String is the period as ParseEvery reads it.
func (e Every) String() string { return strconv.Itoa(e.N) + e.Unit }

// Occurrence is the k-th date (k from 0) of a schedule that starts on start. Days and weeks
// are counted on the calendar in UTC (no daylight saving time to skip or repeat an hour).
// Months keep start's day of the month, clamped to the month's last day: a schedule from
// 31 January falls on 28 (or 29) February, then 31 March; each date is computed from start,
// never from the previous one, so a short month does not pull later dates earlier.
func (e Every) Occurrence(start time.Time, k int) time.Time {
	start = Day(start)
	switch e.Unit {
	case "d":
		return start.AddDate(0, 0, k*e.N)
	case "w":
		return start.AddDate(0, 0, 7*k*e.N)
	}
	return AddMonthsClamped(start, k*e.N)
}

// AddMonthsClamped adds m months to the date of t, keeping its day of the month unless the
// target month is shorter, in which case it is that month's last day. (time.AddDate would
// roll 31 January + 1 month over to 3 March.)
func AddMonthsClamped(t time.Time, m int) time.Time {
	y, mo, d := t.Date()
	first := time.Date(y, mo+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// Day is midnight UTC of t's date in UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a schedule's --start or --until: a date YYYY-MM-DD (UTC).
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: date %q: write YYYY-MM-DD (UTC)", ErrBadInput, s)
	}
	return t, nil
}
