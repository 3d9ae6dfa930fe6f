package bip39

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	gobip39 "github.com/tyler-smith/go-bip39"
)

func TestEnglishListIsBIP39s(t *testing.T) {
	sum := sha256.Sum256([]byte(englishText))
	if got := hex.EncodeToString(sum[:]); got != "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda" {
		t.Fatalf("english.txt SHA-256 %s", got)
	}
	if len(English()) != 2048 || English()[0] != "abandon" || English()[2047] != "zoo" {
		t.Fatal("list")
	}
}

// The official vectors (testdata/bip39-vectors.json, from trezor/python-mnemonic).
func TestVectors(t *testing.T) {
	b, err := os.ReadFile("../../testdata/bip39-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ English [][]string }
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	for _, c := range v.English {
		ent, _ := hex.DecodeString(c[0])
		m, err := NewMnemonic(ent)
		if err != nil || m != c[1] {
			t.Fatalf("%s: %q %v, want %q", c[0], m, err, c[1])
		}
		back, err := Entropy(c[1])
		if err != nil || !bytes.Equal(back, ent) {
			t.Fatalf("%s: entropy %x %v", c[1], back, err)
		}
	}
	if len(v.English) < 20 {
		t.Fatalf("only %d vectors", len(v.English))
	}
}

func TestChecksumAndLength(t *testing.T) {
	bad := strings.Repeat("abandon ", 12)
	if _, err := Entropy(bad); !errors.Is(err, ErrChecksum) {
		t.Fatalf("12 x abandon: %v", err)
	}
	if _, err := Entropy("abandon abandon"); !errors.Is(err, ErrLength) {
		t.Fatalf("2 words: %v", err)
	}
	if _, err := NewMnemonic(make([]byte, 15)); !errors.Is(err, ErrLength) {
		t.Fatalf("15 bytes: %v", err)
	}
}

// Same answers as the module it replaces, on every entropy size and many patterns.
func FuzzAgreesWithGoBIP39(f *testing.F) {
	f.Add([]byte("0123456789abcdef"))
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Fuzz(func(t *testing.T, ent []byte) {
		if n := len(ent); n < 16 || n > 32 || n%4 != 0 {
			return
		}
		want, err := gobip39.NewMnemonic(ent)
		if err != nil {
			t.Skip()
		}
		got, err := NewMnemonic(ent)
		if err != nil || got != want {
			t.Fatalf("%x: %q, go-bip39 %q", ent, got, want)
		}
		back, err := Entropy(got)
		if err != nil || !bytes.Equal(back, ent) {
			t.Fatalf("%x: back %x %v", ent, back, err)
		}
	})
}

// Entropy reads any text as go-bip39 does: the same words accepted, the same entropy out.
func FuzzEntropyAgreesWithGoBIP39(f *testing.F) {
	f.Add("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")
	f.Add("legal winner thank year wave sausage worth useful legal winner thank yellow")
	f.Add("abandon abandon")
	f.Fuzz(func(t *testing.T, m string) {
		got, err := Entropy(m)
		want, werr := gobip39.EntropyFromMnemonic(m)
		// go-bip39 splits on single spaces only; compare where the text is in that form.
		if strings.Join(strings.Fields(m), " ") != m {
			return
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: err %v, go-bip39 %v", m, err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("%q: %x, go-bip39 %x", m, got, want)
		}
	})
}
