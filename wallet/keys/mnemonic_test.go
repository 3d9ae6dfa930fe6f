package keys

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

// readJSON loads a vector file from the repository's top-level testdata.
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

func bip39English(t testing.TB) [][4]string {
	var v map[string][][4]string
	readJSON(t, "bip39-vectors.json", &v)
	if len(v["english"]) != 24 {
		t.Fatalf("want 24 English vectors, have %d", len(v["english"]))
	}
	return v["english"]
}

func TestBIP39Vectors(t *testing.T) {
	for _, row := range bip39English(t) {
		entropyHex, mnemonic, seedHex, xprv := row[0], row[1], row[2], row[3]
		entropy, _ := hex.DecodeString(entropyHex)

		if n := len(entropy); n == 16 || n == 32 { // the sizes NewMnemonic makes
			got, err := NewMnemonic(len(entropy)*3/4, bytes.NewReader(entropy))
			if err != nil || got != mnemonic {
				t.Errorf("NewMnemonic(%s) = %q, %v; want %q", entropyHex, got, err, mnemonic)
			}
		}
		parsed, err := ParseMnemonic(mnemonic)
		if err != nil || parsed != mnemonic {
			t.Errorf("ParseMnemonic(%q) = %q, %v", mnemonic, parsed, err)
			continue
		}
		seed := SeedFromMnemonic([]byte(parsed), []byte("TREZOR"))
		if hex.EncodeToString(seed) != seedHex {
			t.Errorf("seed for %q = %x, want %s", mnemonic, seed, seedHex)
		}
		m, err := Master(seed, &chaincfg.MainNetParams)
		if err != nil || m.String() != xprv {
			t.Errorf("master for %q = %v, %v; want %s", mnemonic, m, err, xprv)
		}
	}
}

func TestNewMnemonicRefusesOtherLengths(t *testing.T) {
	for _, n := range []int{0, 11, 15, 18, 21, 25} {
		if _, err := NewMnemonic(n, bytes.NewReader(make([]byte, 64))); !errors.Is(err, ErrWordCount) {
			t.Errorf("NewMnemonic(%d): %v, want ErrWordCount", n, err)
		}
	}
}

func TestNewMnemonicShortEntropyFails(t *testing.T) {
	if _, err := NewMnemonic(24, bytes.NewReader(make([]byte, 20))); err == nil {
		t.Fatal("NewMnemonic with 20 bytes of entropy for 24 words succeeded")
	}
}

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func TestParseMnemonicNormalises(t *testing.T) {
	tests := []struct{ name, in string }{
		{"already normal", abandon},
		{"upper case", strings.ToUpper(abandon)},
		{"mixed case", "Abandon ABANDON abandon abandon abandon abandon abandon abandon abandon abandon abandon About"},
		{"tabs newlines and runs of spaces", "  abandon\tabandon\n\nabandon  abandon abandon abandon\r\nabandon abandon abandon abandon abandon about \n"},
		{"four-letter prefixes", "aban aban aban aban aban aban aban aban aban aban aban abou"},
		{"longer prefixes", "aband abando abandon aban aban aban aban aban aban aban aban abou"},
		{"unicode whitespace", "abandon\u00a0abandon\u2003abandon abandon abandon abandon abandon abandon abandon abandon abandon about"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMnemonic(tt.in)
			if err != nil || got != abandon {
				t.Fatalf("ParseMnemonic(%q) = %q, %v", tt.in, got, err)
			}
		})
	}
}

func TestParseMnemonicUnknownWord(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		pos     int
		word    string
		suggest []string // must all be present, in this order, at the start
	}{
		{"typo names position and nearest words", strings.Replace(abandon, "about", "abuot", 1), 12, "abuot", []string{"about"}},
		{"extra letters beyond a real word", "abandonn" + abandon[len("abandon"):], 1, "abandonn", []string{"abandon"}},
		{"three-letter prefix is not enough", "aba" + abandon[len("abandon"):], 1, "aba", nil},
		{"word not in list", strings.Replace(abandon, "about", "bitcoin", 1), 12, "bitcoin", nil},
		{"reported lowercased", strings.Replace(abandon, "about", "ABUOT", 1), 12, "abuot", []string{"about"}},
		{"first bad word wins", "abandon zzzz abandon qqqq", 2, "zzzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMnemonic(tt.in)
			var uw *UnknownWordError
			if !errors.As(err, &uw) {
				t.Fatalf("ParseMnemonic(%q) error %v, want *UnknownWordError", tt.in, err)
			}
			if uw.Position != tt.pos || uw.Word != tt.word {
				t.Errorf("got position %d word %q, want %d %q", uw.Position, uw.Word, tt.pos, tt.word)
			}
			if len(uw.Suggestions) > 3 {
				t.Errorf("%d suggestions, want at most 3", len(uw.Suggestions))
			}
			if len(tt.suggest) > 0 && !slices.Equal(uw.Suggestions[:len(tt.suggest)], tt.suggest) {
				t.Errorf("suggestions %v, want to start with %v", uw.Suggestions, tt.suggest)
			}
			for _, s := range tt.suggest {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q does not suggest %q", err, s)
				}
			}
		})
	}
}

func TestParseMnemonicSuggestsForThreeLetterPrefix(t *testing.T) {
	_, err := ParseMnemonic("aba" + abandon[len("abandon"):])
	var uw *UnknownWordError
	if !errors.As(err, &uw) || len(uw.Suggestions) == 0 {
		t.Fatalf("want suggestions for %q, got %v", "aba", err)
	}
}

func TestParseMnemonicBadChecksum(t *testing.T) {
	// Twelve valid words whose checksum bits are wrong, and a swap of two words.
	for _, in := range []string{
		strings.Repeat("abandon ", 12),
		"about abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",
	} {
		_, err := ParseMnemonic(in)
		if !errors.Is(err, ErrBadChecksum) {
			t.Errorf("ParseMnemonic(%q) = %v, want ErrBadChecksum", in, err)
		}
	}
	if ErrBadChecksum.Error() != "checksum does not match: a word is wrong or the order is" {
		t.Errorf("checksum message changed: %q", ErrBadChecksum)
	}
}

func TestParseMnemonicWordCount(t *testing.T) {
	for _, n := range []int{0, 1, 11, 13, 14, 23, 25, 48} {
		_, err := ParseMnemonic(strings.Repeat("abandon ", n))
		if !errors.Is(err, ErrWordCount) {
			t.Errorf("%d words: %v, want ErrWordCount", n, err)
		}
	}
}

func TestPassphraseIsASCII(t *testing.T) {
	if !PassphraseIsASCII([]byte("TREZOR 123 !~")) || !PassphraseIsASCII(nil) {
		t.Error("ASCII passphrase reported as non-ASCII")
	}
	if PassphraseIsASCII([]byte("café")) {
		t.Error("non-ASCII passphrase reported as ASCII")
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"abuot", "about", 2}, {"same", "same", 0}} {
		if got := EditDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func FuzzParseMnemonic(f *testing.F) {
	f.Add(abandon)
	f.Add(strings.ToUpper(abandon))
	f.Add("aban aban aban aban aban aban aban aban aban aban aban abou")
	f.Add(strings.Repeat("abandon ", 12))
	f.Add("legal winner thank year wave sausage worth useful legal winner thank yellow")
	f.Add("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote")
	f.Add("abandonn")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseMnemonic(s)
		if err != nil {
			var uw *UnknownWordError
			if !errors.As(err, &uw) && !errors.Is(err, ErrWordCount) && !errors.Is(err, ErrBadChecksum) {
				t.Fatalf("ParseMnemonic(%q): untyped error %v", s, err)
			}
			return
		}
		again, err := ParseMnemonic(got)
		if err != nil || again != got {
			t.Fatalf("ParseMnemonic(%q) = %q, but parsing that again gives %q, %v", s, got, again, err)
		}
	})
}

// SLIP-39 shares given where seed words go are named for what they are, whatever words they
// share with BIP39's list; a real mnemonic, or words of no list, are read as before.
func TestParseMnemonicNamesSLIP39Shares(t *testing.T) {
	share := "duckling enlarge academic academic agency result length solution fridge kidney coal piece deal husband erode duke ajar critical decision keyboard"
	share33 := strings.TrimSpace(strings.Repeat("academic ", 33))
	for _, tc := range []struct {
		name, in, want string
	}{
		{"one share", share, "these 20 look like a SLIP-39 share of 20 words: add --shamir"},
		{"two shares", share + "\n" + strings.ToUpper(share), "these 40 look like 2 SLIP-39 shares of 20 words: add --shamir"},
		{"a 33-word share", share33, "these 33 look like a SLIP-39 share of 33 words: add --shamir"},
		{"a share cut short", strings.Join(strings.Fields(share)[:19], " "), "word 1 is not a BIP39 English word"},
		{"20 words of neither list", strings.TrimSpace(strings.Repeat("zzzz ", 20)), "word 1 is not a BIP39 English word"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMnemonic(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%v, want %q", err, tc.want)
			}
			if strings.Contains(tc.want, "--shamir") && !errors.Is(err, ErrWordCount) {
				t.Fatalf("%v does not match ErrWordCount (exit 2, bad_mnemonic)", err)
			}
		})
	}
	if m, err := ParseMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"); err != nil || m == "" {
		t.Fatalf("a BIP39 mnemonic: %v", err)
	}
}
