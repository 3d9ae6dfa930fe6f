package keystore

import (
	"fmt"
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

// BenchmarkUnlockWorstCase measures Open at the most expensive cost a reader accepts: the
// product cap (4 GiB·pass) reached with the largest memory (1 GiB, so time 4) and one lane,
// which keeps Argon2 on one core. FORMAT.md section 9 records it. Run:
// go test -run '^$' -bench BenchmarkUnlockWorstCase -benchtime 1x -count 5 ./keystore
func BenchmarkUnlockWorstCase(b *testing.B) {
	for _, threads := range []uint8{1, 4} {
		p := KDFParams{Time: maxTimeMemory / maxMemoryKiB, MemoryKiB: maxMemoryKiB, Threads: threads}
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			dir := b.TempDir()
			if err := EnsureDir(filepath.Join(dir, "w")); err != nil {
				b.Fatal(err)
			}
			f := filepath.Join(dir, "w", DefaultFileName)
			if err := Create(f, []byte(testPass), bip39Meta, bip39Secret(), WithKDF(p)); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				s, _, err := Open(f, []byte(testPass))
				if err != nil {
					b.Fatal(err)
				}
				s.Wipe()
			}
		})
	}
}
