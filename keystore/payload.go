package keystore

import (
	"encoding/binary"
	"fmt"
)

// Payload plaintext layout, FORMAT.md section 6: kind byte, two length-prefixed fields,
// zero padding to a multiple of padBlock so the file size does not reveal word counts.
const (
	kindByteBIP39 = 0x01
	kindByteSeed  = 0x02
	padBlock      = 256
	maxPlaintext  = 9 * padBlock // 1 + 2 + 1024 + 2 + 1024 rounded up
)

// encodePayload lays a validated secret out as plaintext. The caller wipes the result.
func encodePayload(s *Secret) []byte {
	var kind byte
	var main []byte
	switch s.Kind {
	case KindBIP39:
		kind, main = kindByteBIP39, s.Mnemonic
	case KindSeed:
		kind, main = kindByteSeed, s.Seed
	}
	n := 1 + 2 + len(main) + 2 + len(s.BIP39Passphrase)
	out := make([]byte, 0, (n+padBlock-1)/padBlock*padBlock)
	out = append(out, kind)
	out = binary.BigEndian.AppendUint16(out, uint16(len(main)))
	out = append(out, main...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(s.BIP39Passphrase)))
	out = append(out, s.BIP39Passphrase...)
	return out[:cap(out)] // the spare capacity is already zero
}

// errUnknownKind marks a kind byte from a newer writer, which is ErrUnsupportedVersion
// rather than corruption.
type errUnknownKind byte

func (e errUnknownKind) Error() string { return fmt.Sprintf("unknown secret kind 0x%02x", byte(e)) }

// decodePayload parses plaintext into a new Secret whose slices do not alias pt, and
// requires the exact encoding encodePayload makes. It returns a description of the first
// problem on failure (never quoting secret bytes).
func decodePayload(pt []byte) (*Secret, error) {
	if len(pt) < padBlock || len(pt) > maxPlaintext || len(pt)%padBlock != 0 {
		return nil, fmt.Errorf("secret of %d bytes is not a multiple of %d between %d and %d", len(pt), padBlock, padBlock, maxPlaintext)
	}
	s := &Secret{}
	rest := pt[1:]
	field := func(name string) ([]byte, error) {
		if len(rest) < 2 {
			return nil, fmt.Errorf("secret is truncated before the %s length", name)
		}
		n := int(binary.BigEndian.Uint16(rest))
		if len(rest)-2 < n {
			return nil, fmt.Errorf("%s length %d runs past the end", name, n)
		}
		v := rest[2 : 2+n]
		rest = rest[2+n:]
		if n == 0 {
			return nil, nil
		}
		return append([]byte(nil), v...), nil
	}
	main, err := field("secret")
	if err != nil {
		return nil, err
	}
	pass, err := field("passphrase")
	if err != nil {
		clear(main)
		return nil, err
	}
	switch pt[0] {
	case kindByteBIP39:
		s.Kind, s.Mnemonic = KindBIP39, main
	case kindByteSeed:
		s.Kind, s.Seed = KindSeed, main
	default:
		clear(main)
		clear(pass)
		return nil, errUnknownKind(pt[0])
	}
	s.BIP39Passphrase = pass
	fail := func(format string, args ...any) (*Secret, error) {
		s.Wipe()
		return nil, fmt.Errorf(format, args...)
	}
	for _, b := range rest {
		if b != 0 {
			return fail("secret padding is not all zero")
		}
	}
	if used := len(pt) - len(rest); len(rest) >= padBlock {
		return fail("secret padding is longer than needed after %d bytes", used)
	}
	if msg := s.validate(); msg != "" {
		return fail("stored secret is invalid: %s", msg)
	}
	return s, nil
}
