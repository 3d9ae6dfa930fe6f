package ur

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
)

// xoshiro is the Xoshiro256** generator the multipart spec (BCR-2024-001) fixes, so that the
// encoder and every decoder draw the same numbers: its state is the SHA-256 of a seed, read
// as four big-endian 64-bit words.
type xoshiro struct{ s [4]uint64 }

func newXoshiro(seed []byte) *xoshiro {
	d := sha256.Sum256(seed)
	var x xoshiro
	for i := range x.s {
		x.s[i] = binary.BigEndian.Uint64(d[i*8:])
	}
	return &x
}

func (x *xoshiro) next() uint64 {
	s := &x.s
	result := bits.RotateLeft64(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return result
}

// nextDouble is in [0, 1): the float64 conversion rounds as IEEE-754 says, as the spec requires
// of every implementation, so results agree across platforms.
func (x *xoshiro) nextDouble() float64 {
	return float64(x.next()) / (float64(^uint64(0)) + 1)
}

// nextInt is in [low, high], both included.
func (x *xoshiro) nextInt(low, high int) int {
	return int(x.nextDouble()*float64(high-low+1)) + low
}

func (x *xoshiro) nextData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(x.nextInt(0, 255))
	}
	return b
}
