package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// schedulePrefix is the meta key prefix of recurring tips. They live in meta rather than a
// bucket of their own so that adding them needed no schema migration: an older satchel keeps
// the keys untouched and simply does not queue their occurrences.
const schedulePrefix = "schedule:"

// Schedule is a recurring tip: an occurrence on each date Start + k x Every (up to Until),
// queued once as a tip whose id is derived from the schedule's id and the date.
type Schedule struct {
	ID      string `json:"id"`
	Address string `json:"address"`
	Script  []byte `json:"script"`
	Type    int    `json:"type"` // txbuilder.ScriptType
	Amount  int64  `json:"amount"`
	// FiatMicro and FiatCurrency, when set, are the amount in a currency (micro-units), converted
	// at the price of the moment each occurrence is queued; Amount is then zero.
	FiatMicro    int64  `json:"fiat_micro,omitempty"`
	FiatCurrency string `json:"fiat_currency,omitempty"`
	Label        string `json:"label,omitempty"`
	// Name, when set, is the BIP353 name the schedule pays, resolved again each time
	// occurrences are queued; Address and Script are its last resolution.
	Name string `json:"name,omitempty"`
	// Every is the period as typed: "1d", "1w", "1mo" (a count and a unit).
	Every string `json:"every"`
	// Start is midnight UTC of the first occurrence; Until, when set, midnight UTC of the last
	// day an occurrence may fall on.
	Start time.Time `json:"start"`
	Until time.Time `json:"until,omitempty"`
	// CatchUp is "all" (every missed occurrence is queued) or "none" (only the latest).
	CatchUp string    `json:"catch_up"`
	Created time.Time `json:"created"`
	// Next is the index k of the first occurrence not yet queued (or skipped).
	Next      int  `json:"next"`
	Cancelled bool `json:"cancelled,omitempty"`
}

// Schedules lists the recurring tips in id order.
func (t *Txn) Schedules() ([]Schedule, error) {
	var out []Schedule
	c := t.bucket(bucketMeta).Cursor()
	p := []byte(schedulePrefix)
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		var s Schedule
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("decode %s: %w", k, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Schedule returns one recurring tip; ErrNotFound when there is none of that id.
func (t *Txn) Schedule(id string) (Schedule, error) {
	var s Schedule
	err := t.getJSON(bucketMeta, []byte(schedulePrefix+id), &s)
	return s, err
}

// PutSchedule writes a recurring tip.
func (t *Txn) PutSchedule(s Schedule) error {
	return t.putJSON(bucketMeta, []byte(schedulePrefix+s.ID), s)
}
