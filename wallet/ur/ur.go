package ur

import (
	"fmt"
	"strconv"
	"strings"
)

// UR types satchel writes and reads.
const (
	// TypeCryptoPSBT is the PSBT type every air-gapped signer reads (BCR-2020-006 before its
	// 2023 renaming); satchel writes it.
	TypeCryptoPSBT = "crypto-psbt"
	// TypePSBT is the same content under the newer name; satchel reads it too.
	TypePSBT = "psbt"
)

// parsed is one UR string taken apart: its type, the seq of a multipart part (seqNum 0 for a
// single-part UR) and the body's bytes.
type parsed struct {
	typ            string
	seqNum, seqLen uint64
	body           []byte
}

// parseUR reads "ur:TYPE/BODY" or "ur:TYPE/N-M/BODY", in any case, around spaces.
func parseUR(s string) (parsed, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	rest, ok := strings.CutPrefix(s, "ur:")
	if !ok {
		return parsed{}, fmt.Errorf("%w: it does not start with \"ur:\"", ErrInvalid)
	}
	comps := strings.Split(rest, "/")
	var p parsed
	switch len(comps) {
	case 2:
	case 3:
		n, m, ok := strings.Cut(comps[1], "-")
		var err1, err2 error
		p.seqNum, err1 = strconv.ParseUint(n, 10, 32)
		p.seqLen, err2 = strconv.ParseUint(m, 10, 32)
		if !ok || err1 != nil || err2 != nil || p.seqNum == 0 || p.seqLen == 0 || strings.HasPrefix(n, "+") || strings.HasPrefix(m, "+") {
			return parsed{}, fmt.Errorf("%w: %q is not a part number N-M", ErrInvalid, comps[1])
		}
	default:
		return parsed{}, fmt.Errorf("%w: expected ur:TYPE/BODY or ur:TYPE/N-M/BODY", ErrInvalid)
	}
	p.typ = comps[0]
	if !validType(p.typ) {
		return parsed{}, fmt.Errorf("%w: %q is not a UR type (letters, digits and -)", ErrInvalid, p.typ)
	}
	body, err := DecodeBytewords(Minimal, comps[len(comps)-1])
	if err != nil {
		return parsed{}, err
	}
	p.body = body
	return p, nil
}

func validType(t string) bool {
	if t == "" {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Encoder makes the UR parts of one message: a single "ur:TYPE/BODY" when the message fits
// in one fragment, else the endless multipart stream "ur:TYPE/N-M/BODY", N = 1, 2, ...
type Encoder struct {
	typ       string
	single    string
	singleLen int
	fe        *fountainEncoder
}

// NewEncoder encodes the CBOR message cbor as URs of type urType, in fragments of at most
// maxFragmentLen bytes (0 or less: one part, however long).
func NewEncoder(urType string, cbor []byte, maxFragmentLen int) (*Encoder, error) {
	urType = strings.ToLower(urType)
	if !validType(urType) {
		return nil, fmt.Errorf("%w: %q is not a UR type", ErrInvalid, urType)
	}
	if len(cbor) == 0 {
		return nil, fmt.Errorf("%w: empty message", ErrInvalid)
	}
	e := &Encoder{typ: urType}
	if maxFragmentLen <= 0 || len(cbor) <= maxFragmentLen {
		e.single, e.singleLen = "ur:"+urType+"/"+EncodeBytewords(Minimal, cbor), len(cbor)
		return e, nil
	}
	e.fe = newFountainEncoder(cbor, maxFragmentLen)
	return e, nil
}

// EncodePSBT encodes a PSBT (BIP174 binary) as crypto-psbt URs with fragments of at most
// maxFragmentLen bytes.
func EncodePSBT(psbt []byte, maxFragmentLen int) (*Encoder, error) {
	if len(psbt) == 0 {
		return nil, fmt.Errorf("%w: empty PSBT", ErrInvalid)
	}
	return NewEncoder(TypeCryptoPSBT, cborBytes(psbt), maxFragmentLen)
}

// SinglePart says whether the message fits in one part (NextPart then always returns it).
func (e *Encoder) SinglePart() bool { return e.fe == nil }

// SeqLen is the number of fragments: the parts 1..SeqLen carry the message once, each part
// after that is a fountain mix. It is 1 for a single-part UR.
func (e *Encoder) SeqLen() int {
	if e.fe == nil {
		return 1
	}
	return e.fe.seqLen()
}

// FragmentLen is the length of each fragment (the whole CBOR message for a single part).
func (e *Encoder) FragmentLen() int {
	if e.fe == nil {
		return e.singleLen
	}
	return e.fe.fragLen
}

// SeqNum is the sequence number of the part NextPart returned last (0 before the first).
func (e *Encoder) SeqNum() uint32 {
	if e.fe == nil {
		return 1
	}
	return e.fe.seqNum
}

// NextPart returns the next part, in lower case (upper-case it for a QR code's alphanumeric
// mode: decoders take either).
func (e *Encoder) NextPart() string {
	if e.fe == nil {
		return e.single
	}
	p := e.fe.nextPart()
	return fmt.Sprintf("ur:%s/%d-%d/%s", e.typ, p.seqNum, p.seqLen, EncodeBytewords(Minimal, encodePart(p)))
}
