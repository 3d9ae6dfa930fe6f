package main

import "time"

// jsonTime is t as every --json time is written: UTC, whole seconds. Times the wallet takes
// from the clock (a wallet's creation, a sync, a tip) carry nanoseconds and block times do
// not, so without this one command printed 2026-12-04T17:32:51.211828299Z and another
// 2026-12-04T17:32:51Z; jq's fromdateiso8601 (and --jq's) refuses the first form.
func jsonTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second)
}

// jsonTimePtr is jsonTime for an optional time.
func jsonTimePtr(t time.Time) *time.Time {
	j := jsonTime(t)
	return &j
}
