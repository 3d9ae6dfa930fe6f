package slip39

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Group is one group of a backup: Threshold of its Count member shares recover the group's
// share.
type Group struct{ Threshold, Count int }

// Split makes a SLIP-0039 backup of masterSecret: for each group, its member shares as
// mnemonics, in member-index order. Any groupThreshold groups, each with Threshold of its
// shares, recover the secret with the same passphrase.
//
// The master secret must be at least 16 bytes and an even number of bytes (a BIP32 seed of
// 16 or 32 bytes gives 20- or 33-word shares). iterationExponent (0..15) makes decryption
// cost 10000 x 2^e PBKDF2-HMAC-SHA256 iterations. extendable sets the flag that lets more
// share sets be made later for the same secret and passphrase; SLIP-0039 recommends it for new
// backups. rand supplies the identifier and the random share values: pass crypto/rand.Reader.
//
// As the specification requires, a group with threshold 1 must have exactly one member (more
// would be copies of one share that differ only in their index).
func Split(masterSecret, passphrase []byte, groupThreshold int, groups []Group, iterationExponent int,
	extendable bool, rand io.Reader) ([][]string, error) {
	if err := checkSplit(masterSecret, passphrase, groupThreshold, groups, iterationExponent); err != nil {
		return nil, fmt.Errorf("split: %w", err)
	}
	if rand == nil {
		return nil, fmt.Errorf("split: no source of randomness")
	}
	var idb [2]byte
	if _, err := io.ReadFull(rand, idb[:]); err != nil {
		return nil, fmt.Errorf("split: read randomness: %w", err)
	}
	id := binary.BigEndian.Uint16(idb[:]) & maxIdentifier

	ems, err := encrypt(masterSecret, passphrase, iterationExponent, id, extendable)
	if err != nil {
		return nil, fmt.Errorf("split: encrypt: %w", err)
	}
	defer clear(ems)
	groupShares, err := splitSecret(groupThreshold, len(groups), ems, rand)
	if err != nil {
		return nil, fmt.Errorf("split: %w", err)
	}
	defer func() {
		for _, g := range groupShares {
			clear(g)
		}
	}()

	out := make([][]string, len(groups))
	for gi, g := range groups {
		members, err := splitSecret(g.Threshold, g.Count, groupShares[gi], rand)
		if err != nil {
			return nil, fmt.Errorf("split: group %d: %w", gi+1, err)
		}
		out[gi] = make([]string, len(members))
		for mi, value := range members {
			s := Share{
				Identifier:        id,
				Extendable:        extendable,
				IterationExponent: iterationExponent,
				GroupIndex:        gi,
				GroupThreshold:    groupThreshold,
				GroupCount:        len(groups),
				MemberIndex:       mi,
				MemberThreshold:   g.Threshold,
				Value:             value,
			}
			m, err := s.Encode()
			clear(value)
			if err != nil {
				return nil, fmt.Errorf("split: %w", err)
			}
			out[gi][mi] = m
		}
	}
	return out, nil
}

// checkSplit enforces the specification's limits on Split's arguments.
func checkSplit(ms, passphrase []byte, groupThreshold int, groups []Group, e int) error {
	if len(ms) < minSecretBytes || len(ms)%2 != 0 {
		return fmt.Errorf("%w (this one has %d bytes)", ErrSecretLength, len(ms))
	}
	if err := checkPassphrase(passphrase); err != nil {
		return err
	}
	if e < 0 || e > maxIterationExponent {
		return fmt.Errorf("%w: iteration exponent %d is not 0..15", ErrBadScheme, e)
	}
	if len(groups) < 1 || len(groups) > maxShares {
		return fmt.Errorf("%w: %d groups; a backup has 1 to 16", ErrBadScheme, len(groups))
	}
	if groupThreshold < 1 || groupThreshold > len(groups) {
		return fmt.Errorf("%w: group threshold %d is not 1..%d", ErrBadScheme, groupThreshold, len(groups))
	}
	for i, g := range groups {
		switch {
		case g.Count < 1 || g.Count > maxShares:
			return fmt.Errorf("%w: group %d has %d members; a group has 1 to 16", ErrBadScheme, i+1, g.Count)
		case g.Threshold < 1 || g.Threshold > g.Count:
			return fmt.Errorf("%w: group %d threshold %d is not 1..%d", ErrBadScheme, i+1, g.Threshold, g.Count)
		case g.Threshold == 1 && g.Count > 1:
			return fmt.Errorf("%w: group %d is 1-of-%d; a group with threshold 1 must have one member "+
				"(write the one share down several times instead)", ErrBadScheme, i+1, g.Count)
		}
	}
	return nil
}

// checkPassphrase enforces printable ASCII, the only passphrases SLIP-0039 allows.
func checkPassphrase(p []byte) error {
	for _, b := range p {
		if b < 32 || b > 126 {
			return ErrBadPassphrase
		}
	}
	return nil
}
