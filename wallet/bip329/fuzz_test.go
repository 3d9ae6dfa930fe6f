package bip329

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse: Parse never panics, fails only with a *LineError (or a read error, impossible
// here), and what it accepts writes back and parses to the same records.
func FuzzParse(f *testing.F) {
	f.Add(readVectors(f))
	f.Add([]byte("{\"type\":\"output\",\"ref\":\"f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd:1\",\"spendable\":true}\n"))
	f.Add([]byte("\xef\xbb\xbf\n{\"type\":\"x\",\"ref\":\"y\",\"label\":null}\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		recs, err := Parse(bytes.NewReader(in))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not a *LineError of ErrInvalid", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, recs); err != nil {
			t.Fatalf("parsed records do not encode: %v", err)
		}
		back, err := Parse(&buf)
		if err != nil {
			t.Fatalf("encoded records do not parse: %v\n%s", err, buf.Bytes())
		}
		if len(back) != len(recs) {
			t.Fatalf("%d records back, want %d", len(back), len(recs))
		}
		for i := range recs {
			a, b := recs[i], back[i]
			if a.Type != b.Type || a.Ref != b.Ref || a.Origin != b.Origin || (a.Label == nil) != (b.Label == nil) ||
				a.Text() != b.Text() || (a.Spendable == nil) != (b.Spendable == nil) || (a.Spendable != nil && *a.Spendable != *b.Spendable) {
				t.Fatalf("record %d: %+v came back as %+v", i+1, a, b)
			}
		}
	})
}
