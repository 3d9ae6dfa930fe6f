package ur

import (
	"bytes"
	"fmt"
	"slices"
)

// Default bounds of a Decoder: a PSBT as large as satchel reads (32 MiB) with its CBOR head,
// and a number of fragments no animation would ever show (20,000 frames of even 1,700 bytes
// are more than 32 MiB), which keeps a hostile part from making the decoder allocate much.
const (
	DefaultMaxMessageLen = 32<<20 + 16
	DefaultMaxSeqLen     = 20000
)

// Progress says how far a Decoder is: parts accepted, and fragments known out of SeqLen
// (SeqLen is 0 before the first part, 1 for a single-part UR).
type Progress struct {
	Parts     int
	Fragments int
	SeqLen    int
}

// Decoder reassembles one UR from its parts, received in any order, with repeats, mixed
// fountain parts and all. Feed it with Receive until Complete.
type Decoder struct {
	// MaxMessageLen and MaxSeqLen bound what a part may announce (ErrTooLarge past them).
	MaxMessageLen int
	MaxSeqLen     int

	types  []string
	typ    string
	single []byte
	fd     fountainDecoder
	parts  int
}

// NewDecoder reads URs of the given types (any type when none is given).
func NewDecoder(types ...string) *Decoder {
	return &Decoder{MaxMessageLen: DefaultMaxMessageLen, MaxSeqLen: DefaultMaxSeqLen, types: types}
}

// NewPSBTDecoder reads a PSBT sent as crypto-psbt (or psbt) URs.
func NewPSBTDecoder() *Decoder { return NewDecoder(TypeCryptoPSBT, TypePSBT) }

// Receive takes one part (or a whole single-part UR). A part that cannot be read is
// ErrInvalid or ErrChecksum, one of another type ErrWrongType, one of another message than
// the parts before it ErrMismatch; the decoder is left as it was by any of them. A part that
// completes the message with a wrong CRC-32 returns ErrChecksum, as Result then does. Parts
// of the same message after it is complete are accepted and change nothing.
func (d *Decoder) Receive(s string) error {
	p, err := parseUR(s)
	if err != nil {
		return err
	}
	if len(d.types) > 0 && !slices.Contains(d.types, p.typ) {
		return fmt.Errorf("%w: ur:%s, expected ur:%s", ErrWrongType, p.typ, d.types[0])
	}
	if d.typ != "" && p.typ != d.typ {
		return fmt.Errorf("%w: a ur:%s part after ur:%s parts", ErrMismatch, p.typ, d.typ)
	}
	if p.seqNum == 0 {
		return d.receiveSingle(p)
	}
	return d.receivePart(p)
}

func (d *Decoder) receiveSingle(p parsed) error {
	switch {
	case d.fd.started:
		return fmt.Errorf("%w: a single-part UR among the parts of a multipart one", ErrMismatch)
	case d.single != nil && !bytes.Equal(d.single, p.body):
		return fmt.Errorf("%w: two different single-part URs", ErrMismatch)
	case len(p.body) > d.MaxMessageLen:
		return fmt.Errorf("%w: %d bytes (at most %d)", ErrTooLarge, len(p.body), d.MaxMessageLen)
	}
	d.typ, d.single = p.typ, p.body
	d.parts++
	return nil
}

func (d *Decoder) receivePart(p parsed) error {
	if d.single != nil {
		return fmt.Errorf("%w: a multipart UR part after a single-part UR", ErrMismatch)
	}
	fp, err := decodePart(p.body)
	if err != nil {
		return err
	}
	if uint64(fp.seqNum) != p.seqNum || uint64(fp.seqLen) != p.seqLen {
		return fmt.Errorf("%w: the part says %d-%d inside, %d-%d outside", ErrInvalid, fp.seqNum, fp.seqLen, p.seqNum, p.seqLen)
	}
	if d.fd.started {
		if !d.fd.sameMessage(fp) {
			return fmt.Errorf("%w: part %d-%d (checksum %08x, %d bytes) after parts of checksum %08x, %d bytes",
				ErrMismatch, fp.seqNum, fp.seqLen, fp.checksum, fp.messageLen, d.fd.checksum, d.fd.messageLen)
		}
	} else if err := d.checkHeader(fp); err != nil {
		return err
	}
	if !d.fd.started {
		d.fd.start(fp)
		d.typ = p.typ
	}
	d.parts++
	d.fd.receive(fp)
	return d.fd.err
}

// checkHeader checks the first part's promises before anything is allocated for them: sizes
// within bounds, and seqLen fragments of this length holding messageLen bytes with less than
// one fragment of padding, as every encoder cuts them.
func (d *Decoder) checkHeader(p fountainPart) error {
	switch {
	case p.messageLen > d.MaxMessageLen:
		return fmt.Errorf("%w: %d bytes (at most %d)", ErrTooLarge, p.messageLen, d.MaxMessageLen)
	case p.seqLen > d.MaxSeqLen:
		return fmt.Errorf("%w: %d fragments (at most %d)", ErrTooLarge, p.seqLen, d.MaxSeqLen)
	case p.messageLen == 0 || len(p.data) == 0:
		return fmt.Errorf("%w: an empty message or fragment", ErrInvalid)
	case (p.messageLen+len(p.data)-1)/len(p.data) != p.seqLen:
		return fmt.Errorf("%w: %d fragments of %d bytes cannot hold a message of %d bytes", ErrInvalid, p.seqLen, len(p.data), p.messageLen)
	}
	return nil
}

// Complete says whether the message is whole (Result then answers, with the message or with
// ErrChecksum).
func (d *Decoder) Complete() bool { return d.single != nil || d.fd.done }

// Progress says how many parts were accepted and how many fragments are known.
func (d *Decoder) Progress() Progress {
	switch {
	case d.single != nil:
		return Progress{Parts: d.parts, Fragments: 1, SeqLen: 1}
	case !d.fd.started:
		return Progress{}
	case d.fd.done:
		return Progress{Parts: d.parts, Fragments: d.fd.seqLen, SeqLen: d.fd.seqLen}
	}
	return Progress{Parts: d.parts, Fragments: len(d.fd.simple), SeqLen: d.fd.seqLen}
}

// Type is the UR type of the parts received ("" before the first).
func (d *Decoder) Type() string { return d.typ }

// Result returns the message's CBOR once Complete: ErrIncomplete before, ErrChecksum when the
// reassembled message does not match its checksum.
func (d *Decoder) Result() ([]byte, error) {
	switch {
	case d.single != nil:
		return d.single, nil
	case !d.fd.done:
		p := d.Progress()
		parts := "parts"
		if p.Parts == 1 {
			parts = "part"
		}
		return nil, fmt.Errorf("%w: %d of %d fragments after %d %s", ErrIncomplete, p.Fragments, p.SeqLen, p.Parts, parts)
	case d.fd.err != nil:
		return nil, d.fd.err
	}
	return d.fd.result, nil
}

// PSBT returns the PSBT of a complete crypto-psbt (or psbt) UR: the BIP174 bytes inside its
// CBOR byte string, not checked further (the caller parses them as a PSBT).
func (d *Decoder) PSBT() ([]byte, error) {
	cbor, err := d.Result()
	if err != nil {
		return nil, err
	}
	if d.typ != TypeCryptoPSBT && d.typ != TypePSBT {
		return nil, fmt.Errorf("%w: ur:%s is not a PSBT", ErrWrongType, d.typ)
	}
	return decodeByteString(cbor)
}
