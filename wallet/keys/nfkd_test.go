package keys

import (
	"encoding/hex"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"golang.org/x/text/unicode/norm"
)

// fingerprintOf is the master fingerprint the words and passphrase give, as wallets show it.
func fingerprintOf(t *testing.T, mnemonic, passphrase string) string {
	t.Helper()
	m, err := Master(SeedFromMnemonic([]byte(mnemonic), []byte(passphrase)), &chaincfg.MainNetParams)
	if err != nil {
		t.Fatal(err)
	}
	return FormatFingerprint(Fingerprint(m))
}

// TestPassphraseFormsGiveOneWallet guards issue 14's finding: é typed precomposed (U+00E9) gave
// fingerprint bce5986c, while other BIP39 wallets (and the decomposed form) give ea49649a.
func TestPassphraseFormsGiveOneWallet(t *testing.T) {
	const precomposed, decomposed = "\u00e9", "e\u0301"
	if got := fingerprintOf(t, abandon, precomposed); got != "ea49649a" {
		t.Errorf("precomposed é: fingerprint %s, want ea49649a (what other BIP39 wallets give)", got)
	}
	if got := fingerprintOf(t, abandon, decomposed); got != "ea49649a" {
		t.Errorf("decomposed é: fingerprint %s, want ea49649a", got)
	}
	m, err := Master(SeedFromMnemonicUnnormalised([]byte(abandon), []byte(precomposed)), &chaincfg.MainNetParams)
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatFingerprint(Fingerprint(m)); got != "bce5986c" {
		t.Errorf("unnormalised precomposed é: fingerprint %s, want bce5986c (the wallet satchel made before NFKD)", got)
	}
}

// TestPassphraseCompatibilityForms: NFKD (not NFD) folds compatibility characters, so a ligature
// or a fullwidth letter is the same passphrase as its plain spelling.
func TestPassphraseCompatibilityForms(t *testing.T) {
	for _, tt := range []struct{ name, typed, plain string }{
		{"fi ligature", "\ufb01sh", "fish"},
		{"fullwidth letters", "\uff34\uff32\uff25\uff3a\uff2f\uff32", "TREZOR"},
		{"fullwidth digits", "\uff11\uff12\uff13", "123"},
		{"ideographic space", "a\u3000b", "a b"},
		{"superscript two", "x\u00b2", "x2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := fingerprintOf(t, abandon, tt.typed), fingerprintOf(t, abandon, tt.plain); a != b {
				t.Errorf("%q gives %s, %q gives %s; want one wallet", tt.typed, a, tt.plain, b)
			}
			if !NFKDChanges([]byte(tt.typed)) {
				t.Errorf("NFKDChanges(%q) = false", tt.typed)
			}
		})
	}
	if NFKDChanges([]byte("TREZOR")) || NFKDChanges([]byte("e\u0301")) {
		t.Error("NFKDChanges reports a change for a passphrase already in NFKD")
	}
}

// TestSeedEveryLanguage runs the seed function on every language of the shared BIP39 vectors.
// Satchel takes English words only, but the derivation must be the standard's: the Japanese
// vectors join words with U+3000 and use composed kana, and match only after NFKD.
func TestSeedEveryLanguage(t *testing.T) {
	var v map[string][][4]string
	readJSON(t, "bip39-vectors.json", &v)
	if len(v) < 10 {
		t.Fatalf("want every language of the vectors, have %d", len(v))
	}
	for lang, rows := range v {
		if len(rows) == 0 {
			t.Errorf("%s: no vectors", lang)
		}
		for _, row := range rows {
			mnemonic, seedHex, xprv := row[1], row[2], row[3]
			seed := SeedFromMnemonic([]byte(mnemonic), []byte("TREZOR"))
			if got := hex.EncodeToString(seed); got != seedHex {
				t.Errorf("%s: seed for %q = %s, want %s", lang, mnemonic, got, seedHex)
				continue
			}
			m, err := Master(seed, &chaincfg.MainNetParams)
			if err != nil || m.String() != xprv {
				t.Errorf("%s: master for %q = %v, %v; want %s", lang, mnemonic, m, err, xprv)
			}
		}
	}
}

// TestJapaneseNeedsNFKD shows the vectors really exercise normalisation: at least one Japanese
// vector gives another seed without it, so TestSeedEveryLanguage cannot pass on raw bytes.
func TestJapaneseNeedsNFKD(t *testing.T) {
	var v map[string][][4]string
	readJSON(t, "bip39-vectors.json", &v)
	differs := 0
	for _, row := range v["japanese"] {
		if hex.EncodeToString(SeedFromMnemonicUnnormalised([]byte(row[1]), []byte("TREZOR"))) != row[2] {
			differs++
		}
	}
	if differs == 0 {
		t.Error("every Japanese vector matches without NFKD; the test would not catch a missing normalisation")
	}
}

// FuzzSeedNormalForms: a passphrase and its NFC, NFD and NFKC forms are one wallet.
func FuzzSeedNormalForms(f *testing.F) {
	f.Add("\u00e9")
	f.Add("\ufb01")
	f.Add("\uff34\u3000x")
	f.Fuzz(func(t *testing.T, s string) {
		want := SeedFromMnemonic([]byte(abandon), []byte(s))
		for _, form := range []string{norm.NFC.String(s), norm.NFD.String(s), norm.NFKC.String(s)} {
			if got := SeedFromMnemonic([]byte(abandon), []byte(form)); string(got) != string(want) {
				t.Fatalf("passphrase %q and its form %q give two seeds", s, form)
			}
		}
	})
}
