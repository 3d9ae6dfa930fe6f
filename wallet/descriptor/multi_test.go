package descriptor

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

type bip383Vectors struct {
	Valid          []scriptCase `json:"valid"`
	WitnessScripts []scriptCase `json:"witness_scripts"`
	Invalid        []scriptCase `json:"invalid"`
	Unsupported    []scriptCase `json:"unsupported"`
}

func loadBIP383(t testing.TB) bip383Vectors {
	var v bip383Vectors
	readJSON(t, "bip383-vectors.json", &v)
	if len(v.Valid) == 0 || len(v.Invalid) == 0 {
		t.Fatal("bip383-vectors.json has no vectors")
	}
	return v
}

func TestBIP383Vectors(t *testing.T) {
	v := loadBIP383(t)
	for _, c := range v.Valid {
		checkScripts(t, c)
	}
	for _, c := range v.WitnessScripts {
		d, err := Parse(c.Descriptor)
		if err != nil {
			t.Fatalf("%s: %v", c.Descriptor, err)
		}
		for i, want := range c.Scripts {
			ws, err := d.WitnessScriptAt(uint32(i))
			if err != nil || hex.EncodeToString(ws) != want {
				t.Errorf("%s [%d]: witness script %x (%v), want %s", c.Descriptor, i, ws, err, want)
			}
		}
	}
	for _, c := range v.Invalid {
		if _, err := Parse(c.Descriptor); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s (%s): %v, want ErrInvalid", short(c.Descriptor), c.Reason, err)
		}
	}
	for _, c := range v.Unsupported {
		if _, err := Parse(c.Descriptor); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s (%s): %v, want ErrUnsupported", short(c.Descriptor), c.Reason, err)
		}
	}
}

// Three tpubs at BIP48 paths (regtest keys of three test seeds), for a 2-of-3.
const (
	msKeyA = "[73c5da0a/48h/1h/0h/2h]tpubDFH9dgzveyD8zTbPUFuLrGmCydNvxehyNdUXKJAQN8x4aZ4j6UZqGfnqFrD4NqyaTVGKbvEW54tsvPTK2UoSbCC1PJY8iCNiwTL3RWZEheQ"
)

func TestSortedMultiRoundTrip(t *testing.T) {
	v := loadBIP383(t)
	ws := v.WitnessScripts[0].Descriptor // two xpubs, one ranged at /*, one at /0/0/*
	keysPart := strings.TrimSuffix(strings.TrimPrefix(ws, "wsh(sortedmulti(2,"), "))")
	k1, k2, _ := strings.Cut(keysPart, ",")
	tests := []struct {
		name, in string
		m, n     int
		sorted   bool
	}{
		{"sortedmulti", ws, 2, 2, true},
		{"multi", "wsh(multi(1," + k1 + "," + k2 + "))", 1, 2, false},
		{"origins and h", "wsh(sortedmulti(2," + msKeyA + "/0/*,[deadbeef/48'/1'/0'/2']" + strings.TrimSuffix(k1, "/*") + "/1/*))", 2, 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Multi == nil || d.Multi.Threshold != tc.m || len(d.Multi.Keys) != tc.n || d.Multi.Sorted != tc.sorted {
				t.Fatalf("parsed %+v", d.Multi)
			}
			if d.Type != txbuilder.P2WSHMultisig(tc.m, tc.n) || !d.IsRange() || d.IsMultipath() {
				t.Fatalf("type %s range %v multipath %v", d.Type, d.IsRange(), d.IsMultipath())
			}
			out := d.String()
			if strings.Contains(out, "'") || !strings.Contains(out, "#") {
				t.Fatalf("String %s: want h for hardened and a checksum", out)
			}
			again, err := Parse(out)
			if err != nil || again.String() != out {
				t.Fatalf("re-parse %s: %v", out, err)
			}
			a, err1 := d.ScriptAt(5)
			b, err2 := again.ScriptAt(5)
			if err1 != nil || err2 != nil || string(a) != string(b) || len(a) != 34 || a[0] != 0 || a[1] != 32 {
				t.Fatalf("scripts %x %x (%v %v)", a, b, err1, err2)
			}
		})
	}
	// Order matters in multi() and not in sortedmulti().
	sorted1, _ := Parse("wsh(sortedmulti(1," + k1 + "," + k2 + "))")
	sorted2, _ := Parse("wsh(sortedmulti(1," + k2 + "," + k1 + "))")
	multi1, _ := Parse("wsh(multi(1," + k1 + "," + k2 + "))")
	multi2, _ := Parse("wsh(multi(1," + k2 + "," + k1 + "))")
	s1, _ := sorted1.ScriptAt(0)
	s2, _ := sorted2.ScriptAt(0)
	m1, _ := multi1.ScriptAt(0)
	m2, _ := multi2.ScriptAt(0)
	if string(s1) != string(s2) || string(m1) == string(m2) || (string(s1) != string(m1) && string(s1) != string(m2)) {
		t.Fatalf("sorted %x %x, multi %x %x", s1, s2, m1, m2)
	}
}

func TestSortedMultiMultipath(t *testing.T) {
	xpubs := []string{xpubA, xpubR}
	in := "wsh(sortedmulti(2,[ffffffff/48h/0h/0h/2h]" + xpubs[0] + "/<0;1>/*,[eeeeeeee/48h/0h/0h/2h]" + xpubs[1] + "/<0;1>/*))"
	d, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if !d.IsMultipath() {
		t.Fatal("not multipath")
	}
	if _, err := d.ScriptAt(0); !errors.Is(err, ErrMultipath) {
		t.Fatalf("ScriptAt of a multipath descriptor: %v", err)
	}
	parts := d.Split()
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	for chain, p := range parts {
		want := strings.ReplaceAll(in, "<0;1>", []string{"0", "1"}[chain])
		w, err := Parse(want)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != w.String() {
			t.Fatalf("part %d: %s, want %s", chain, p, w)
		}
		a, _ := p.ScriptAt(3)
		b, _ := w.ScriptAt(3)
		if len(a) == 0 || string(a) != string(b) {
			t.Fatalf("part %d: %x vs %x", chain, a, b)
		}
	}
	bad := []string{
		"wsh(sortedmulti(2,[ffffffff/48h/0h/0h/2h]" + xpubs[0] + "/<0;1>/*,[eeeeeeee/48h/0h/0h/2h]" + xpubs[1] + "/<0;1;2>/*))",
		"wsh(sortedmulti(01," + xpubs[0] + "/*))",
		"wsh(sortedmulti(1))",
		"wsh(sortedmulti(," + xpubs[0] + "/*))",
		"wsh(sortedmulti(1," + xpubs[0] + "/*,))",
		"wsh(sortedmulti(1,a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd))",
		"wsh(wpkh(" + xpubs[0] + "))",
	}
	for _, b := range bad {
		if _, err := Parse(b); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", b, err)
		}
	}
}

// FuzzParseMulti feeds wsh(multi()) shapes to the parser: whatever it accepts it must print
// back to a descriptor that parses to the same text and the same scripts.
func FuzzParseMulti(f *testing.F) {
	v := loadBIP383(f)
	for _, group := range [][]scriptCase{v.Valid, v.WitnessScripts, v.Invalid, v.Unsupported} {
		for _, c := range group {
			f.Add(c.Descriptor)
		}
	}
	f.Add("wsh(sortedmulti(2,[ffffffff/48h/0h/0h/2h]" + xpubA + "/<0;1>/*,[eeeeeeee/48h/0h/0h/2h]" + xpubR + "/<0;1>/*))")
	f.Add("wsh(sortedmulti(1," + msKeyA + "/0/*))")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		out := d.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q fails: %v", s, out, err)
		}
		if again.String() != out {
			t.Fatalf("String not stable: %q then %q", out, again.String())
		}
		for i, part := range d.Split() {
			a, errA := part.ScriptAt(1)
			b, errB := again.Split()[i].ScriptAt(1)
			if (errA == nil) != (errB == nil) || string(a) != string(b) {
				t.Fatalf("%q part %d: %x (%v) vs %x (%v)", s, i, a, errA, b, errB)
			}
			if errA == nil && d.Multi != nil {
				ws, err := part.WitnessScriptAt(1)
				if err != nil || len(ws) < 3 || string(p2wshOf(ws)) != string(a) {
					t.Fatalf("%q: witness script %x does not hash to %x (%v)", s, ws, a, err)
				}
			}
		}
	})
}
