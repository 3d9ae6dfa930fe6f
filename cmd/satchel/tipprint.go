package main

import (
	"time"
)

// printTips shows the tip queue as a table: a header row, and for a queued tip with a
// deadline when it is due and how long is left ("overdue" once it has passed).
func (a *App) printTips(tips []tipJSON) error {
	t := newTable("ID", "STATUS", "AMOUNT", "DUE", "ADDRESS", "LABEL")
	t.alignRight(2)
	now := a.Now()
	for _, j := range tips {
		due := ""
		row := stylePlain
		if j.Status != "queued" {
			row = styleDim
		}
		if j.By != nil && j.Status == "queued" {
			due = a.fmtTime(*j.By)
			due = due[:len(due)-3] + " (" + untilText(j.By.Sub(now)) + ")"
		}
		amount := a.fmtAmount(j.Amount)
		if j.Fiat != "" {
			amount += " (" + j.Fiat + ")" // as typed: the satoshis are its conversion when queued
		}
		t.add(txt(j.ID).in(row), txt(j.Status).in(row), txt(amount).in(row), txt(due).in(row),
			txt(j.Address).in(row), txt(j.Label).in(row))
	}
	return t.write(a)
}

// untilText says how long is left before a deadline, roughly: "in 5h", "in 2d", "overdue".
// The unit is chosen after rounding, so 59m50s is "in 1h" and 47h50m "in 2d", never "in 60m"
// or "in 48h"; under a minute is "in 1m".
func untilText(d time.Duration) string {
	if d <= 0 {
		return "overdue"
	}
	if m := d.Round(time.Minute); m < time.Hour {
		return "in " + itoa(max(1, int(m/time.Minute))) + "m"
	}
	if h := d.Round(time.Hour); h < 48*time.Hour {
		return "in " + itoa(int(h/time.Hour)) + "h"
	}
	return "in " + itoa(int(d.Round(24*time.Hour)/(24*time.Hour))) + "d"
}

func itoa(n int) string { return groupDigits(int64(n)) }
