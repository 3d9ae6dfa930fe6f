package bip329

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// line is a record as written, in BIP329's field order.
type line struct {
	Type      string  `json:"type"`
	Ref       string  `json:"ref"`
	Label     *string `json:"label,omitempty"`
	Origin    string  `json:"origin,omitempty"`
	Spendable *bool   `json:"spendable,omitempty"`
	Height    int32   `json:"height,omitempty"`
	Time      string  `json:"time,omitempty"`
	Fee       *int64  `json:"fee,omitempty"`
	Value     *int64  `json:"value,omitempty"`
	Keypath   string  `json:"keypath,omitempty"`
}

// Encode writes records as a BIP329 export, one JSON object per line ending in "\n". A record
// Validate refuses is an error and stops the output at that record.
func Encode(w io.Writer, recs []Record) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range recs {
		r := &recs[i]
		if err := Validate(r); err != nil {
			return fmt.Errorf("encode record %d: %w", i+1, err)
		}
		l := line{Type: r.Type, Ref: r.Ref, Label: r.Label, Origin: r.Origin, Spendable: r.Spendable,
			Height: r.Extra.Height, Fee: r.Extra.Fee, Value: r.Extra.Value, Keypath: r.Extra.Keypath}
		if r.Extra.Time != nil {
			l.Time = r.Extra.Time.UTC().Format(time.RFC3339)
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}
