package keystore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func assertAbsent(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s exists after a failed call (%v)", p, err)
	}
	ents, err := os.ReadDir(filepath.Dir(p))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Fatalf("leftovers in folder: %v", ents)
	}
}

func TestCreateNeverOverwrites(t *testing.T) {
	for _, existing := range []string{"keystore", "other file"} {
		t.Run(existing, func(t *testing.T) {
			var p string
			if existing == "keystore" {
				p = newKeystore(t, seedMeta, seedSecret())
			} else {
				p = filepath.Join(privateDir(t), "k.json")
				writePrivate(t, p, []byte("precious"))
			}
			old := readFile(t, p)
			err := Create(p, []byte("other pass"), bip39Meta, bip39Secret(), WithKDF(cheap))
			wantErr(t, err, ErrExists, p)
			if !bytes.Equal(readFile(t, p), old) {
				t.Fatal("Create changed the existing file")
			}
			ents, _ := os.ReadDir(filepath.Dir(p))
			if len(ents) != 1 {
				t.Fatalf("leftovers in folder: %v", ents)
			}
		})
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	mn := func(s string) *Secret { return &Secret{Kind: KindBIP39, Mnemonic: []byte(s)} }
	tests := []struct {
		name   string
		pass   string
		meta   Meta
		secret *Secret
		frag   string
	}{
		{"empty passphrase", "", bip39Meta, bip39Secret(), "empty passphrase"},
		{"binary passphrase", "\xff\xfe\x00", bip39Meta, bip39Secret(), "the passphrase is not text (a binary file?)"},
		{"passphrase with DEL", "pass\x7f", bip39Meta, bip39Secret(), "the passphrase holds a control character"},
		{"empty network", testPass, Meta{Fingerprint: "1ddb040f"}, bip39Secret(), "network"},
		{"uppercase network", testPass, Meta{Network: "Mainnet", Fingerprint: "1ddb040f"}, bip39Secret(), "network"},
		{"network starting with digit", testPass, Meta{Network: "4net", Fingerprint: "1ddb040f"}, bip39Secret(), "network"},
		{"network with quote", testPass, Meta{Network: `main"net`, Fingerprint: "1ddb040f"}, bip39Secret(), "network"},
		{"network too long", testPass, Meta{Network: strings.Repeat("a", 33), Fingerprint: "1ddb040f"}, bip39Secret(), "network"},
		{"uppercase fingerprint", testPass, Meta{Network: "mainnet", Fingerprint: "1DDB040F"}, bip39Secret(), "fingerprint"},
		{"short fingerprint", testPass, Meta{Network: "mainnet", Fingerprint: "1ddb040"}, bip39Secret(), "fingerprint"},
		{"nil secret", testPass, bip39Meta, nil, "no secret"},
		{"unknown kind", testPass, bip39Meta, &Secret{Kind: "slip39", Seed: make([]byte, 16)}, "unknown secret kind"},
		{"bip39 with seed", testPass, bip39Meta, &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic), Seed: make([]byte, 16)}, "must not have a seed"},
		{"seed with mnemonic", testPass, bip39Meta, &Secret{Kind: KindSeed, Mnemonic: []byte(testMnemonic), Seed: make([]byte, 16)}, "must not have a mnemonic"},
		{"empty mnemonic", testPass, bip39Meta, mn(""), "empty mnemonic"},
		{"double space", testPass, bip39Meta, mn(strings.Replace(testMnemonic, " ", "  ", 1)), "single spaces"},
		{"leading space", testPass, bip39Meta, mn(" " + testMnemonic), "single spaces"},
		{"trailing newline", testPass, bip39Meta, mn(testMnemonic + "\n"), "control character"},
		{"tab separator", testPass, bip39Meta, mn(strings.Replace(testMnemonic, " ", "\t", 1)), "control character"},
		{"11 words", testPass, bip39Meta, mn(testMnemonic[:strings.LastIndex(testMnemonic, " ")]), "11 words"},
		{"invalid UTF-8 mnemonic", testPass, bip39Meta, mn(testMnemonic[:len(testMnemonic)-1] + "\xff"), "UTF-8"},
		{"mnemonic too long", testPass, bip39Meta, mn(strings.TrimSpace(strings.Repeat(strings.Repeat("x", 85)+" ", 12))), "exceeds"},
		{"seed of 15 bytes", testPass, seedMeta, &Secret{Kind: KindSeed, Seed: make([]byte, 15)}, "seed of 15 bytes"},
		{"seed of 65 bytes", testPass, seedMeta, &Secret{Kind: KindSeed, Seed: make([]byte, 65)}, "seed of 65 bytes"},
		{"passphrase too long", testPass, seedMeta, &Secret{Kind: KindSeed, Seed: make([]byte, 16), BIP39Passphrase: make([]byte, 1025)}, "exceeds"},
		{"passphrase not UTF-8", testPass, seedMeta, &Secret{Kind: KindSeed, Seed: make([]byte, 16), BIP39Passphrase: []byte{0xc0}}, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(privateDir(t), "k.json")
			err := Create(p, []byte(tt.pass), tt.meta, tt.secret, WithKDF(cheap))
			wantErr(t, err, ErrInvalidInput, tt.frag, p)
			if tt.secret != nil && len(tt.secret.Mnemonic) > 0 && strings.Contains(err.Error(), "winner") {
				t.Fatal("error quotes the mnemonic")
			}
			assertAbsent(t, p)
		})
	}
}

func TestCreateNeedsExistingFolder(t *testing.T) {
	p := filepath.Join(privateDir(t), "missing", "k.json")
	err := Create(p, []byte(testPass), bip39Meta, bip39Secret(), WithKDF(cheap))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), p) {
		t.Fatalf("got %v, want fs.ErrNotExist naming %s", err, p)
	}
}
