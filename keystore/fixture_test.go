package keystore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "regenerate the frozen keystore fixtures in ../testdata (then update their pinned hashes)")

// Frozen version-1 fixtures. They were generated once with -update and cheap KDF
// parameters; they must open forever. The hashes pin the exact bytes so a stray -update
// cannot quietly replace them: changing a hash means the format changed.
var fixtures = []struct {
	file   string
	sha256 string
	meta   Meta
	secret func() *Secret
}{
	{"keystore-v1.json", "0d377b73532eb45459d87d33a31f7c121d9173535199f852a55b9b6af5392594", bip39Meta, bip39Secret},
	{"keystore-v1-seed.json", "4474f37961e99a0bfef23ce6341b7569f58545e9c3ad8e6a75d9976ac740456f", seedMeta, seedSecret},
}

func TestFrozenFixturesStillOpen(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			src := filepath.Join("..", "testdata", fx.file)
			if *update {
				p := filepath.Join(privateDir(t), fx.file)
				if err := Create(p, []byte(testPass), fx.meta, fx.secret(), WithKDF(cheap)); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(src, readFile(t, p), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data := readFile(t, src)
			sum := sha256.Sum256(data)
			if got := hex.EncodeToString(sum[:]); got != fx.sha256 {
				t.Errorf("%s has sha256 %s, pinned %s: a frozen fixture changed", src, got, fx.sha256)
			}
			// Git does not keep mode 0600, so open a private copy.
			p := filepath.Join(privateDir(t), DefaultFileName)
			writePrivate(t, p, data)
			s, info, err := Open(p, []byte(testPass))
			if err != nil {
				t.Fatal(err)
			}
			sameSecret(t, s, fx.secret())
			if info.Version != 1 || info.KDF != "argon2id" || info.Cipher != "xchacha20-poly1305" ||
				info.KDFParams != cheap || info.Network != fx.meta.Network || info.Fingerprint != fx.meta.Fingerprint {
				t.Fatalf("info %+v", info)
			}
			if got := mustParse(t, data).encode(); !bytes.Equal(got, data) {
				t.Fatal("re-encoding the fixture changes it")
			}
			_, _, err = Open(p, []byte("Correct horse battery staple"))
			wantErr(t, err, ErrWrongPassphrase)
		})
	}
}
