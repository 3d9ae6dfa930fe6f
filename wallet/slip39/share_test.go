package slip39

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A valid 20-word share: vector 1 (1-of-1, 128 bits).
const share1 = "duckling enlarge academic academic agency result length solution fridge kidney " +
	"coal piece deal husband erode duke ajar critical decision keyboard"

func TestParseShareFields(t *testing.T) {
	s, err := ParseShare(share1)
	if err != nil {
		t.Fatal(err)
	}
	want := &Share{Identifier: s.Identifier, IterationExponent: 0, GroupIndex: 0, GroupThreshold: 1,
		GroupCount: 1, MemberIndex: 0, MemberThreshold: 1, Value: s.Value}
	if !reflect.DeepEqual(s, want) || len(s.Value) != 16 {
		t.Fatalf("fields %+v", s)
	}
}

// TestParseShareForgiving: case, spacing and four-letter prefixes do not change the share.
func TestParseShareForgiving(t *testing.T) {
	want, err := ParseShare(share1)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(share1)
	prefixed := make([]string, len(words))
	for i, w := range words {
		prefixed[i] = w[:4]
	}
	for name, in := range map[string]string{
		"upper case":         strings.ToUpper(share1),
		"tabs and newlines":  "\t" + strings.ReplaceAll(share1, " ", " \n ") + "\n",
		"four-letter prefix": strings.Join(prefixed, " "),
	} {
		got, err := ParseShare(in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
}

func TestParseShareErrors(t *testing.T) {
	words := strings.Fields(share1)
	with := func(i int, w string) string {
		c := append([]string(nil), words...)
		c[i] = w
		return strings.Join(c, " ")
	}
	swapped := append([]string(nil), words...)
	swapped[5], swapped[6] = swapped[6], swapped[5]
	for _, c := range []struct {
		name    string
		in      string
		want    error
		wordPos int // for ErrBadWord: the position the error must name
	}{
		{"empty", "", ErrShareLength, 0},
		{"unknown word names its position", with(4, "bitcoin"), ErrBadWord, 5},
		{"typo past the word", with(0, "ducklingg"), ErrBadWord, 1},
		{"three-letter prefix", with(19, "key"), ErrBadWord, 20},
		{"one word missing", strings.Join(words[:19], " "), ErrShareLength, 0},
		{"one word extra (21 words)", share1 + " academic", ErrShareLength, 0},
		{"a word replaced by another list word", with(7, "academic"), ErrBadChecksum, 0},
		{"two words swapped", strings.Join(swapped, " "), ErrBadChecksum, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseShare(c.in)
			if err == nil {
				t.Fatalf("parsed %+v", s)
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v is not %v", err, c.want)
			}
			if c.wordPos > 0 {
				var we *WordError
				if !errors.As(err, &we) || we.Position != c.wordPos {
					t.Fatalf("error %v does not name word %d", err, c.wordPos)
				}
			}
		})
	}
}

// encodeRaw builds a share with a valid checksum from raw fields, padding bits included, so
// tests can make shares Encode refuses to write.
func encodeRaw(id, ext, e, gi, gt1, g1, mi, mt1, pad, padBits int, value []byte) string {
	var bw bitWriter
	for _, f := range [][2]int{{id, 15}, {ext, 1}, {e, 4}, {gi, 4}, {gt1, 4}, {g1, 4}, {mi, 4}, {mt1, 4}, {pad, padBits}} {
		bw.write(f[0], f[1])
	}
	for _, b := range value {
		bw.write(int(b), 8)
	}
	sum := rs1024Checksum(ext == 1, bw.words)
	all := append(bw.words, sum[:]...)
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = Word(v)
	}
	return strings.Join(out, " ")
}

func TestParseShareFieldChecks(t *testing.T) {
	v := make([]byte, 16)
	for _, c := range []struct {
		name string
		in   string
		want error // nil: must parse
	}{
		{"well-formed", encodeRaw(7, 1, 0, 1, 1, 2, 3, 1, 0, 2, v), nil},
		{"nonzero padding", encodeRaw(7, 1, 0, 0, 0, 0, 0, 0, 1, 2, v), ErrBadPadding},
		{"group threshold above group count", encodeRaw(7, 0, 0, 0, 2, 1, 0, 0, 0, 2, v), ErrInvalidShare},
		{"group index beyond group count", encodeRaw(7, 0, 0, 2, 0, 1, 0, 0, 0, 2, v), ErrInvalidShare},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseShare(c.in)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v is not %v", err, c.want)
			}
		})
	}
}

func TestEncodeRefusesOutOfRange(t *testing.T) {
	ok := func() Share {
		return Share{Identifier: 1, GroupThreshold: 1, GroupCount: 1, MemberThreshold: 1, Value: make([]byte, 16)}
	}
	for _, c := range []struct {
		name string
		edit func(*Share)
		want error
	}{
		{"identifier over 15 bits", func(s *Share) { s.Identifier = 1 << 15 }, ErrInvalidShare},
		{"iteration exponent 16", func(s *Share) { s.IterationExponent = 16 }, ErrInvalidShare},
		{"negative iteration exponent", func(s *Share) { s.IterationExponent = -1 }, ErrInvalidShare},
		{"group count 0", func(s *Share) { s.GroupCount = 0 }, ErrInvalidShare},
		{"group count 17", func(s *Share) { s.GroupCount, s.GroupThreshold = 17, 1 }, ErrInvalidShare},
		{"group threshold above count", func(s *Share) { s.GroupThreshold = 2 }, ErrInvalidShare},
		{"group index at count", func(s *Share) { s.GroupIndex = 1 }, ErrInvalidShare},
		{"member threshold 0", func(s *Share) { s.MemberThreshold = 0 }, ErrInvalidShare},
		{"member index 16", func(s *Share) { s.MemberIndex = 16 }, ErrInvalidShare},
		{"value of 14 bytes", func(s *Share) { s.Value = make([]byte, 14) }, ErrSecretLength},
		{"value of odd length", func(s *Share) { s.Value = make([]byte, 17) }, ErrSecretLength},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := ok()
			c.edit(&s)
			if _, err := s.Encode(); !errors.Is(err, c.want) {
				t.Fatalf("Encode error %v, want %v", err, c.want)
			}
		})
	}
	s := ok()
	if _, err := s.Encode(); err != nil {
		t.Fatalf("baseline share: %v", err)
	}
}

// TestShareLengths: every even secret length from 16 to 64 bytes encodes to a share of the
// expected word count and parses back.
func TestShareLengths(t *testing.T) {
	for n := 16; n <= 64; n += 2 {
		s := &Share{Identifier: 12345, Extendable: true, IterationExponent: 15, GroupIndex: 15,
			GroupThreshold: 16, GroupCount: 16, MemberIndex: 15, MemberThreshold: 16, Value: make([]byte, n)}
		for i := range s.Value {
			s.Value[i] = byte(255 - i)
		}
		m, err := s.Encode()
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if want := 7 + (n*8+9)/10; len(strings.Fields(m)) != want {
			t.Errorf("%d bytes: %d words, want %d", n, len(strings.Fields(m)), want)
		}
		got, err := ParseShare(m)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("%d bytes: parsed %+v, want %+v", n, got, s)
		}
	}
}
