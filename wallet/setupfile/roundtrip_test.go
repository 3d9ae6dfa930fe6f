package setupfile

import (
	"reflect"
	"strings"
	"testing"
)

// TestGoldenExports writes the regtest 2-of-3 in every format and compares with the files
// under testdata/setupfile.
func TestGoldenExports(t *testing.T) {
	s := testSetup(t)
	for _, tc := range []struct{ format, file string }{
		{FormatDescriptor, "2of3.descriptor"},
		{FormatBSMS, "2of3.bsms"},
		{FormatCaravan, "2of3.caravan.json"},
		{FormatColdcard, "2of3.coldcard.txt"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			out, err := s.Encode(tc.format, testDerive)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, out)
			// Reading the file back gives the format and the same keys, threshold and network.
			format, back, err := Import(out, testDerive)
			if err != nil {
				t.Fatal(err)
			}
			if format != tc.format {
				t.Fatalf("detected as %s", format)
			}
			if back.Threshold != s.Threshold || back.ScriptType != s.ScriptType || len(back.Keys) != len(s.Keys) {
				t.Fatalf("read back %+v", back)
			}
			for i := range s.Keys {
				if back.Keys[i].Xpub != s.Keys[i].Xpub || back.Keys[i].Path != s.Keys[i].Path || back.Keys[i].Fingerprint != s.Keys[i].Fingerprint {
					t.Fatalf("key %d read back as %+v", i+1, back.Keys[i])
				}
			}
			// Writing what was read gives the same bytes (stable re-serialisation).
			again, err := back.Encode(tc.format, testDerive)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(out) {
				t.Fatalf("written again:\n%s\nfirst:\n%s", again, out)
			}
		})
	}
}

// TestRoundTripAcrossFormats: descriptor -> BSMS -> Caravan -> Coldcard -> descriptor gives
// the descriptor it started from, and the name survives where a format carries it.
func TestRoundTripAcrossFormats(t *testing.T) {
	start, err := testSetup(t).Descriptor()
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(start)
	for _, to := range []string{FormatBSMS, FormatCaravan, FormatColdcard, FormatDescriptor} {
		_, s, err := Import(data, testDerive)
		if err != nil {
			t.Fatalf("before %s: %v", to, err)
		}
		if data, err = s.Encode(to, testDerive); err != nil {
			t.Fatalf("%s: %v", to, err)
		}
	}
	if got := strings.TrimSpace(string(data)); got != start {
		t.Fatalf("round trip gave\n%s\nwant\n%s", got, start)
	}
}

// TestForeignInputs reads files as other coordinators write them: a Sparrow file with CRLF,
// comments, one Derivation line for all keys and mixed-case fingerprints; a Caravan file with
// a client, a uuid and a key of unknown origin; the two-descriptor form with apostrophes, change
// first, no checksums.
func TestForeignInputs(t *testing.T) {
	full := testSetup(t)
	for _, tc := range []struct {
		file, format, network, name string
		noOrigin                    int // 1-based key without origin, 0 for none
		keyName                     string
	}{
		{"in-sparrow.txt", FormatColdcard, Testnet, "tips vault", 0, ""},
		{"in-caravan.json", FormatCaravan, Regtest, "tips vault", 3, "laptop"},
		{"in-two-descriptors.txt", FormatDescriptor, Testnet, "", 0, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			format, s, err := Import(readTestdata(t, tc.file), testDerive)
			if err != nil {
				t.Fatal(err)
			}
			want := &Setup{Name: tc.name, Threshold: 2, ScriptType: ScriptP2WSH, Network: tc.network,
				Keys: append([]Key(nil), full.Keys...)}
			if tc.noOrigin > 0 {
				want.Keys[tc.noOrigin-1].Fingerprint, want.Keys[tc.noOrigin-1].Path = "", ""
			}
			if format == FormatCaravan {
				want.Keys[0].Name, want.Keys[1].Name, want.Keys[2].Name = tc.keyName, "coldcard", "unknown origin"
			}
			if format != tc.format || !reflect.DeepEqual(s, want) {
				t.Fatalf("%s: %+v\nwant %+v", format, s, want)
			}
		})
	}
	// A key without origin goes into a descriptor bare, and cannot go into a Coldcard file.
	_, s, err := Import(readTestdata(t, "in-caravan.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Descriptor()
	if err != nil || !strings.Contains(d, ","+s.Keys[2].Xpub+"/<0;1>/*))#") {
		t.Fatalf("descriptor %s, %v", d, err)
	}
	if _, err := s.Coldcard(); err == nil || !strings.Contains(err.Error(), "key 3 has no fingerprint") {
		t.Fatalf("coldcard export of a key without origin: %v", err)
	}
}
