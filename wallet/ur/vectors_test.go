package ur

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"slices"
	"testing"
)

// vectors are the official test values of BCR-2020-005 / BCR-2024-001 (the reference
// implementations' tests) and BCR-2020-006, copied into testdata/vectors.json.
type vectors struct {
	CRC32 []struct {
		Input string `json:"input"`
		Hex   string `json:"hex"`
	} `json:"crc32"`
	Bytewords []struct {
		Hex      string `json:"hex"`
		Standard string `json:"standard"`
		URI      string `json:"uri"`
		Minimal  string `json:"minimal"`
	} `json:"bytewords"`
	BytewordsBad struct {
		Standard []string `json:"standard"`
		URI      []string `json:"uri"`
		Minimal  []string `json:"minimal"`
	} `json:"bytewords_bad"`
	RNGWolfMod100    []uint64 `json:"rng_wolf_mod100"`
	RNGCRCWolfMod100 []uint64 `json:"rng_crc_wolf_mod100"`
	RNGWolfInt1To10  []int    `json:"rng_wolf_int_1_10"`
	Sampler1248      []int    `json:"random_sampler_1248"`
	Shuffle          [][]int  `json:"shuffle_1_10"`
	Partition        []string `json:"partition_1024_10_100"`
	DegreesNonce     []int    `json:"degrees_wolf_nonce"`
	Degrees1000      []int    `json:"degrees_wolf_1000"`
	FragmentIndexes  [][]int  `json:"fragment_indexes_1024"`
	FountainParts    []string `json:"fountain_parts_256_30"`
	FountainCBOR     []string `json:"fountain_cbor_256_30"`
	PartCBOR         struct {
		SeqNum     uint32 `json:"seqNum"`
		SeqLen     int    `json:"seqLen"`
		MessageLen int    `json:"messageLen"`
		Checksum   uint32 `json:"checksum"`
		Data       string `json:"data"`
		Hex        string `json:"hex"`
	} `json:"part_cbor"`
	XOR struct {
		A, B, XOR string
	} `json:"xor"`
	SinglePartUR string   `json:"single_part_ur_50"`
	URParts      []string `json:"ur_parts_256_30"`
	FindLength   [][4]int `json:"find_fragment_length"`
	PSBT         struct {
		Hex string `json:"psbt_hex"`
		UR  string `json:"ur"`
	} `json:"psbt_bcr_2020_006"`
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// makeMessage is the reference tests' message: n bytes drawn from Xoshiro256** seeded "Wolf".
func makeMessage(n int) []byte { return newXoshiro([]byte("Wolf")).nextData(n) }

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVectorCRC32(t *testing.T) {
	for _, c := range loadVectors(t).CRC32 {
		if got := fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(c.Input))); got != c.Hex {
			t.Errorf("crc32(%q) = %s, want %s", c.Input, got, c.Hex)
		}
	}
}

func TestVectorBytewords(t *testing.T) {
	v := loadVectors(t)
	for i, c := range v.Bytewords {
		data := unhex(t, c.Hex)
		styles := []struct {
			style Style
			text  string
		}{{Standard, c.Standard}, {URI, c.URI}, {Minimal, c.Minimal}}
		for _, s := range styles {
			if s.text == "" {
				continue
			}
			if got := EncodeBytewords(s.style, data); got != s.text {
				t.Errorf("vector %d style %d: encode = %q, want %q", i, s.style, got, s.text)
			}
			got, err := DecodeBytewords(s.style, s.text)
			if err != nil || !slices.Equal(got, data) {
				t.Errorf("vector %d style %d: decode = %x, %v", i, s.style, got, err)
			}
		}
	}
	bad := map[Style][]string{Standard: v.BytewordsBad.Standard, URI: v.BytewordsBad.URI, Minimal: v.BytewordsBad.Minimal}
	for style, texts := range bad {
		for _, text := range texts {
			if _, err := DecodeBytewords(style, text); err == nil {
				t.Errorf("style %d: %q decoded, want an error", style, text)
			}
		}
	}
}

func TestVectorXoshiro(t *testing.T) {
	v := loadVectors(t)
	x := newXoshiro([]byte("Wolf"))
	for i, want := range v.RNGWolfMod100 {
		if got := x.next() % 100; got != want {
			t.Fatalf("Wolf: number %d = %d, want %d", i, got, want)
		}
	}
	var seed [4]byte
	sum := crc32.ChecksumIEEE([]byte("Wolf"))
	seed[0], seed[1], seed[2], seed[3] = byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum)
	x = newXoshiro(seed[:])
	for i, want := range v.RNGCRCWolfMod100 {
		if got := x.next() % 100; got != want {
			t.Fatalf("crc32(Wolf): number %d = %d, want %d", i, got, want)
		}
	}
	x = newXoshiro([]byte("Wolf"))
	for i, want := range v.RNGWolfInt1To10 {
		if got := x.nextInt(1, 10); got != want {
			t.Fatalf("nextInt(1, 10): number %d = %d, want %d", i, got, want)
		}
	}
	x = newXoshiro([]byte("Wolf"))
	a, b := x.nextData(10), x.nextData(10)
	if hex.EncodeToString(a) != v.XOR.A || hex.EncodeToString(b) != v.XOR.B {
		t.Fatalf("nextData = %x %x", a, b)
	}
	xorInto(a, b)
	if hex.EncodeToString(a) != v.XOR.XOR {
		t.Fatalf("xor = %x, want %s", a, v.XOR.XOR)
	}
}

func TestVectorSamplerAndShuffle(t *testing.T) {
	v := loadVectors(t)
	s := newSampler([]float64{1, 2, 4, 8})
	x := newXoshiro([]byte("Wolf"))
	for i, want := range v.Sampler1248 {
		if got := s.next(x); got != want {
			t.Fatalf("sample %d = %d, want %d", i, got, want)
		}
	}
	// The C++ reference shuffles all ten values ten times with one generator.
	x = newXoshiro([]byte("Wolf"))
	values := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for i, want := range v.Shuffle {
		if got := shuffledPrefix(values, x, len(values)); !slices.Equal(got, want) {
			t.Fatalf("shuffle %d = %v, want %v", i, got, want)
		}
	}
	// The Swift reference cuts the shuffle short: each prefix of the first full shuffle.
	for n := 1; n <= 10; n++ {
		if got := shuffledPrefix(values, newXoshiro([]byte("Wolf")), n); !slices.Equal(got, v.Shuffle[0][:n]) {
			t.Fatalf("shuffle of %d = %v, want %v", n, got, v.Shuffle[0][:n])
		}
	}
}

func TestVectorFragments(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.FindLength {
		if got := fragmentLength(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("fragmentLength(%d, %d, %d) = %d, want %d", c[0], c[1], c[2], got, c[3])
		}
	}
	msg := makeMessage(1024)
	frags := partition(msg, fragmentLength(len(msg), 10, 100))
	if len(frags) != len(v.Partition) {
		t.Fatalf("%d fragments, want %d", len(frags), len(v.Partition))
	}
	for i, f := range frags {
		if hex.EncodeToString(f) != v.Partition[i] {
			t.Errorf("fragment %d = %x, want %s", i, f, v.Partition[i])
		}
	}
	deg := newDegreeSampler(len(frags))
	for nonce, want := range v.DegreesNonce {
		x := newXoshiro(fmt.Appendf(nil, "Wolf-%d", nonce+1))
		if got := deg.next(x) + 1; got != want {
			t.Fatalf("degree for nonce %d = %d, want %d", nonce+1, got, want)
		}
	}
	x := newXoshiro([]byte("Wolf"))
	for i, want := range v.Degrees1000 {
		if got := deg.next(x) + 1; got != want {
			t.Fatalf("degree %d = %d, want %d", i, got, want)
		}
	}
	c := newChooser(len(frags), crc32.ChecksumIEEE(msg))
	for i, want := range v.FragmentIndexes {
		if got := c.choose(uint32(i + 1)); !slices.Equal(got, want) {
			t.Errorf("fragments of part %d = %v, want %v", i+1, got, want)
		}
	}
}

func TestVectorFountainEncoder(t *testing.T) {
	v := loadVectors(t)
	e := newFountainEncoder(makeMessage(256), 30)
	for i := range v.FountainParts {
		p := e.nextPart()
		desc := fmt.Sprintf("seqNum:%d, seqLen:%d, messageLen:%d, checksum:%d, data:%x", p.seqNum, p.seqLen, p.messageLen, p.checksum, p.data)
		if desc != v.FountainParts[i] {
			t.Errorf("part %d = %s\nwant %s", i+1, desc, v.FountainParts[i])
		}
		if got := hex.EncodeToString(encodePart(p)); got != v.FountainCBOR[i] {
			t.Errorf("part %d CBOR = %s, want %s", i+1, got, v.FountainCBOR[i])
		}
		back, err := decodePart(encodePart(p))
		if err != nil || back.seqNum != p.seqNum || !slices.Equal(back.data, p.data) {
			t.Errorf("part %d does not read back: %+v %v", i+1, back, err)
		}
	}
	pc := v.PartCBOR
	p := fountainPart{seqNum: pc.SeqNum, seqLen: pc.SeqLen, messageLen: pc.MessageLen, checksum: pc.Checksum, data: unhex(t, pc.Data)}
	if got := hex.EncodeToString(encodePart(p)); got != pc.Hex {
		t.Errorf("part CBOR = %s, want %s", got, pc.Hex)
	}
}

// bytesUR is the reference tests' UR: the message as a CBOR byte string, type "bytes".
func bytesUR(n int) []byte { return cborBytes(makeMessage(n)) }

func TestVectorUREncoder(t *testing.T) {
	v := loadVectors(t)
	e, err := NewEncoder("bytes", bytesUR(50), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.NextPart(); got != v.SinglePartUR {
		t.Errorf("single part = %s, want %s", got, v.SinglePartUR)
	}
	e, err = NewEncoder("bytes", bytesUR(256), 30)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range v.URParts {
		if got := e.NextPart(); got != want {
			t.Errorf("part %d = %s, want %s", i+1, got, want)
		}
	}
}

// TestVectorURRoundTrip decodes the official parts (every subset that should suffice, in
// several orders) back to the reference message.
func TestVectorURRoundTrip(t *testing.T) {
	v := loadVectors(t)
	want := bytesUR(256)
	cases := []struct {
		name  string
		parts []int // indexes into v.URParts
	}{
		{"in order", []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
		{"reversed", []int{8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{"every other", []int{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7}},
		{"repeats", []int{0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewDecoder("bytes")
			for _, i := range c.parts {
				if d.Complete() {
					break
				}
				if err := d.Receive(v.URParts[i]); err != nil {
					t.Fatalf("part %d: %v", i+1, err)
				}
			}
			got, err := d.Result()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("decoded %x, want %x", got, want)
			}
		})
	}
	d := NewDecoder("bytes")
	if err := d.Receive(v.SinglePartUR); err != nil || !d.Complete() {
		t.Fatalf("single part: %v", err)
	}
	if got, _ := d.Result(); !slices.Equal(got, bytesUR(50)) {
		t.Fatalf("single part decoded %x", got)
	}
}

func TestVectorPSBT(t *testing.T) {
	v := loadVectors(t)
	psbt := unhex(t, v.PSBT.Hex)
	d := NewPSBTDecoder()
	if err := d.Receive(v.PSBT.UR); err != nil {
		t.Fatal(err)
	}
	got, err := d.PSBT()
	if err != nil || !slices.Equal(got, psbt) {
		t.Fatalf("PSBT = %x, %v", got, err)
	}
	e, err := NewEncoder(TypePSBT, cborBytes(psbt), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.NextPart(); got != v.PSBT.UR {
		t.Fatalf("encoded %s\nwant %s", got, v.PSBT.UR)
	}
}
