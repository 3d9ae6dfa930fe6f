package keystore

import (
	"path/filepath"
	"testing"
)

// BenchmarkUnlockDefault measures Open with DefaultKDFParams; FORMAT.md section 9 records
// its median. Run: go test -run '^$' -bench BenchmarkUnlockDefault -count 7 ./keystore
func BenchmarkUnlockDefault(b *testing.B) {
	dir := b.TempDir()
	if err := EnsureDir(filepath.Join(dir, "w")); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(dir, "w", DefaultFileName)
	if err := Create(p, []byte(testPass), bip39Meta, bip39Secret()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, _, err := Open(p, []byte(testPass))
		if err != nil {
			b.Fatal(err)
		}
		s.Wipe()
	}
}

// BenchmarkRejectCorrupt shows a damaged file is refused without paying for Argon2.
func BenchmarkRejectCorrupt(b *testing.B) {
	data := readFile(b, filepath.Join("..", "testdata", "keystore-v1.json"))
	data[len(data)/2] ^= 1
	for b.Loop() {
		if _, err := parse("k", data, KDFParams{}); err == nil {
			b.Fatal("accepted")
		}
	}
}
