package bbqr

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestRealScan joins the reference implementation's recorded scan (Coinkite's BBQr
// test_data/real-scan.txt: 26 lines, Z encoding, a text file), as its own test does.
func TestRealScan(t *testing.T) {
	b, err := os.ReadFile("testdata/real-scan.txt")
	if err != nil {
		t.Fatal(err)
	}
	j := NewJoiner(1 << 20)
	for _, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := j.Add(line); err != nil {
			t.Fatal(err)
		}
	}
	data, err := j.Result()
	if err != nil {
		t.Fatal(err)
	}
	if j.FileType() != 'U' || !bytes.Contains(data, []byte("Zlib compressed")) || !bytes.Contains(data, []byte("PSBT")) {
		t.Fatalf("type %c, %d bytes: %.80q", j.FileType(), len(data), data)
	}
}

// TestSplitJoin: every size and part length splits into parts within the limit, equal but
// for the last, with the right header, and joins back in any order.
func TestSplitJoin(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{1, 4, 5, 6, 99, 1000, 2679, 2680, 5000, 33333} {
		for _, maxChars := range []int{16, 100, 468, 2132, 4296} {
			data := make([]byte, size)
			for i := range data {
				data[i] = byte(rng.Uint32())
			}
			parts, err := Split(data, FilePSBT, maxChars)
			if errors.Is(err, ErrTooLarge) && size/5*8/(maxChars-8) > MaxParts-2 {
				continue
			}
			if err != nil {
				t.Fatalf("size %d, max %d: %v", size, maxChars, err)
			}
			for i, p := range parts {
				if len(p) > maxChars || p[:4] != "B$2P" || p[4:6] != base36(len(parts)) || p[6:8] != base36(i) {
					t.Fatalf("size %d, max %d: part %d is %.20s... (%d chars)", size, maxChars, i, p, len(p))
				}
				if i < len(parts)-1 && len(p) != len(parts[0]) {
					t.Fatalf("size %d, max %d: part %d has %d chars, the first %d", size, maxChars, i, len(p), len(parts[0]))
				}
			}
			rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
			j := NewJoiner(1 << 20)
			for _, p := range parts {
				if err := j.Add(strings.ToLower(p)); err != nil {
					t.Fatal(err)
				}
			}
			got, err := j.Result()
			if err != nil || !bytes.Equal(got, data) || j.FileType() != FilePSBT {
				t.Fatalf("size %d, max %d: joined %d bytes, %v", size, maxChars, len(got), err)
			}
		}
	}
}

// TestSplitOneFrame: a PSBT that fits one version-40 QR code is one part, B$2P0100.
func TestSplitOneFrame(t *testing.T) {
	parts, err := Split(bytes.Repeat([]byte{0x70}, 2679), FilePSBT, 4296)
	if err != nil || len(parts) != 1 || !strings.HasPrefix(parts[0], "B$2P0100") || len(parts[0]) != 8+4287 { // 2,679 bytes are 4,287 base32 letters
		t.Fatalf("%d parts, %v", len(parts), err)
	}
}

func TestJoinRefuses(t *testing.T) {
	parts, err := Split(bytes.Repeat([]byte("psbt"), 100), FilePSBT, 200)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := Split(bytes.Repeat([]byte("txn!"), 100), FileTxn, 200)
	cases := []struct {
		name   string
		before []string
		part   string
		want   error
	}{
		{"no header", nil, "UR:CRYPTO-PSBT/AEAE", ErrInvalid},
		{"short", nil, "B$2P01", ErrInvalid},
		{"bad encoding", nil, "B$XP0100AAAA", ErrInvalid},
		{"index past total", nil, "B$2P0203AAAAAAAA", ErrInvalid},
		{"zero parts", nil, "B$2P0000AAAAAAAA", ErrInvalid},
		{"not base32", nil, "B$2P0100A1A1A1A1", ErrInvalid},
		{"odd hex", nil, "B$HP0100ABC", ErrInvalid},
		{"other file", []string{parts[0]}, other[1], ErrMismatch},
		{"same index, other content", []string{parts[0]}, parts[0][:len(parts[0])-8] + "AAAAAAAA", ErrMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := NewJoiner(1 << 20)
			for _, p := range c.before {
				if err := j.Add(p); err != nil {
					t.Fatal(err)
				}
			}
			got, total := j.Progress()
			if err := j.Add(c.part); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if g, tt := j.Progress(); g != got || tt != total {
				t.Fatal("a refused part changed the joiner")
			}
		})
	}
	j := NewJoiner(1 << 20)
	j.Add(parts[0])
	if _, err := j.Result(); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Result = %v", err)
	}
	j = NewJoiner(100)
	for _, p := range parts {
		j.Add(p)
	}
	if _, err := j.Result(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Result over MaxLen = %v", err)
	}
}

// FuzzJoin: arbitrary parts never panic the joiner, and a completed join of accepted parts
// yields a result or an error, within the bound.
func FuzzJoin(f *testing.F) {
	parts, _ := Split([]byte("psbt\xff some bytes of a file to split"), FilePSBT, 24)
	f.Add(parts[0], parts[1])
	f.Add("B$HP0100DEADBEEF", "B$ZU0100ABCDEFGH")
	b, _ := os.ReadFile("testdata/real-scan.txt")
	lines := strings.Fields(string(b))
	f.Add(lines[0], lines[1])
	f.Fuzz(func(t *testing.T, a, b string) {
		j := NewJoiner(1 << 16)
		_ = j.Add(a)
		_ = j.Add(b)
		if j.Complete() {
			if got, err := j.Result(); err == nil && len(got) > 1<<16 {
				t.Fatalf("%d bytes past the bound", len(got))
			}
		}
	})
}
