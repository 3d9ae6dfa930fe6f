package slip39

import (
	"bytes"
	"crypto/rand"
	"testing"

	"pgregory.net/rapid"
)

// slowMul is GF(256) multiplication written the textbook way, as a reference for gfMul.
func slowMul(a, b byte) byte {
	var p uint16
	for i := range 8 {
		if b&(1<<i) != 0 {
			p ^= uint16(a) << i
		}
	}
	for i := 15; i >= 8; i-- {
		if p&(1<<i) != 0 {
			p ^= 0x11b << (i - 8)
		}
	}
	return byte(p)
}

func TestGFMulAgainstReference(t *testing.T) {
	// FIPS-197 section 4.2 examples: {57}·{83} = {c1}, {57}·{13} = {fe}.
	if got := gfMul(0x57, 0x83); got != 0xc1 {
		t.Errorf("57·83 = %02x, want c1", got)
	}
	if got := gfMul(0x57, 0x13); got != 0xfe {
		t.Errorf("57·13 = %02x, want fe", got)
	}
	for a := range 256 {
		for b := range 256 {
			if got, want := gfMul(byte(a), byte(b)), slowMul(byte(a), byte(b)); got != want {
				t.Fatalf("gfMul(%02x, %02x) = %02x, want %02x", a, b, got, want)
			}
		}
	}
}

func TestGFInverse(t *testing.T) {
	for a := 1; a < 256; a++ {
		if p := gfMul(byte(a), gfInv(byte(a))); p != 1 {
			t.Fatalf("%02x · inv = %02x", a, p)
		}
	}
}

// TestSplitRecoverProperty: any threshold-sized subset of the shares recovers the secret and
// passes the digest check; one share fewer never recovers it with a valid digest.
func TestSplitRecoverProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 16).Draw(t, "n")
		threshold := rapid.IntRange(1, n).Draw(t, "threshold")
		size := 2 * rapid.IntRange(8, 32).Draw(t, "half")
		secret := rapid.SliceOfN(rapid.Byte(), size, size).Draw(t, "secret")
		shares, err := splitSecret(threshold, n, secret, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		order := rapid.Permutation(rangeInts(n)).Draw(t, "order")
		points := make([]point, threshold)
		for i := range threshold {
			points[i] = point{x: byte(order[i]), y: shares[order[i]]}
		}
		got, err := recoverSecret(threshold, points)
		if err != nil {
			t.Fatalf("recover: %v", err)
		}
		if !bytes.Equal(got, secret) {
			t.Fatalf("recovered %x, want %x", got, secret)
		}
		if threshold >= 2 {
			// With threshold-1 points the polynomial is underdetermined: the digest check
			// fails except with probability 2^-32.
			if _, err := recoverSecret(threshold, points[:threshold-1]); err == nil {
				t.Fatalf("recovered from %d of %d shares", threshold-1, threshold)
			}
		}
	})
}

func rangeInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestRS1024(t *testing.T) {
	data := []int{1, 2, 3, 1023, 0, 512, 7}
	for _, ext := range []bool{false, true} {
		sum := rs1024Checksum(ext, data)
		all := append(append([]int(nil), data...), sum[:]...)
		if !rs1024Verify(ext, all) {
			t.Fatalf("ext=%v: own checksum does not verify", ext)
		}
		if rs1024Verify(!ext, all) {
			t.Fatalf("ext=%v: checksum verifies under the other customization string", ext)
		}
		// Any single changed word is detected (the code detects up to three).
		for i := range all {
			bad := append([]int(nil), all...)
			bad[i] ^= 1 + i%1023
			if rs1024Verify(ext, bad) {
				t.Fatalf("ext=%v: change at word %d not detected", ext, i)
			}
		}
	}
}
