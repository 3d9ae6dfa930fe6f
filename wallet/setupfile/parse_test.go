package setupfile

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

// refusal is one input that must be refused, with the class and a part of the message.
type refusal struct {
	name  string
	input string
	class error
	msg   string
}

func checkRefusals(t *testing.T, parse func([]byte) (*Setup, error), cases []refusal) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parse([]byte(tc.input))
			if err == nil {
				t.Fatalf("accepted: %+v", s)
			}
			if !errors.Is(err, tc.class) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %q, want %v with %q", err, tc.class, tc.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

func TestParseDescriptorForms(t *testing.T) {
	s := testSetup(t)
	want, err := s.Descriptor()
	if err != nil {
		t.Fatal(err)
	}
	body, _, _ := strings.Cut(want, "#")
	apostrophes := strings.NewReplacer("h/", "'/", "h]", "']").Replace(body)
	for name, in := range map[string]string{
		"with checksum":            want,
		"without checksum":         body,
		"apostrophes":              apostrophes,
		"capital H":                strings.ReplaceAll(body, "h]", "H]"),
		"surrounded by whitespace": "\n  " + want + "  \n",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseDescriptor(in)
			if err != nil {
				t.Fatal(err)
			}
			d, err := got.Descriptor()
			if err != nil || d != want {
				t.Fatalf("%s, %v", d, err)
			}
			if got.Network != Testnet || got.Name != "" {
				t.Fatalf("network %q name %q", got.Network, got.Name)
			}
		})
	}
}

func TestParseDescriptorRefused(t *testing.T) {
	s := testSetup(t)
	d, _ := s.Descriptor()
	body, _, _ := strings.Cut(d, "#")
	k := s.Keys
	key := func(i int, suffix string) string {
		return "[" + k[i].Fingerprint + "/48h/1h/0h/2h]" + k[i].Xpub + suffix
	}
	recv := strings.ReplaceAll(body, "/<0;1>/*", "/0/*")
	change := strings.ReplaceAll(body, "/<0;1>/*", "/1/*")
	checkRefusals(t, func(b []byte) (*Setup, error) { return ParseDescriptor(string(b)) }, []refusal{
		{"wrong checksum", body + "#aaaaaaaa", ErrInvalid, "does not match"},
		{"short checksum", body + "#abc", ErrInvalid, "does not match"},
		{"threshold 0", strings.Replace(body, "(2,", "(0,", 1), ErrInvalid, "threshold"},
		{"threshold above n", strings.Replace(body, "(2,", "(4,", 1), ErrInvalid, "threshold 4 with 3 keys"},
		{"threshold with a sign", strings.Replace(body, "(2,", "(+2,", 1), ErrInvalid, "threshold"},
		{"16 keys", "wsh(sortedmulti(2" + strings.Repeat(","+key(0, "/<0;1>/*"), 16) + "))", ErrInvalid, "at most 15"},
		{"duplicate key", "wsh(sortedmulti(2," + key(0, "/<0;1>/*") + "," + key(0, "/<0;1>/*") + "))", ErrInvalid, "key 2 is key 1 again"},
		{"receive only", recv, ErrInvalid, "give both the receive"},
		{"two receive descriptors", recv + "\n" + recv, ErrInvalid, "a receive one"},
		{"receive and change of other thresholds", recv + "\n" + strings.Replace(change, "(2,", "(3,", 1), ErrInvalid, "differ"},
		{"three lines", recv + "\n" + change + "\n" + recv, ErrInvalid, "3 lines"},
		{"mixed suffixes", "wsh(sortedmulti(1," + key(0, "/<0;1>/*") + "," + key(1, "/0/*") + "))", ErrInvalid, "all keys take the same path"},
		{"hardened after the xpub", "wsh(sortedmulti(1," + key(0, "/0h/*") + "))", ErrInvalid, "hardened"},
		{"other path after the xpub", "wsh(sortedmulti(1," + key(0, "/5/<0;1>/*") + "))", ErrUnsupported, "only /<0;1>/*"},
		{"no path after the xpub", "wsh(sortedmulti(1," + key(0, "") + "))", ErrInvalid, "no /<0;1>/*"},
		{"bare public key", "wsh(sortedmulti(1,02" + strings.Repeat("11", 32) + "))", ErrUnsupported, "bare public key"},
		{"private key", "wsh(sortedmulti(1,tprv8ZgxMBicQKsPd/<0;1>/*))", ErrInvalid, "private key"},
		{"multi, not sortedmulti", strings.Replace(body, "sortedmulti", "multi", 1), ErrUnsupported, "wsh(multi"},
		{"nested segwit", "sh(" + body + ")", ErrUnsupported, "nested"},
		{"taproot", "tr(" + k[0].Xpub + ")", ErrUnsupported, "taproot"},
		{"single key", "wpkh(" + key(0, "/0/*") + ")", ErrUnsupported, "single-key"},
		{"garbage", "hello(world)", ErrInvalid, "not a wsh(sortedmulti"},
		{"fingerprint of 7 digits", strings.Replace(body, k[0].Fingerprint, k[0].Fingerprint[:7], 1), ErrInvalid, "not 8 hex digits"},
		{"origin not closed", strings.Replace(body, "2h]", "2h", 1), ErrInvalid, "no closing ]"},
		{"origin path of other depth", strings.Replace(body, "/48h/1h/0h/2h]", "/48h/1h/0h]", 1), ErrInvalid, "depth 4"},
		{"bad path step", strings.Replace(body, "/48h/", "/4x8h/", 1), ErrInvalid, "not a step number"},
		{"corrupted xpub", strings.Replace(body, k[1].Xpub, k[1].Xpub[:50]+"z"+k[1].Xpub[51:], 1), ErrInvalid, "key 2"},
		{"xpub and tpub mixed", strings.Replace(body, k[1].Xpub, testKey(t, 9, &chaincfg.MainNetParams).Xpub, 1), ErrInvalid, "not a testnet key"},
		{"empty", " \n ", ErrInvalid, "no descriptor"},
	})
}

func TestParseCaravanRefused(t *testing.T) {
	good := string(readTestdata(t, "2of3.caravan.json"))
	k := testSetup(t).Keys
	checkRefusals(t, ParseCaravan, []refusal{
		{"not JSON", "{\"name\":", ErrInvalid, "not a Caravan wallet configuration"},
		{"trailing data", good + "{}", ErrInvalid, "more after"},
		{"P2SH", strings.Replace(good, `"P2WSH"`, `"P2SH"`, 1), ErrUnsupported, "only P2WSH"},
		{"no addressType", strings.Replace(good, `"addressType": "P2WSH",`, "", 1), ErrInvalid, "no addressType"},
		{"unknown network", strings.Replace(good, `"regtest"`, `"litecoin"`, 1), ErrInvalid, "network \"litecoin\""},
		{"mainnet with tpubs", strings.Replace(good, `"regtest"`, `"mainnet"`, 1), ErrInvalid, "not a mainnet key"},
		{"total signers wrong", strings.Replace(good, `"totalSigners": 3`, `"totalSigners": 4`, 1), ErrInvalid, "totalSigners is 4"},
		{"required signers 0", strings.Replace(good, `"requiredSigners": 2`, `"requiredSigners": 0`, 1), ErrInvalid, "threshold 0"},
		{"required signers as text", strings.Replace(good, `"requiredSigners": 2`, `"requiredSigners": "2"`, 1), ErrInvalid, "quorum.requiredSigners"},
		{"no quorum", strings.Replace(strings.Replace(good, `"requiredSigners": 2,`, "", 1), `"quorum": {`, `"q": {`, 1), ErrInvalid, "no quorum"},
		{"path without xfp", strings.Replace(good, `"xfp": "8dfc9b34"`, `"xfp": ""`, 1), ErrInvalid, "no xfp"},
		{"bad xfp", strings.Replace(good, `"xfp": "8dfc9b34"`, `"xfp": "8dfc9b3g"`, 1), ErrInvalid, "key 2: invalid multisig setup: fingerprint"},
		{"duplicate key", strings.Replace(good, k[2].Xpub, k[0].Xpub, 1), ErrInvalid, "key 3 is key 1 again"},
		{"newline in name", strings.Replace(good, `"tips vault"`, `"tips\nPolicy: 1 of 1"`, 1), ErrInvalid, "control character"},
		{"override in name", strings.Replace(good, `"tips vault"`, `"tips \u202etluav"`, 1), ErrInvalid, "text-direction character (U+202E)"},
	})
}

func TestParseColdcardRefused(t *testing.T) {
	good := string(readTestdata(t, "2of3.coldcard.txt"))
	checkRefusals(t, ParseColdcard, []refusal{
		{"no policy", strings.Replace(good, "Policy: 2 of 3\n", "", 1), ErrInvalid, "no \"Policy"},
		{"policy wrong n", strings.Replace(good, "2 of 3", "2 of 4", 1), ErrInvalid, "2 of 4 but 3 keys"},
		{"policy not numbers", strings.Replace(good, "2 of 3", "two of three", 1), ErrInvalid, "line 4: invalid multisig setup: Policy"},
		{"no format", strings.Replace(good, "Format: P2WSH\n", "", 1), ErrUnsupported, "reads that as P2SH"},
		{"P2SH-P2WSH", strings.Replace(good, "Format: P2WSH", "Format: P2SH-P2WSH", 1), ErrUnsupported, "only P2WSH"},
		{"key before derivation", "Policy: 1 of 1\nFormat: P2WSH\n4BA43603: tpubX\n", ErrInvalid, "before any Derivation"},
		{"unknown label", strings.Replace(good, "Name:", "Nmae:", 1), ErrInvalid, "line 3: \"Nmae\""},
		{"line without colon", good + "hello\n", ErrInvalid, "is not \"Label: value\""},
		{"two names", "Name: a\n" + good, ErrInvalid, "second Name"},
		{"bad derivation", strings.Replace(good, "Derivation: m/48'/1'/0'/2'", "Derivation: m/48'/x/0'", 1), ErrInvalid, "line 7"},
		{"derivation of other depth", strings.Replace(good, "Derivation: m/48'/1'/0'/2'", "Derivation: m/48'/1'/0'", 1), ErrInvalid, "key 1"},
		{"no keys", "Policy: 1 of 1\nFormat: P2WSH\n", ErrInvalid, "no \"XFP: xpub\""},
	})
}

// TestColdcardSLIP132 reads a Vpub (older Coldcard exports) as the tpub of the same key.
func TestColdcardSLIP132(t *testing.T) {
	s := testSetup(t)
	good := string(readTestdata(t, "2of3.coldcard.txt"))
	// Round trip: a tpub rewritten with the Vpub version reads back as the same tpub.
	vp := toVpubForTest(t, s.Keys[0].Xpub)
	got, err := ParseColdcard([]byte(strings.Replace(good, s.Keys[0].Xpub, vp, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Keys[0].Xpub != s.Keys[0].Xpub {
		t.Fatalf("read %s", got.Keys[0].Xpub)
	}
	if _, err := fromSLIP132(vp[:40] + "1" + vp[41:]); !errors.Is(err, ErrInvalid) {
		t.Fatalf("corrupted Vpub: %v", err)
	}
}

// TestValidate covers the checks no parser reaches on its own.
func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(s *Setup)
		msg  string
	}{
		{"ok", func(s *Setup) {}, ""},
		{"no keys", func(s *Setup) { s.Keys = nil }, "no keys"},
		{"script type", func(s *Setup) { s.ScriptType = "p2sh" }, "only p2wsh"},
		{"network", func(s *Setup) { s.Network = "bitcoin" }, "network \"bitcoin\""},
		{"fingerprint uppercase", func(s *Setup) { s.Keys[0].Fingerprint = "4BA43603" }, "8 lowercase hex"},
		{"path without fingerprint", func(s *Setup) { s.Keys[0].Fingerprint = "" }, "both the fingerprint and the path"},
		{"path in h style", func(s *Setup) { s.Keys[0].Path = "m/48h/1h/0h/2h" }, "m/48'/1'/0'/2' style"},
		{"long name", func(s *Setup) { s.Name = strings.Repeat("x", 65) }, "longer than 64"},
		{"two keys, one origin", func(s *Setup) { s.Keys[2].Fingerprint = s.Keys[0].Fingerprint }, "keys 1 and 3 both claim"},
		{"private key", func(s *Setup) {
			s.Keys[0].Xpub = "tprv8ZgxMBicQKsPeDgjzdC36fs6bMjGApWDNLR9erAXMs5skhMv36j9MV5ecvfavji5khqjWaWSFhN3YcCUUdiKH6isR4Pwy3U5y5egddBr16m"
			s.Keys[0].Fingerprint, s.Keys[0].Path = "", ""
		}, "private key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testSetup(t)
			tc.edit(s)
			err := s.Validate()
			if tc.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %q", err, tc.msg)
			}
			if strings.Contains(err.Error(), "tprv8") {
				t.Fatal("the error shows the private key")
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	for in, want := range map[string]string{
		"m/48'/1'/0'/2'": "m/48'/1'/0'/2'", "m/48h/1h/0h/2h": "m/48'/1'/0'/2'", "48H/1H/0/2": "m/48'/1'/0/2",
		"m": "m", "m/2147483647'": "m/2147483647'",
		"m/2147483648": "", "m/01": "", "m//1": "", "m/": "", "m48": "", "m/-1": "", "m/1''": "",
	} {
		got, err := normPath(in)
		if (err == nil) != (want != "") || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestDetect(t *testing.T) {
	for file, want := range map[string]string{
		"2of3.descriptor": FormatDescriptor, "2of3.bsms": FormatBSMS, "2of3.caravan.json": FormatCaravan,
		"2of3.coldcard.txt": FormatColdcard, "in-sparrow.txt": FormatColdcard, "in-two-descriptors.txt": FormatDescriptor,
	} {
		format, s, err := Detect(readTestdata(t, file))
		if err != nil || format != want {
			t.Errorf("%s: %s, %v", file, format, err)
		}
		if file == "2of3.bsms" && (s == nil || s.FirstAddress == "") {
			t.Errorf("BSMS first address not kept: %+v", s)
		}
	}
	for _, in := range []string{"", "   \n", "hello world", "# only a comment\n"} {
		if _, _, err := Detect([]byte(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v", in, err)
		}
	}
	if _, _, err := Detect(make([]byte, MaxFileSize+1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("oversized: %v", err)
	}
	s := testSetup(t)
	if _, err := s.Encode("electrum", nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("unknown format: %v", err)
	}
	r, c, err := s.Descriptors()
	if err != nil || !strings.Contains(r, "/0/*,") || !strings.Contains(c, "/1/*))#") {
		t.Errorf("descriptors %s %s %v", r, c, err)
	}
	if reflect.DeepEqual(r, c) {
		t.Error("receive and change descriptors are equal")
	}
}

func TestAdoptNetwork(t *testing.T) {
	for _, tc := range []struct {
		format, read, given, want string
	}{
		{FormatDescriptor, Testnet, Regtest, Regtest},
		{FormatColdcard, Testnet, Signet, Signet},
		{FormatDescriptor, Testnet, Mainnet, Testnet}, // tpubs stay on a test network
		{FormatDescriptor, Mainnet, Regtest, Mainnet},
		{FormatCaravan, Regtest, Testnet, Regtest}, // Caravan says which
		{FormatBSMS, Testnet, Testnet4, Testnet4},  // tb1: testnet, testnet4 or signet
		{FormatBSMS, Testnet, Regtest, Testnet},    // tb1 is not regtest's bcrt1
		{FormatBSMS, Regtest, Testnet, Regtest},
	} {
		s := &Setup{Network: tc.read}
		s.AdoptNetwork(tc.format, tc.given)
		if s.Network != tc.want {
			t.Errorf("%s read as %s, given %s: %s, want %s", tc.format, tc.read, tc.given, s.Network, tc.want)
		}
	}
}
