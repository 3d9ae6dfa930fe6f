package keystore

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	words24 := strings.TrimSpace(strings.Repeat("zoo ", 23) + "vote")
	tests := []struct {
		name   string
		meta   Meta
		secret *Secret
	}{
		{"bip39 with passphrase", bip39Meta, bip39Secret()},
		{"bip39 without passphrase", bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic)}},
		{"bip39 24 words", bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(words24)}},
		{"bip39 non-ASCII passphrase", bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic), BIP39Passphrase: []byte("пароль ünïcödé 🔑")}},
		{"bip39 longest passphrase", bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic), BIP39Passphrase: bytes.Repeat([]byte("p"), maxPassphraseLen)}},
		{"seed without passphrase", seedMeta, seedSecret()},
		{"seed with passphrase", seedMeta, &Secret{Kind: KindSeed, Seed: bytes.Repeat([]byte{0xab}, 32), BIP39Passphrase: []byte("TREZOR")}},
		{"seed of 64 bytes", seedMeta, &Secret{Kind: KindSeed, Seed: bytes.Repeat([]byte{0xff}, maxSeedLen)}},
		{"network with digits", Meta{Network: "testnet4", Fingerprint: "00000000"}, seedSecret()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now().UTC().Truncate(time.Second)
			p := newKeystore(t, tt.meta, tt.secret)
			after := time.Now().UTC()

			got, info, err := Open(p, []byte(testPass))
			if err != nil {
				t.Fatal(err)
			}
			sameSecret(t, got, tt.secret)
			want := Info{Version: 1, KDF: "argon2id", KDFParams: cheap, Cipher: "xchacha20-poly1305",
				Network: tt.meta.Network, Fingerprint: tt.meta.Fingerprint, Created: info.Created}
			if info != want {
				t.Fatalf("info %+v, want %+v", info, want)
			}
			if info.Created.Before(before) || info.Created.After(after) || info.Created.Location() != time.UTC {
				t.Fatalf("created %v, want UTC between %v and %v", info.Created, before, after)
			}
			ri, err := ReadInfo(p)
			if err != nil {
				t.Fatal(err)
			}
			if ri != info {
				t.Fatalf("ReadInfo %+v, Open's info %+v", ri, info)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v, want 0600", st.Mode().Perm())
			}
			if strings.Contains(string(readFile(t, p)), "legal") {
				t.Fatal("mnemonic in clear on disk")
			}
			ents, _ := os.ReadDir(filepath.Dir(p))
			if len(ents) != 1 {
				t.Fatalf("folder holds %d entries, want only the keystore", len(ents))
			}
		})
	}
}

func TestReparseIsByteExact(t *testing.T) {
	data := readFile(t, newKeystore(t, bip39Meta, bip39Secret()))
	if got := mustParse(t, data).encode(); !bytes.Equal(got, data) {
		t.Fatalf("re-encoding differs:\n%s\nwant\n%s", got, data)
	}
}

func TestPaddingHidesMnemonicLength(t *testing.T) {
	m24 := strings.TrimSpace(strings.Repeat("abandon ", 23) + "art")
	a := readFile(t, newKeystore(t, bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic)}))
	b := readFile(t, newKeystore(t, bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(m24)}))
	if len(a) != len(b) {
		t.Fatalf("12-word file %d bytes, 24-word file %d bytes", len(a), len(b))
	}
}

func TestFreshRandomnessPerFile(t *testing.T) {
	a := mustParse(t, readFile(t, newKeystore(t, bip39Meta, bip39Secret())))
	b := mustParse(t, readFile(t, newKeystore(t, bip39Meta, bip39Secret())))
	if bytes.Equal(a.salt, b.salt) || bytes.Equal(a.wrappedKey[:nonceLen], b.wrappedKey[:nonceLen]) ||
		bytes.Equal(a.payload, b.payload) {
		t.Fatal("two keystores share a salt, nonce or ciphertext")
	}
}

func TestWrongPassphraseChangesNothing(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	old := readFile(t, p)
	st0, _ := os.Stat(p)
	for _, pass := range []string{"", "correct horse battery stapl", "Correct horse battery staple", testPass + " "} {
		_, _, err := Open(p, []byte(pass))
		wantErr(t, err, ErrWrongPassphrase, "wrong passphrase, or the keystore file "+p+" was modified")
	}
	st1, _ := os.Stat(p)
	if !bytes.Equal(readFile(t, p), old) || !st1.ModTime().Equal(st0.ModTime()) || st1.Mode() != st0.Mode() {
		t.Fatal("a failed unlock changed the file")
	}
}

func TestWipeZeroesEverySlice(t *testing.T) {
	s := bip39Secret()
	s.Seed = []byte{1, 2, 3}
	m, sd, pp := s.Mnemonic, s.Seed, s.BIP39Passphrase
	s.Wipe()
	for _, b := range [][]byte{m, sd, pp} {
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Fatalf("%v not wiped", b)
		}
	}
	var nilSecret *Secret
	nilSecret.Wipe() // must not panic
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"/home/u/.satchel/keystore.json": "/home/u/.satchel/keystore.json",
		"/tmp/my wallet/keystore.json":   "'/tmp/my wallet/keystore.json'",
		"/tmp/it's/k":                    `'/tmp/it'\''s/k'`,
		"/tmp/$HOME":                     "'/tmp/$HOME'",
		"":                               "''",
	}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
