package keystore

import (
	"fmt"
	"path/filepath"
	"testing"
)

// costlyFile is a well-formed keystore (valid checksum) whose KDF numbers are set to
// cost; its crypto fields are junk, since it must be refused before any derivation.
func costlyFile(t *testing.T, cost [3]uint64) []byte {
	t.Helper()
	f := mustParse(t, readFile(t, newKeystore(t, bip39Meta, bip39Secret())))
	f.cost = cost
	return f.seal()
}

func TestCostCapRefusedBeforeKDF(t *testing.T) {
	tests := []struct {
		name string
		cost [3]uint64 // time, memory KiB, threads
		frag string
	}{
		{"memory 4 GiB", [3]uint64{1, 4 << 20, 1}, "memory 4194304 KiB exceeds"},
		{"memory just over 1 GiB", [3]uint64{1, 1<<20 + 4, 1}, "exceeds the limit 1048576"},
		{"time 21", [3]uint64{21, 64, 1}, "time 21 exceeds"},
		{"threads 17", [3]uint64{1, 1088, 17}, "threads 17 exceeds"},
		{"time × memory over 4 GiB·pass", [3]uint64{5, 1 << 20, 4}, "time × memory"},
		{"absurd time", [3]uint64{1 << 63, 64, 1}, "exceeds"},
		{"absurd memory", [3]uint64{1, 1<<64 - 1, 1}, "exceeds"},
	}
	dir := privateDir(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "k.json")
			writePrivate(t, p, costlyFile(t, tt.cost))
			calls := 0
			count := withDerive(func(pass, salt []byte, p KDFParams) []byte {
				calls++
				return make([]byte, keyLen)
			})
			_, _, err := Open(p, []byte(testPass), count)
			wantErr(t, err, ErrCostTooHigh, tt.frag, p)
			_, err = ReadInfo(p)
			wantErr(t, err, ErrCostTooHigh, tt.frag)
			err = ChangePassphrase(p, []byte(testPass), []byte("new"), count)
			wantErr(t, err, ErrCostTooHigh, tt.frag)
			if calls != 0 {
				t.Fatalf("the KDF ran %d times", calls)
			}
		})
	}
}

func TestCostAtTheCapsIsAccepted(t *testing.T) {
	for _, c := range [][3]uint64{{20, 8192, 16}, {4, 1 << 20, 16}, {1, 64, 1}} {
		data := costlyFile(t, c)
		if _, err := parse("k", data, KDFParams{}); err != nil {
			t.Errorf("cost %v: %v", c, err)
		}
	}
}

func TestCostBelowArgon2MinimumIsCorrupt(t *testing.T) {
	for _, c := range [][3]uint64{{0, 64, 1}, {1, 64, 0}, {1, 4, 1}, {1, 66, 1}, {1, 24, 4}} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			_, err := parse("k", costlyFile(t, c), KDFParams{})
			wantErr(t, err, ErrCorrupt)
		})
	}
}

func TestWithCostLimitLowersTheCap(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	_, _, err := Open(p, []byte(testPass), WithCostLimit(KDFParams{MemoryKiB: 32}))
	wantErr(t, err, ErrCostTooHigh, "memory 64 KiB exceeds the limit 32")
	// It can never raise the cap.
	if got := clampLimit(KDFParams{Time: 1000, MemoryKiB: 1 << 30, Threads: 255}); got != MaxKDFParams() {
		t.Fatalf("clamped limit %v, want %v", got, MaxKDFParams())
	}
	if _, _, err := Open(p, []byte(testPass), WithCostLimit(KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})); err != nil {
		t.Fatalf("limit equal to the cost: %v", err)
	}
}

func TestCreateRefusesParamsOutsideLimits(t *testing.T) {
	tests := []struct {
		name  string
		p     KDFParams
		class error
	}{
		{"memory 4 GiB", KDFParams{Time: 1, MemoryKiB: 4 << 20, Threads: 1}, ErrCostTooHigh},
		{"time 21", KDFParams{Time: 21, MemoryKiB: 64, Threads: 1}, ErrCostTooHigh},
		{"threads 17", KDFParams{Time: 1, MemoryKiB: 1088, Threads: 17}, ErrCostTooHigh},
		{"time 0", KDFParams{Time: 0, MemoryKiB: 64, Threads: 1}, ErrInvalidInput},
		{"threads 0", KDFParams{Time: 1, MemoryKiB: 64, Threads: 0}, ErrInvalidInput},
		{"memory below 8 × threads", KDFParams{Time: 1, MemoryKiB: 16, Threads: 4}, ErrInvalidInput},
		{"memory not a multiple of 4 × threads", KDFParams{Time: 1, MemoryKiB: 100, Threads: 3}, ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(privateDir(t), "k.json")
			err := Create(p, []byte(testPass), bip39Meta, bip39Secret(), WithKDF(tt.p))
			wantErr(t, err, tt.class, p)
			assertAbsent(t, p)
		})
	}
}
