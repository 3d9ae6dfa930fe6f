package ur

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The small part of CBOR (RFC 8949) URs need, written here rather than taken from a general
// library: unsigned integers, byte strings, an array head and an optional tag, all of
// definite length. Writing is canonical (shortest heads), as dCBOR requires.

const (
	majorUint  = 0
	majorBytes = 2
	majorArray = 4
	majorTag   = 6
)

// cborHead appends the head of an item: major type and argument in the shortest form.
func cborHead(b []byte, major byte, v uint64) []byte {
	m := major << 5
	switch {
	case v < 24:
		return append(b, m|byte(v))
	case v <= math.MaxUint8:
		return append(b, m|24, byte(v))
	case v <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, m|25), uint16(v))
	case v <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, m|26), uint32(v))
	default:
		return binary.BigEndian.AppendUint64(append(b, m|27), v)
	}
}

// cborBytes is data as a CBOR byte string: the body of a crypto-psbt UR.
func cborBytes(data []byte) []byte {
	return append(cborHead(make([]byte, 0, len(data)+9), majorBytes, uint64(len(data))), data...)
}

// cborReader reads items from the front of a buffer.
type cborReader struct{ b []byte }

// head reads one item's head. Indefinite lengths and the float/simple major type are refused:
// nothing a UR carries uses them.
func (r *cborReader) head() (major byte, v uint64, err error) {
	if len(r.b) == 0 {
		return 0, 0, fmt.Errorf("%w: CBOR ends early", ErrInvalid)
	}
	major, info := r.b[0]>>5, r.b[0]&31
	r.b = r.b[1:]
	var n int
	switch {
	case info < 24:
		return major, uint64(info), nil
	case info == 24:
		n = 1
	case info == 25:
		n = 2
	case info == 26:
		n = 4
	case info == 27:
		n = 8
	default:
		return 0, 0, fmt.Errorf("%w: CBOR item of indefinite or reserved length", ErrInvalid)
	}
	if len(r.b) < n {
		return 0, 0, fmt.Errorf("%w: CBOR ends early", ErrInvalid)
	}
	for _, c := range r.b[:n] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[n:]
	return major, v, nil
}

func (r *cborReader) uint(max uint64, what string) (uint64, error) {
	major, v, err := r.head()
	if err != nil {
		return 0, err
	}
	if major != majorUint {
		return 0, fmt.Errorf("%w: %s is not an unsigned integer", ErrInvalid, what)
	}
	if v > max {
		return 0, fmt.Errorf("%w: %s %d is out of range", ErrInvalid, what, v)
	}
	return v, nil
}

func (r *cborReader) bytes(what string) ([]byte, error) {
	major, n, err := r.head()
	if err != nil {
		return nil, err
	}
	if major != majorBytes {
		return nil, fmt.Errorf("%w: %s is not a byte string", ErrInvalid, what)
	}
	if n > uint64(len(r.b)) {
		return nil, fmt.Errorf("%w: CBOR ends early", ErrInvalid)
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out, nil
}

func (r *cborReader) end() error {
	if len(r.b) != 0 {
		return fmt.Errorf("%w: %d bytes after the CBOR item", ErrInvalid, len(r.b))
	}
	return nil
}

// encodePart writes a part's CBOR: [seqNum, seqLen, messageLen, checksum, data].
func encodePart(p fountainPart) []byte {
	b := cborHead(make([]byte, 0, len(p.data)+24), majorArray, 5)
	b = cborHead(b, majorUint, uint64(p.seqNum))
	b = cborHead(b, majorUint, uint64(p.seqLen))
	b = cborHead(b, majorUint, uint64(p.messageLen))
	b = cborHead(b, majorUint, uint64(p.checksum))
	b = cborHead(b, majorBytes, uint64(len(p.data)))
	return append(b, p.data...)
}

// decodePart reads a part's CBOR, refusing anything but exactly the five fields. The data is
// a sub-slice of b.
func decodePart(b []byte) (fountainPart, error) {
	r := cborReader{b}
	major, n, err := r.head()
	if err != nil {
		return fountainPart{}, err
	}
	if major != majorArray || n != 5 {
		return fountainPart{}, fmt.Errorf("%w: a multipart UR body must be a CBOR array of 5 items", ErrInvalid)
	}
	var p fountainPart
	seqNum, err := r.uint(math.MaxUint32, "seqNum")
	if err != nil {
		return p, err
	}
	seqLen, err := r.uint(math.MaxInt32, "seqLen")
	if err != nil {
		return p, err
	}
	msgLen, err := r.uint(math.MaxInt32, "messageLen")
	if err != nil {
		return p, err
	}
	sum, err := r.uint(math.MaxUint32, "checksum")
	if err != nil {
		return p, err
	}
	data, err := r.bytes("fragment")
	if err != nil {
		return p, err
	}
	if err := r.end(); err != nil {
		return p, err
	}
	p = fountainPart{seqNum: uint32(seqNum), seqLen: int(seqLen), messageLen: int(msgLen), checksum: uint32(sum), data: data}
	return p, nil
}

// PSBT tags: 310 is crypto-psbt's, 40310 the renamed psbt's. A UR's top level is untagged, but
// a tagged byte string is read too, as some encoders write one.
const (
	tagCryptoPSBT = 310
	tagPSBT       = 40310
)

// decodeByteString reads the CBOR of a crypto-psbt (or psbt) UR: one byte string, optionally
// under its own tag.
func decodeByteString(b []byte) ([]byte, error) {
	r := cborReader{b}
	if len(b) > 0 && b[0]>>5 == majorTag {
		_, tag, err := r.head()
		if err != nil {
			return nil, err
		}
		if tag != tagCryptoPSBT && tag != tagPSBT {
			return nil, fmt.Errorf("%w: CBOR tag %d is not a PSBT's", ErrInvalid, tag)
		}
	}
	data, err := r.bytes("the PSBT")
	if err != nil {
		return nil, err
	}
	return data, r.end()
}
