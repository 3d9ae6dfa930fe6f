package descriptor

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type scriptCase struct {
	Descriptor string   `json:"descriptor"`
	Scripts    []string `json:"scripts"`
	Reason     string   `json:"reason"`
}

type vectors struct {
	Checksum []struct {
		Case, Descriptor string
		Valid            bool
	} `json:"bip380_checksum"`
	KeyExpressions struct {
		Valid   []keyCase `json:"valid"`
		Invalid []keyCase `json:"invalid"`
	} `json:"bip380_key_expressions"`
	BIP381 struct{ Valid, Invalid []scriptCase } `json:"bip381_pk_pkh_sh"`
	BIP382 struct{ Valid, Invalid []scriptCase } `json:"bip382_wpkh_wsh"`
	BIP386 struct{ Valid, Invalid []scriptCase } `json:"bip386_tr"`
}

type keyCase struct {
	Case          string `json:"case"`
	KeyExpression string `json:"key_expression"`
}

func loadVectors(t testing.TB) vectors {
	var v vectors
	readJSON(t, "descriptor-vectors.json", &v)
	return v
}

// unsupportedReason says why satchel does not parse a valid vector descriptor, or "" when it
// should. The forms listed are valid descriptors outside satchel's single-key accounts.
func unsupportedReason(desc string) string {
	switch {
	case strings.HasPrefix(desc, "pk("):
		return "pk() (bare pay-to-pubkey) is not an account script type"
	case strings.HasPrefix(desc, "sh(pk(") || strings.HasPrefix(desc, "sh(pkh("):
		return "sh() around anything but wpkh() is not an account script type"
	case strings.HasPrefix(desc, "wsh(multi(") || strings.HasPrefix(desc, "wsh(sortedmulti("):
		return "" // BIP383 multisig in wsh() is read
	case strings.HasPrefix(desc, "wsh(") || strings.HasPrefix(desc, "sh(wsh("):
		return "wsh() scripts other than multi() and sortedmulti() are not supported"
	case strings.HasPrefix(desc, "tr(") && strings.Contains(desc, ","):
		return "tr() with a script tree is not supported (key-path-only BIP86 accounts)"
	case strings.HasPrefix(desc, "raw("):
		return "raw() scripts are not supported"
	}
	return ""
}

func checkScripts(t *testing.T, c scriptCase) {
	t.Helper()
	if reason := unsupportedReason(c.Descriptor); reason != "" {
		_, err := Parse(c.Descriptor)
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported (%s)", c.Descriptor, err, reason)
		}
		t.Logf("skipped (%s): %s", reason, c.Descriptor)
		return
	}
	d, err := Parse(c.Descriptor)
	if err != nil {
		t.Errorf("Parse(%s): %v", c.Descriptor, err)
		return
	}
	if len(c.Scripts) == 0 {
		t.Fatalf("%s: supported vector without scripts", c.Descriptor)
	}
	for i, want := range c.Scripts {
		got, err := d.ScriptAt(uint32(i))
		if err != nil || hex.EncodeToString(got) != want {
			t.Errorf("%s [%d]: %x, %v; want %s", c.Descriptor, i, got, err, want)
		}
	}
	// The canonical form parses to the same scripts.
	again, err := Parse(d.String())
	if err != nil {
		t.Fatalf("Parse(String()) of %s: %v", c.Descriptor, err)
	}
	for i, want := range c.Scripts {
		if got, err := again.ScriptAt(uint32(i)); err != nil || hex.EncodeToString(got) != want {
			t.Errorf("%s re-parsed [%d]: %x, %v", d, i, got, err)
		}
	}
}

func TestBIP381Vectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.BIP381.Valid {
		checkScripts(t, c)
	}
	for _, c := range v.BIP381.Invalid {
		if _, err := Parse(c.Descriptor); err == nil {
			t.Errorf("%s (%s) accepted", c.Descriptor, c.Reason)
		}
	}
}

func TestBIP382Vectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.BIP382.Valid {
		checkScripts(t, c)
	}
	for _, c := range v.BIP382.Invalid {
		if _, err := Parse(c.Descriptor); err == nil {
			t.Errorf("%s (%s) accepted", c.Descriptor, c.Reason)
		}
	}
}

func TestBIP386Vectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.BIP386.Valid {
		// The last "valid" vector, tr(KEY,pkh(...)), has no script in the BIP and the current
		// BIP386 text lists pkh() in tr as invalid; satchel refuses it either way (script tree).
		checkScripts(t, c)
	}
	for _, c := range v.BIP386.Invalid {
		if _, err := Parse(c.Descriptor); err == nil {
			t.Errorf("%s (%s) accepted", c.Descriptor, c.Reason)
		}
	}
}

func TestBIP380KeyExpressions(t *testing.T) {
	v := loadVectors(t)
	if len(v.KeyExpressions.Valid) != 21 || len(v.KeyExpressions.Invalid) != 16 {
		t.Fatalf("want 21 valid and 16 invalid key expressions, have %d and %d",
			len(v.KeyExpressions.Valid), len(v.KeyExpressions.Invalid))
	}
	for _, c := range v.KeyExpressions.Valid {
		// pkh() is the one supported script that takes every key kind, uncompressed included.
		d, err := Parse("pkh(" + c.KeyExpression + ")")
		if err != nil {
			t.Errorf("%s: pkh(%s): %v", c.Case, c.KeyExpression, err)
			continue
		}
		s := d.String()
		again, err := Parse(s)
		if err != nil || again.String() != s {
			t.Errorf("%s: %s does not round-trip: %v, %v", c.Case, s, again, err)
		}
	}
	for _, c := range v.KeyExpressions.Invalid {
		for _, wrap := range []string{"pkh(%s)", "wpkh(%s)", "sh(wpkh(%s))", "tr(%s)"} {
			desc := strings.Replace(wrap, "%s", c.KeyExpression, 1)
			if _, err := Parse(desc); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: Parse(%s) = %v, want ErrInvalid", c.Case, desc, err)
			}
		}
	}
}

func TestBIP380ChecksumCases(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Checksum {
		out, err := AddChecksum(c.Descriptor)
		if c.Valid != (err == nil) {
			t.Errorf("%s: AddChecksum(%q) = %q, %v; valid=%v", c.Case, c.Descriptor, out, err, c.Valid)
		}
		if c.Valid && !strings.HasPrefix(out, "raw(deadbeef)#89f8spxm") {
			t.Errorf("%s: got %q", c.Case, out)
		}
		// raw() is outside satchel's forms, but a broken checksum must be reported as such
		// before the form is even looked at.
		_, err = Parse(c.Descriptor)
		if c.Valid && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Parse = %v, want ErrUnsupported", c.Case, err)
		}
		if !c.Valid && !errors.Is(err, ErrChecksum) && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Parse = %v, want ErrChecksum or ErrInvalid", c.Case, err)
		}
	}
}

func TestChecksumPairs(t *testing.T) {
	var pairs []struct {
		Descriptor   string `json:"descriptor"`
		Checksum     string `json:"checksum"`
		WithChecksum string `json:"with_checksum"`
		Source       string `json:"source"`
	}
	readJSON(t, "descriptor-checksums.json", &pairs)
	if len(pairs) != 11 {
		t.Fatalf("want 11 pairs, have %d", len(pairs))
	}
	for _, p := range pairs {
		got, err := Checksum(p.Descriptor)
		if err != nil || got != p.Checksum {
			t.Errorf("Checksum(%s) = %q, %v; want %s (%s)", p.Descriptor, got, err, p.Checksum, p.Source)
		}
		with, err := AddChecksum(p.Descriptor)
		if err != nil || with != p.WithChecksum {
			t.Errorf("AddChecksum(%s) = %q, %v", p.Descriptor, with, err)
		}
		if again, err := AddChecksum(p.WithChecksum); err != nil || again != p.WithChecksum {
			t.Errorf("AddChecksum of an already-checksummed descriptor: %q, %v", again, err)
		}
		// The supported ones (wpkh) parse, and those already in canonical form print back
		// byte for byte.
		if strings.HasPrefix(p.Descriptor, "wpkh(") {
			d, err := Parse(p.WithChecksum)
			if err != nil {
				t.Errorf("Parse(%s): %v", p.WithChecksum, err)
				continue
			}
			if !strings.Contains(p.Descriptor, "'") && d.String() != p.WithChecksum {
				t.Errorf("String() = %s, want %s", d, p.WithChecksum)
			}
		}
	}
}

func TestChecksumRefuses(t *testing.T) {
	for _, s := range []string{"raw(Ü)", "wpkh(#)", "tab\there"} {
		if _, err := Checksum(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("Checksum(%q) = %v, want ErrInvalid", s, err)
		}
	}
	if _, err := AddChecksum("raw(deadbeef)#89f8spxq"); !errors.Is(err, ErrChecksum) {
		t.Errorf("wrong checksum: %v", err)
	}
}

// xpubA and its private form are from the BIP32 test vectors (vector 2, m/0).
const (
	xpubA = "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH"
	xprvR = "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U"
	xpubR = "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB"
)

// TestBIP389Multipath uses the BIP389 test vectors for the forms satchel supports (pkh, wpkh).
func TestBIP389Multipath(t *testing.T) {
	valid := []struct {
		in   string
		want []string
	}{
		{"pkh(" + xprvR + "/<2147483647h;0>/0)", []string{
			"pkh(" + xprvR + "/2147483647h/0)", "pkh(" + xprvR + "/0/0)"}},
		{"wpkh([ffffffff/13h]" + xpubA + "/<1;3>/2/*)", []string{
			"wpkh([ffffffff/13h]" + xpubA + "/1/2/*)", "wpkh([ffffffff/13h]" + xpubA + "/3/2/*)"}},
		{"pkh(" + xpubR + "/<0;1;2>)", []string{
			"pkh(" + xpubR + "/0)", "pkh(" + xpubR + "/1)", "pkh(" + xpubR + "/2)"}},
	}
	for _, tt := range valid {
		d, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if !d.IsMultipath() {
			t.Errorf("%s: not multipath", tt.in)
		}
		if _, err := d.ScriptAt(0); !errors.Is(err, ErrMultipath) {
			t.Errorf("%s: ScriptAt before Split: %v", tt.in, err)
		}
		if again, err := Parse(d.String()); err != nil || again.String() != d.String() {
			t.Errorf("%s: multipath round trip %v, %v", d, again, err)
		}
		parts := d.Split()
		if len(parts) != len(tt.want) {
			t.Fatalf("%s: %d parts", tt.in, len(parts))
		}
		for i, p := range parts {
			w, err := Parse(tt.want[i])
			if err != nil {
				t.Fatal(err)
			}
			if p.String() != w.String() {
				t.Errorf("%s part %d = %s, want %s", tt.in, i, p, w)
			}
			a, errA := p.ScriptAt(0)
			b, errB := w.ScriptAt(0)
			if errA != nil || errB != nil || hex.EncodeToString(a) != hex.EncodeToString(b) {
				t.Errorf("%s part %d: scripts %x (%v) vs %x (%v)", tt.in, i, a, errA, b, errB)
			}
		}
		// Splitting leaves the original untouched.
		if !d.IsMultipath() {
			t.Errorf("%s: Split changed the original", tt.in)
		}
	}
	invalid := map[string]string{
		"multiple multipath specifiers": "pkh(" + xprvR + "/<0;1>/<2;3>)",
		"multipath in origin":           "pkh([deadbeef/<0;1>]" + xpubR + "/0)",
		"empty multipath":               "wpkh(" + xpubR + "/<>/*)",
		"missing multipath start":       "wpkh(" + xpubR + "/0>/*)",
		"missing multipath end":         "wpkh(" + xpubR + "/<0/*)",
		"missing index in multipath":    "wpkh(" + xpubR + "/<0;>/*)",
		"duplicate index in multipath":  "wpkh(" + xpubR + "/<1;1>/*)",
		"one value in multipath":        "wpkh(" + xpubR + "/<1>/*)",
	}
	for name, s := range invalid {
		if _, err := Parse(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Parse(%s) = %v, want ErrInvalid", name, s, err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	const pub = "03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd"
	tests := []struct {
		name, in string
		class    error
	}{
		{"capital H hardened", "wpkh(" + xpubR + "/1H/*)", ErrInvalid},
		{"x-only key outside tr", "wpkh(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)", ErrInvalid},
		{"uncompressed WIF in tr", "tr(5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss)", ErrInvalid},
		{"hex key with path", "wpkh(" + pub + "/0)", ErrInvalid},
		{"two keys", "wpkh(" + pub + "," + pub + ")", ErrInvalid},
		{"empty", "", ErrInvalid},
		{"no closing paren", "wpkh(" + pub, ErrInvalid},
		{"trailing junk", "wpkh(" + pub + ")x", ErrInvalid},
		{"unknown function", "foo(" + pub + ")", ErrInvalid},
		{"sh of a key", "sh(" + pub + ")", ErrInvalid},
		{"sh of tr", "sh(tr(" + pub + "))", ErrInvalid},
		{"wildcard in the middle", "wpkh(" + xpubR + "/*/0)", ErrInvalid},
		{"zpub (SLIP-132) key", "wpkh(zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs/0/*)", ErrInvalid},
		{"key not on curve", "wpkh(020000000000000000000000000000000000000000000000000000000000000007)", ErrInvalid},
		{"wrong checksum", "wpkh(" + pub + ")#aaaaaaaa", ErrChecksum},
		{"multi", "multi(1," + pub + ")", ErrUnsupported},
		{"sh(multi)", "sh(multi(1," + pub + "))", ErrUnsupported},
		{"addr", "addr(bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)", ErrUnsupported},
	}
	for _, tt := range tests {
		if d, err := Parse(tt.in); !errors.Is(err, tt.class) {
			t.Errorf("%s: Parse(%q) = %v, %v; want %v", tt.name, tt.in, d, err, tt.class)
		}
	}
}

func TestScriptAtRefuses(t *testing.T) {
	hardAfterPub, err := Parse("wpkh(" + xpubR + "/1h/*)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hardAfterPub.ScriptAt(0); !errors.Is(err, ErrNeedPrivateKey) {
		t.Errorf("hardened after xpub: %v", err)
	}
	hardWildcard, _ := Parse("wpkh(" + xpubR + "/*h)")
	if _, err := hardWildcard.ScriptAt(0); !errors.Is(err, ErrNeedPrivateKey) {
		t.Errorf("hardened wildcard after xpub: %v", err)
	}
	single, _ := Parse("wpkh(" + xpubR + "/0)")
	if _, err := single.ScriptAt(1); err == nil {
		t.Error("index 1 of a non-ranged descriptor accepted")
	}
	ranged, _ := Parse("wpkh(" + xpubR + "/0/*)")
	if _, err := ranged.ScriptAt(1 << 31); err == nil {
		t.Error("index 2^31 accepted")
	}
}

func TestCanonicalString(t *testing.T) {
	in := "wpkh([DEADBEEF/84'/0H/0']" + xpubR + "/0/*)"
	if _, err := Parse(in); !errors.Is(err, ErrInvalid) {
		t.Fatalf("H accepted in origin: %v", err)
	}
	in = "wpkh([DEADBEEF/84'/0h/0']" + xpubR + "/0/*)"
	d, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := AddChecksum("wpkh([deadbeef/84h/0h/0h]" + xpubR + "/0/*)")
	if d.String() != want {
		t.Errorf("String() = %s, want %s", d, want)
	}
}

func FuzzParse(f *testing.F) {
	v := loadVectors(f)
	for _, group := range [][]scriptCase{v.BIP381.Valid, v.BIP381.Invalid, v.BIP382.Valid,
		v.BIP382.Invalid, v.BIP386.Valid, v.BIP386.Invalid} {
		for _, c := range group {
			f.Add(c.Descriptor)
		}
	}
	for _, c := range v.KeyExpressions.Valid {
		f.Add("pkh(" + c.KeyExpression + ")")
	}
	f.Add("wpkh([ffffffff/13h]" + xpubA + "/<1;3>/2/*)")
	f.Add("tr(a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)#ln4dh5jn")
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
		for _, part := range d.Split() {
			p2 := again.Split()
			_ = p2
			a, errA := part.ScriptAt(0)
			if errA != nil {
				continue
			}
			if len(a) == 0 {
				t.Fatalf("%q: empty script", s)
			}
		}
		if !d.IsMultipath() {
			a, errA := d.ScriptAt(0)
			b, errB := again.ScriptAt(0)
			if (errA == nil) != (errB == nil) || string(a) != string(b) {
				t.Fatalf("%q and %q give different scripts: %x (%v) vs %x (%v)", s, out, a, errA, b, errB)
			}
		}
	})
}
