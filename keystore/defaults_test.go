package keystore

import (
	"path/filepath"
	"testing"
)

// TestDefaultKDFParams is the one test that pays the real cost (about a second or two):
// the defaults must be writable, readable, and within the caps they are checked against.
func TestDefaultKDFParams(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Argon2 with the default 256 MiB cost")
	}
	d := DefaultKDFParams()
	if msg := checkCost(uint64(d.Time), uint64(d.MemoryKiB), uint64(d.Threads), KDFParams{}); msg != "" {
		t.Fatalf("defaults over the cap: %s", msg)
	}
	p := filepath.Join(privateDir(t), DefaultFileName)
	if err := Create(p, []byte(testPass), bip39Meta, bip39Secret()); err != nil {
		t.Fatal(err)
	}
	info, err := ReadInfo(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.KDFParams != d {
		t.Fatalf("Create without WithKDF wrote %v, want the defaults %v", info.KDFParams, d)
	}
	s, _, err := Open(p, []byte(testPass))
	if err != nil {
		t.Fatal(err)
	}
	sameSecret(t, s, bip39Secret())
}
