package slip39

import (
	"fmt"
	"strings"

	"github.com/satchel-wallet/satchel/internal/bip39"
)

// Sizes of a share in 10-bit words.
const (
	radixBits     = 10
	headerWords   = 4 // identifier 15, ext 1, exponent 4, group index, threshold, count, member index, threshold 4 each
	checksumWords = 3
	// minSecretBytes is the 128-bit minimum the specification sets for a master secret.
	minSecretBytes = 16
	// minWords is a share of a 16-byte secret: 4 + 13 + 3.
	minWords = headerWords + (minSecretBytes*8+radixBits-1)/radixBits + checksumWords
	// maxShares is the 4-bit limit on group and member counts and thresholds.
	maxShares = 16
	// maxIdentifier is the largest 15-bit identifier.
	maxIdentifier = 1<<15 - 1
)

// Share is one decoded SLIP-0039 mnemonic. Indices are the specification's x values (0-based,
// as stored); thresholds and counts are the real numbers (1-based), not their stored value
// minus one.
type Share struct {
	// Identifier is the random 15-bit value all shares of one backup carry.
	Identifier uint16
	// Extendable says the identifier does not salt the encryption, so further share sets with
	// other identifiers can be made for the same encrypted secret.
	Extendable bool
	// IterationExponent e sets 10000 x 2^e PBKDF2 iterations in total (0..15).
	IterationExponent int
	// GroupIndex is the group's x value, 0..GroupCount-1.
	GroupIndex int
	// GroupThreshold is how many groups recover the secret, 1..GroupCount.
	GroupThreshold int
	// GroupCount is how many groups the backup has, 1..16.
	GroupCount int
	// MemberIndex is the share's x value within its group, 0..15.
	MemberIndex int
	// MemberThreshold is how many shares of this group recover the group's share, 1..16.
	MemberThreshold int
	// Value is the share value, as long as the master secret.
	Value []byte
}

// ParseShare decodes one mnemonic share and verifies its checksum. Words may be in any case,
// separated by any whitespace, and shortened to a unique prefix of at least four letters.
// An unknown word gives a *WordError with its position; BIP39 seed words give ErrSeedWords;
// the other failures match ErrShareLength, ErrBadChecksum, ErrBadPadding or ErrInvalidShare.
func ParseShare(mnemonic string) (*Share, error) {
	fields := strings.Fields(mnemonic)
	if seedWords(fields) {
		// Otherwise refused at the first word the two lists do not share, as if misspelt.
		return nil, ErrSeedWords
	}
	words := make([]int, len(fields))
	for i, f := range fields {
		v, ok := lookupWord(f)
		if !ok {
			return nil, &WordError{Position: i + 1, Word: strings.ToLower(f)}
		}
		words[i] = v
	}
	if len(words) < minWords {
		return nil, fmt.Errorf("%w: a share has at least %d words, this one has %d",
			ErrShareLength, minWords, len(words))
	}
	valueBits := (len(words) - headerWords - checksumWords) * radixBits
	padding := valueBits % 16
	if padding > 8 {
		return nil, fmt.Errorf("%w: %d words do not encode a whole, even number of bytes "+
			"(shares of 128-bit secrets have 20 words, of 256-bit secrets 33)", ErrShareLength, len(words))
	}

	br := bitReader{words: words}
	s := &Share{Identifier: uint16(br.read(15))}
	s.Extendable = br.read(1) == 1
	if !rs1024Verify(s.Extendable, words) {
		return nil, ErrBadChecksum
	}
	s.IterationExponent = br.read(4)
	s.GroupIndex = br.read(4)
	s.GroupThreshold = br.read(4) + 1
	s.GroupCount = br.read(4) + 1
	s.MemberIndex = br.read(4)
	s.MemberThreshold = br.read(4) + 1
	if br.read(padding) != 0 {
		return nil, fmt.Errorf("%w: the %d bits before the share value must be zero", ErrBadPadding, padding)
	}
	s.Value = make([]byte, (valueBits-padding)/8)
	for i := range s.Value {
		s.Value[i] = byte(br.read(8))
	}
	if s.GroupThreshold > s.GroupCount {
		return nil, fmt.Errorf("%w: group threshold %d is more than the group count %d",
			ErrInvalidShare, s.GroupThreshold, s.GroupCount)
	}
	if s.GroupIndex >= s.GroupCount {
		return nil, fmt.Errorf("%w: group %d of a backup with %d groups",
			ErrInvalidShare, s.GroupIndex+1, s.GroupCount)
	}
	return s, nil
}

// Encode writes the share as its mnemonic: lowercase full words joined by single spaces, with
// the checksum. It is the inverse of ParseShare; Split writes every share with it.
func (s *Share) Encode() (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	var bw bitWriter
	bw.write(int(s.Identifier), 15)
	ext := 0
	if s.Extendable {
		ext = 1
	}
	bw.write(ext, 1)
	bw.write(s.IterationExponent, 4)
	bw.write(s.GroupIndex, 4)
	bw.write(s.GroupThreshold-1, 4)
	bw.write(s.GroupCount-1, 4)
	bw.write(s.MemberIndex, 4)
	bw.write(s.MemberThreshold-1, 4)
	valueWords := (len(s.Value)*8 + radixBits - 1) / radixBits
	bw.write(0, valueWords*radixBits-len(s.Value)*8)
	for _, b := range s.Value {
		bw.write(int(b), 8)
	}
	data := bw.words
	sum := rs1024Checksum(s.Extendable, data)
	all := append(data, sum[:]...)
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = Word(v)
	}
	return strings.Join(out, " "), nil
}

// check enforces the field ranges a share can encode.
func (s *Share) check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("encode share: %w: "+format, append([]any{ErrInvalidShare}, a...)...)
	}
	switch {
	case s.Identifier > maxIdentifier:
		return bad("identifier %d does not fit 15 bits", s.Identifier)
	case s.IterationExponent < 0 || s.IterationExponent > maxIterationExponent:
		return bad("iteration exponent %d is not 0..15", s.IterationExponent)
	case s.GroupCount < 1 || s.GroupCount > maxShares:
		return bad("group count %d is not 1..16", s.GroupCount)
	case s.GroupThreshold < 1 || s.GroupThreshold > s.GroupCount:
		return bad("group threshold %d is not 1..%d", s.GroupThreshold, s.GroupCount)
	case s.GroupIndex < 0 || s.GroupIndex >= s.GroupCount:
		return bad("group index %d is not 0..%d", s.GroupIndex, s.GroupCount-1)
	case s.MemberThreshold < 1 || s.MemberThreshold > maxShares:
		return bad("member threshold %d is not 1..16", s.MemberThreshold)
	case s.MemberIndex < 0 || s.MemberIndex >= maxShares:
		return bad("member index %d is not 0..15", s.MemberIndex)
	case len(s.Value) < minSecretBytes || len(s.Value)%2 != 0:
		return fmt.Errorf("encode share: %w (value has %d bytes)", ErrSecretLength, len(s.Value))
	}
	return nil
}

// bitReader reads big-endian bit fields from a sequence of 10-bit words.
type bitReader struct {
	words []int
	pos   int    // next word
	acc   uint64 // bits not yet read, in the low nbits
	nbits int
}

func (r *bitReader) read(n int) int {
	for r.nbits < n {
		r.acc = r.acc<<radixBits | uint64(r.words[r.pos])
		r.pos++
		r.nbits += radixBits
	}
	r.nbits -= n
	v := int(r.acc>>r.nbits) & (1<<n - 1)
	r.acc &= 1<<r.nbits - 1
	return v
}

// bitWriter packs big-endian bit fields into 10-bit words; the writes must end on a word
// boundary.
type bitWriter struct {
	words []int
	acc   uint64
	nbits int
}

func (w *bitWriter) write(v, n int) {
	w.acc = w.acc<<n | uint64(v)&(1<<n-1)
	w.nbits += n
	for w.nbits >= radixBits {
		w.nbits -= radixBits
		w.words = append(w.words, int(w.acc>>w.nbits)&(1<<radixBits-1))
		w.acc &= 1<<w.nbits - 1
	}
}

// seedWords reports whether fields are a BIP39 mnemonic's count of BIP39 words. No share
// has 12, 15, 18, 21 or 24 words (the shortest has 20; 21 and 24 leave more than 8 padding
// bits), so no share is taken for one.
func seedWords(fields []string) bool {
	switch len(fields) {
	case 12, 15, 18, 21, 24:
	default:
		return false
	}
	for _, f := range fields {
		if _, ok := bip39.Index(strings.ToLower(f)); !ok {
			return false
		}
	}
	return true
}
