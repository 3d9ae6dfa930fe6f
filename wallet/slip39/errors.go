package slip39

import (
	"errors"
	"fmt"
)

// Error classes. Every error the package returns matches one of them with errors.Is, so the
// CLI can map it to an exit code and a hint without parsing messages.
var (
	// ErrBadWord: a word is not in the SLIP-0039 list (see *WordError for its position).
	ErrBadWord = errors.New("not a SLIP-39 word")
	// ErrSeedWords: what was given as a share is a BIP39 mnemonic (seed words), which the
	// wallet restores without SLIP-39.
	ErrSeedWords = errors.New("these are BIP39 seed words, not a SLIP-39 share")
	// ErrShareLength: the share has a number of words no master secret length gives.
	ErrShareLength = errors.New("wrong number of words for a SLIP-39 share")
	// ErrBadChecksum: the last three words do not match the rest, so a word is mistyped or
	// two are swapped.
	ErrBadChecksum = errors.New("share checksum does not match: a word is wrong or the order is")
	// ErrBadPadding: the unused bits before the share value are not zero, which no
	// conforming tool writes.
	ErrBadPadding = errors.New("invalid share padding")
	// ErrInvalidShare: the share's own fields contradict each other (a group threshold above
	// the group count, a group index beyond it).
	ErrInvalidShare = errors.New("invalid share parameters")
	// ErrMismatch: a share belongs to another backup than the first share given.
	ErrMismatch = errors.New("share is from another backup")
	// ErrDuplicateShare: two shares of one group have the same member index.
	ErrDuplicateShare = errors.New("duplicate share")
	// ErrNotEnoughShares: more shares or groups are needed to recover the secret.
	ErrNotEnoughShares = errors.New("not enough shares")
	// ErrTooManyShares: more shares or groups were given than the threshold. SLIP-0039
	// requires exactly the threshold, so the user should leave some out.
	ErrTooManyShares = errors.New("too many shares")
	// ErrInvalidDigest: the shares decode and fit together by their headers, but the secret
	// they give fails its digest, so at least one share is forged or corrupted in a way the
	// checksum cannot catch.
	ErrInvalidDigest = errors.New("invalid digest: the shares are inconsistent")
	// ErrBadPassphrase: SLIP-0039 passphrases are printable ASCII only.
	ErrBadPassphrase = errors.New("passphrase must be printable ASCII (space to ~)")
	// ErrSecretLength: a master secret must be at least 16 bytes and an even number of bytes.
	ErrSecretLength = errors.New("master secret must be at least 16 bytes and an even number of bytes")
	// ErrBadScheme: the group and member thresholds and counts, or the iteration exponent,
	// passed to Split are out of range.
	ErrBadScheme = errors.New("invalid sharing scheme")
)

// GroupLevel is the Group of a *NotEnoughSharesError or *TooManySharesError about the number
// of groups rather than the shares inside one group.
const GroupLevel = -1

// WordError names a word of a share that is not in the SLIP-0039 list.
type WordError struct {
	Position int    // 1-based position of the word in the share
	Word     string // the word as read, lowercased
}

// Error names the word by position so the user can find it on the paper backup.
func (e *WordError) Error() string {
	w := e.Word
	if len(w) > 20 {
		w = w[:20] + "…"
	}
	return fmt.Sprintf("word %d %q is not a SLIP-39 word", e.Position, w)
}

// Unwrap gives the class ErrBadWord.
func (e *WordError) Unwrap() error { return ErrBadWord }

// ShareError says which of the shares given to Combine could not be decoded.
type ShareError struct {
	Share int // 1-based position of the share in the list given to Combine
	Err   error
}

// Error prefixes the cause with the share's position.
func (e *ShareError) Error() string { return fmt.Sprintf("share %d: %v", e.Share, e.Err) }

// Unwrap gives the cause, so errors.Is(err, ErrBadChecksum) and errors.As(err, *WordError)
// see through the position.
func (e *ShareError) Unwrap() error { return e.Err }

// MismatchError says a share does not belong with the first share given: it has another
// identifier, iteration exponent, group setup or length, so it comes from another backup (or
// another group setup of the same backup).
type MismatchError struct {
	Share int    // 1-based position of the odd share
	Field string // which field differs, as the specification names it
	Want  int    // the value of the first share (or of the group's first share)
	Got   int    // the value of the odd share
}

// Error names the share and the differing field.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("share %d is from another backup: its %s is %d, the others' is %d",
		e.Share, e.Field, e.Got, e.Want)
}

// Unwrap gives the class ErrMismatch.
func (e *MismatchError) Unwrap() error { return ErrMismatch }

// DuplicateShareError says two shares of a group have the same member index.
type DuplicateShareError struct {
	First, Second int // 1-based positions of the two shares
	GroupIndex    int // the group index, as in Share.GroupIndex
	MemberIndex   int // the member index, as in Share.MemberIndex
	Identical     bool
}

// Error tells a share typed twice apart from two different shares claiming one index, which
// means one of them is corrupted or forged.
func (e *DuplicateShareError) Error() string {
	if e.Identical {
		return fmt.Sprintf("share %d is the same as share %d; give each share once", e.Second, e.First)
	}
	return fmt.Sprintf("shares %d and %d are both member %d of group %d but differ; one of them is wrong",
		e.First, e.Second, e.MemberIndex+1, e.GroupIndex+1)
}

// Unwrap gives the class ErrDuplicateShare.
func (e *DuplicateShareError) Unwrap() error { return ErrDuplicateShare }

// NotEnoughSharesError says how many more shares a group needs, or (Group == GroupLevel) how
// many more groups the backup needs.
type NotEnoughSharesError struct {
	Group int // a group index as in Share.GroupIndex, or GroupLevel
	Have  int // shares (or complete groups) given
	Need  int // the threshold
}

// Error says how many more are needed, numbering groups from 1 as users do.
func (e *NotEnoughSharesError) Error() string {
	if e.Group == GroupLevel {
		return fmt.Sprintf("%d of %d required groups given; %d more needed", e.Have, e.Need, e.Need-e.Have)
	}
	return fmt.Sprintf("group %d: %d of %d required shares given; %d more needed",
		e.Group+1, e.Have, e.Need, e.Need-e.Have)
}

// Unwrap gives the class ErrNotEnoughShares.
func (e *NotEnoughSharesError) Unwrap() error { return ErrNotEnoughShares }

// TooManySharesError says a group (or, with Group == GroupLevel, the backup) got more shares
// (groups) than its threshold; SLIP-0039 asks for exactly the threshold.
type TooManySharesError struct {
	Group int // a group index as in Share.GroupIndex, or GroupLevel
	Have  int
	Need  int
}

// Error says how many to leave out.
func (e *TooManySharesError) Error() string {
	if e.Group == GroupLevel {
		return fmt.Sprintf("%d groups given but exactly %d are needed; leave %d out", e.Have, e.Need, e.Have-e.Need)
	}
	return fmt.Sprintf("group %d: %d shares given but exactly %d are needed; leave %d out",
		e.Group+1, e.Have, e.Need, e.Have-e.Need)
}

// Unwrap gives the class ErrTooManyShares.
func (e *TooManySharesError) Unwrap() error { return ErrTooManyShares }
