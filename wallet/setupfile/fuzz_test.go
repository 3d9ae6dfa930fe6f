package setupfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// seedFuzz adds every file under testdata/setupfile and the BIP129 records.
func seedFuzz(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{bip129NoEncryption, bip129Standard, bip129PublicKeys, "", "{}", "BSMS 1.0\n", "Policy: 1 of 1\n"} {
		f.Add([]byte(s))
	}
}

// roundTrip checks that an accepted setup is valid and that writing it in format and reading
// it back gives the same setup (the fields the format carries).
func roundTrip(t *testing.T, s *Setup, format string, parse func([]byte) (*Setup, error)) {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatalf("accepted an invalid setup: %v", err)
	}
	out, err := s.Encode(format, testDerive)
	if err != nil {
		if format == FormatColdcard || format == FormatCaravan {
			// A key without origin cannot go into a Coldcard file; names are not checked
			// against Caravan's default: both are refusals, not crashes.
			return
		}
		t.Fatalf("cannot write what was read: %v", err)
	}
	back, err := parse(out)
	if err != nil {
		t.Fatalf("cannot read what was written: %v\n%s", err, out)
	}
	a, b := *s, *back
	a.FirstAddress, b.FirstAddress = "", ""
	if format != FormatCaravan && format != FormatColdcard {
		a.Name, b.Name = "", ""
	}
	if format == FormatCaravan {
		for i := range a.Keys {
			a.Keys[i].Name, b.Keys[i].Name = "", ""
		}
	}
	// A setup without a name is written with its default name where the format needs one.
	if (format == FormatColdcard || format == FormatCaravan) && a.Name == "" {
		b.Name = ""
	}
	if (format == FormatBSMS || format == FormatCaravan) && a.Network == Testnet4 || format == FormatBSMS && a.Network == Signet {
		a.Network = Testnet // a tb1 address does not tell them apart; Caravan has no testnet4
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip changed the setup:\n%+v\n%+v", a, b)
	}
}

func FuzzParseDescriptor(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseDescriptor(string(data))
		if err == nil {
			roundTrip(t, s, FormatDescriptor, func(b []byte) (*Setup, error) { return ParseDescriptor(string(b)) })
		}
	})
}

func FuzzParseBSMS(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseBSMS(data)
		if err == nil {
			roundTrip(t, s, FormatBSMS, ParseBSMS)
		}
	})
}

func FuzzParseCaravan(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseCaravan(data)
		if err == nil {
			roundTrip(t, s, FormatCaravan, ParseCaravan)
		}
	})
}

func FuzzParseColdcard(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseColdcard(data)
		if err == nil {
			roundTrip(t, s, FormatColdcard, ParseColdcard)
		}
	})
}

// FuzzDetect: whatever Detect accepts it reads again the same way from its own output.
func FuzzDetect(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		format, s, err := Detect(data)
		if err != nil {
			return
		}
		roundTrip(t, s, format, func(b []byte) (*Setup, error) {
			got, s2, err := Detect(b)
			if err == nil && got != format {
				t.Fatalf("written as %s, detected as %s", format, got)
			}
			return s2, err
		})
	})
}
