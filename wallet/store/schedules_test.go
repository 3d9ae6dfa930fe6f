package store

import (
	"testing"
	"time"
)

// Schedules and prices share the meta bucket with settings and counters: each listing sees
// only its own keys.
func TestSchedulesAndPricesKeepToTheirKeys(t *testing.T) {
	s, _ := openTemp(t)
	at := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	err := s.Update(func(tx *Txn) error {
		if err := tx.PutSetting("schedule", "not a schedule"); err != nil {
			return err
		}
		if _, err := tx.NextSeq("schedule"); err != nil {
			return err
		}
		for _, id := range []string{"sched-2", "sched-1"} {
			if err := tx.PutSchedule(Schedule{ID: id, Every: "1d", Start: at, CatchUp: "all"}); err != nil {
				return err
			}
		}
		return tx.PutPrice("ab", PriceRecord{Time: at, Source: "s", Rates: map[string]int64{"USD": 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Txn) error {
		all, err := tx.Schedules()
		if err != nil || len(all) != 2 || all[0].ID != "sched-1" || all[1].ID != "sched-2" || !all[0].Start.Equal(at) {
			t.Fatalf("schedules %+v %v", all, err)
		}
		if _, err := tx.Schedule("sched-3"); !IsNotFound(err) {
			t.Fatalf("missing schedule: %v", err)
		}
		ps, err := tx.Prices()
		if err != nil || len(ps) != 1 || ps["ab"].Rates["USD"] != 1 {
			t.Fatalf("prices %+v %v", ps, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
