package ur

import (
	"encoding/binary"
	"hash/crc32"
	"sort"
)

// fountainPart is one part of a multipart message, as its CBOR header carries it:
// [seqNum, seqLen, messageLen, checksum, data].
type fountainPart struct {
	seqNum     uint32
	seqLen     int
	messageLen int
	checksum   uint32
	data       []byte
}

// minFragmentLen is the smallest fragment the encoder cuts, as in the reference implementations.
const minFragmentLen = 10

// fragmentLength is the smallest fragment length, no longer than maxLen, that cuts the message
// into as few equal fragments as it can (BCR-2024-001's nominal fragment length).
func fragmentLength(messageLen, minLen, maxLen int) int {
	if maxLen < minLen {
		maxLen = minLen
	}
	maxCount := messageLen / minLen
	if maxCount < 1 {
		maxCount = 1
	}
	n := messageLen
	for count := 1; count <= maxCount; count++ {
		n = (messageLen + count - 1) / count
		if n <= maxLen {
			break
		}
	}
	return n
}

// partition cuts message into fragments of n bytes, the last one padded with zeros.
func partition(message []byte, n int) [][]byte {
	var out [][]byte
	for len(message) > 0 {
		f := make([]byte, n)
		k := copy(f, message)
		message = message[k:]
		out = append(out, f)
	}
	return out
}

// chooser says which fragments part seqNum mixes, the same answer on both ends.
type chooser struct {
	seqLen   int
	checksum uint32
	degrees  *sampler
	indexes  []int
}

func newChooser(seqLen int, checksum uint32) *chooser {
	c := &chooser{seqLen: seqLen, checksum: checksum, degrees: newDegreeSampler(seqLen), indexes: make([]int, seqLen)}
	for i := range c.indexes {
		c.indexes[i] = i
	}
	return c
}

// choose returns the sorted fragment indexes of part seqNum: fragment seqNum-1 alone for the
// first seqLen parts, then a degree drawn from the 1/d weights and that many distinct
// fragments, from a generator seeded with seqNum and the checksum (big-endian, 8 bytes).
func (c *chooser) choose(seqNum uint32) []int {
	if seqNum >= 1 && int64(seqNum) <= int64(c.seqLen) {
		return []int{int(seqNum) - 1}
	}
	var seed [8]byte
	binary.BigEndian.PutUint32(seed[:4], seqNum)
	binary.BigEndian.PutUint32(seed[4:], c.checksum)
	x := newXoshiro(seed[:])
	degree := c.degrees.next(x) + 1
	out := shuffledPrefix(c.indexes, x, degree)
	sort.Ints(out)
	return out
}

// fountainEncoder makes the endless stream of parts of one message.
type fountainEncoder struct {
	messageLen int
	checksum   uint32
	fragLen    int
	fragments  [][]byte
	seqNum     uint32
	chooser    *chooser
}

func newFountainEncoder(message []byte, maxFragmentLen int) *fountainEncoder {
	n := fragmentLength(len(message), minFragmentLen, maxFragmentLen)
	frags := partition(message, n)
	sum := crc32.ChecksumIEEE(message)
	return &fountainEncoder{messageLen: len(message), checksum: sum, fragLen: n, fragments: frags,
		chooser: newChooser(len(frags), sum)}
}

func (e *fountainEncoder) seqLen() int { return len(e.fragments) }

// nextPart makes the next part: the sequence number goes up by one (wrapping at 2^32, as the
// spec says), and the chosen fragments are XORed together.
func (e *fountainEncoder) nextPart() fountainPart {
	e.seqNum++
	idx := e.chooser.choose(e.seqNum)
	data := make([]byte, e.fragLen)
	for _, i := range idx {
		xorInto(data, e.fragments[i])
	}
	return fountainPart{seqNum: e.seqNum, seqLen: len(e.fragments), messageLen: e.messageLen, checksum: e.checksum, data: data}
}

func xorInto(dst, src []byte) {
	for i := range dst {
		dst[i] ^= src[i]
	}
}
