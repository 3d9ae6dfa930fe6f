package ur

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestDecoderFountainOnly is the reference implementations' multipart test: a 32,767-byte
// message in fragments of at most 1,000 bytes, starting at part 100 so that every part the
// decoder sees is a fountain mix.
func TestDecoderFountainOnly(t *testing.T) {
	msg := cborBytes(makeMessage(32767))
	e, err := NewEncoder("bytes", msg, 1000)
	if err != nil {
		t.Fatal(err)
	}
	e.fe.seqNum = 99
	d := NewDecoder("bytes")
	for n := 0; !d.Complete(); n++ {
		if n > 10*e.SeqLen() {
			t.Fatalf("not complete after %d parts: %+v", n, d.Progress())
		}
		if err := d.Receive(e.NextPart()); err != nil {
			t.Fatal(err)
		}
	}
	got, err := d.Result()
	if err != nil || !slices.Equal(got, msg) {
		t.Fatalf("decoded %d bytes, %v", len(got), err)
	}
	if p := d.Progress(); p.Fragments != e.SeqLen() || p.Parts < e.SeqLen() {
		t.Fatalf("progress %+v with %d fragments", p, e.SeqLen())
	}
}

// TestDecoderRandomLoss drops a random half of an animation's frames, like a camera that
// misses some, and still decodes (seeded, so it repeats).
func TestDecoderRandomLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		msg := cborBytes(newXoshiro([]byte{byte(trial)}).nextData(200 + rng.IntN(3000)))
		e, err := NewEncoder(TypeCryptoPSBT, msg, 20+rng.IntN(200))
		if err != nil {
			t.Fatal(err)
		}
		d := NewPSBTDecoder()
		for n := 0; !d.Complete(); n++ {
			if n > 20*e.SeqLen()+100 {
				t.Fatalf("trial %d: not complete after %d parts: %+v", trial, n, d.Progress())
			}
			part := e.NextPart()
			if rng.IntN(2) == 0 {
				continue
			}
			if trial%2 == 1 {
				part = strings.ToUpper(part) // as a QR code's alphanumeric mode carries it
			}
			if err := d.Receive(part); err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
		}
		got, err := d.Result()
		if err != nil || !slices.Equal(got, msg) {
			t.Fatalf("trial %d: decoded %d bytes, %v", trial, len(got), err)
		}
	}
}

func TestDecoderRefuses(t *testing.T) {
	v := loadVectors(t)
	other, err := NewEncoder("bytes", bytesUR(300), 30)
	if err != nil {
		t.Fatal(err)
	}
	otherPart := other.NextPart()
	// A part whose last letters (the Bytewords checksum) were changed.
	damaged := v.URParts[1][:len(v.URParts[1])-2] + "ae"
	cases := []struct {
		name   string
		types  []string
		before []string
		part   string
		want   error
	}{
		{"not a UR", nil, nil, "bitcoin:bc1q", ErrInvalid},
		{"no body", nil, nil, "ur:bytes", ErrInvalid},
		{"bad seq", nil, nil, "ur:bytes/1of9/aeae", ErrInvalid},
		{"seq zero", nil, nil, "ur:bytes/0-9/" + strings.SplitN(v.URParts[0], "/", 3)[2], ErrInvalid},
		{"seq differs inside", nil, nil, "ur:bytes/2-9/" + strings.SplitN(v.URParts[0], "/", 3)[2], ErrInvalid},
		{"bad type chars", nil, nil, "ur:by_tes/aeadaolazmjendeoti", ErrInvalid},
		{"not a Byteword", nil, nil, "ur:bytes/qqqqqqqqqqqq", ErrInvalid},
		{"damaged part", nil, nil, damaged, ErrChecksum},
		{"wrong type", []string{TypeCryptoPSBT}, nil, v.URParts[0], ErrWrongType},
		{"two messages", nil, []string{v.URParts[0]}, otherPart, ErrMismatch},
		{"single after parts", nil, []string{v.URParts[0]}, v.SinglePartUR, ErrMismatch},
		{"parts after single", nil, []string{v.SinglePartUR}, v.URParts[0], ErrMismatch},
		{"two types", []string{"bytes", TypePSBT}, []string{v.URParts[0]}, v.PSBT.UR, ErrMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewDecoder(c.types...)
			for _, p := range c.before {
				if err := d.Receive(p); err != nil {
					t.Fatal(err)
				}
			}
			before := d.Progress()
			err := d.Receive(c.part)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if d.Progress() != before {
				t.Fatalf("a refused part changed the decoder: %+v then %+v", before, d.Progress())
			}
		})
	}
}

// TestDecoderBounds: a first part that announces a huge message, or a header whose sizes do
// not add up, is refused before anything is allocated for it.
func TestDecoderBounds(t *testing.T) {
	mk := func(seqLen, msgLen int, data []byte) string {
		p := fountainPart{seqNum: 1, seqLen: seqLen, messageLen: msgLen, checksum: 7, data: data}
		return "ur:bytes/1-" + strconv.Itoa(seqLen) + "/" + EncodeBytewords(Minimal, encodePart(p))
	}
	cases := []struct {
		name string
		part string
		want error
	}{
		{"message too large", mk(2, 1001, make([]byte, 501)), ErrTooLarge},
		{"too many fragments", mk(51, 51, []byte{1}), ErrTooLarge},
		{"fragments do not add up", mk(5, 10, []byte{1, 2, 3, 4, 5, 6}), ErrInvalid},
		{"empty fragment", mk(1, 1, nil), ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewDecoder()
			d.MaxMessageLen, d.MaxSeqLen = 1000, 50
			if err := d.Receive(c.part); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// TestDecoderBadMessageChecksum: fragments that each read well but reassemble into a message
// whose CRC-32 is not the announced one end in ErrChecksum, from Receive and Result.
func TestDecoderBadMessageChecksum(t *testing.T) {
	msg := makeMessage(40)
	frags := partition(msg, 20)
	d := NewDecoder()
	var err error
	for i, f := range frags {
		p := fountainPart{seqNum: uint32(i + 1), seqLen: 2, messageLen: 40, checksum: 12345, data: f}
		err = d.Receive("ur:bytes/" + strconv.Itoa(i+1) + "-2/" + EncodeBytewords(Minimal, encodePart(p)))
	}
	if !errors.Is(err, ErrChecksum) || !d.Complete() {
		t.Fatalf("last Receive: %v, complete %v", err, d.Complete())
	}
	if _, err := d.Result(); !errors.Is(err, ErrChecksum) {
		t.Fatalf("Result: %v", err)
	}
}

func TestResultBeforeComplete(t *testing.T) {
	v := loadVectors(t)
	d := NewDecoder()
	if err := d.Receive(v.URParts[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Result(); !errors.Is(err, ErrIncomplete) || !strings.HasSuffix(err.Error(), "1 of 9 fragments after 1 part") {
		t.Fatalf("Result = %v, want ErrIncomplete ending in one part, singular", err)
	}
	if p := d.Progress(); p != (Progress{Parts: 1, Fragments: 1, SeqLen: 9}) {
		t.Fatalf("progress %+v", p)
	}
	if err := d.Receive(v.URParts[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Result(); err == nil || !strings.HasSuffix(err.Error(), "2 of 9 fragments after 2 parts") {
		t.Fatalf("Result = %v, want two parts, plural", err)
	}
}
