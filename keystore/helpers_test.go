package keystore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cheap is the smallest Argon2 cost, so tests spend microseconds per unlock.
var cheap = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

const (
	testPass     = "correct horse battery staple"
	testMnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow"
)

// Fingerprints computed once with btcd's hdkeychain: "legal winner … yellow" with BIP39
// passphrase "TREZOR" (seed 2e8905…f607), and BIP32 test vector 1 (seed 000102…0f).
var (
	bip39Meta = Meta{Network: "mainnet", Fingerprint: "1ddb040f"}
	seedMeta  = Meta{Network: "regtest", Fingerprint: "3442193e"}
)

func bip39Secret() *Secret {
	return &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic), BIP39Passphrase: []byte("TREZOR")}
}

func seedSecret() *Secret {
	return &Secret{Kind: KindSeed, Seed: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}}
}

// withDerive swaps the KDF, so tests can count or sabotage key derivations.
func withDerive(f func(pass, salt []byte, p KDFParams) []byte) Option {
	return func(c *config) { c.derive = f }
}

// privateDir is a fresh folder with mode 0700 (t.TempDir follows the umask).
func privateDir(t testing.TB) string {
	t.Helper()
	d := t.TempDir()
	if err := os.Chmod(d, 0o700); err != nil {
		t.Fatal(err)
	}
	return d
}

// newKeystore creates a cheap keystore in a fresh private folder and returns its path.
func newKeystore(t testing.TB, meta Meta, s *Secret) string {
	t.Helper()
	p := filepath.Join(privateDir(t), DefaultFileName)
	if err := Create(p, []byte(testPass), meta, s, WithKDF(cheap)); err != nil {
		t.Fatalf("Create: %v", err)
	}
	return p
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writePrivate writes data as a 0600 file (exactly, regardless of umask).
func writePrivate(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err matches class and mentions every fragment.
func wantErr(t testing.TB, err, class error, fragments ...string) {
	t.Helper()
	if !errors.Is(err, class) {
		t.Fatalf("error %v, want %v", err, class)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Fatalf("error %q does not mention %q", err, f)
		}
	}
}

// sameSecret fails unless got holds exactly want's fields.
func sameSecret(t testing.TB, got, want *Secret) {
	t.Helper()
	if got.Kind != want.Kind || !bytes.Equal(got.Mnemonic, want.Mnemonic) ||
		!bytes.Equal(got.Seed, want.Seed) || !bytes.Equal(got.BIP39Passphrase, want.BIP39Passphrase) {
		t.Fatalf("secret %+v, want %+v", got, want)
	}
}

// mustParse parses data as a keystore or fails the test.
func mustParse(t testing.TB, data []byte) *file {
	t.Helper()
	f, err := parse("test", data, KDFParams{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// resum recomputes the checksum of edited canonical-looking data, so an edit reaches the
// checks behind the checksum. Data without a checksum line is returned as is.
func resum(data []byte) []byte {
	i := bytes.LastIndex(data, []byte(checksumPrefix))
	if i < 0 || len(data) < i+len(checksumPrefix)+64 {
		return data
	}
	out := append([]byte(nil), data...)
	h := sumHex(out[:i])
	copy(out[i+len(checksumPrefix):], h)
	return out
}
