package wallet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/satchel-wallet/satchel/wallet/slip39"
)

// ShareSet gathers the SLIP-39 shares of one backup as a user gives them, one at a time, so a
// prompt can say after each how many more are needed and stop as soon as there are enough.
// A share from another backup, one that does not decode, or a second different share with the
// same member index is refused with slip39's typed errors, numbered by the order shares were
// given (counting refused ones), and leaves the set as it was.
type ShareSet struct {
	given  int
	first  *slip39.Share
	groups map[int]*shareGroup
}

type shareGroup struct {
	threshold int
	members   map[int]string // member index -> normalised mnemonic
	given     map[int]int    // member index -> position the share was given at
}

// ShareAdded describes a share ShareSet.Add took.
type ShareAdded struct {
	Group, GroupCount, GroupThreshold int // Group is 1-based
	Member, MemberThreshold           int // Member is 1-based
	// Repeat is set when the very same share was given before: nothing changed.
	Repeat bool
	// Unneeded is set when the share's group already had enough shares: it is not used.
	Unneeded bool
}

// Add decodes one share and adds it to the set.
func (s *ShareSet) Add(mnemonic string) (ShareAdded, error) {
	s.given++
	pos := s.given
	sh, err := slip39.ParseShare(mnemonic)
	if err != nil {
		return ShareAdded{}, &slip39.ShareError{Share: pos, Err: err}
	}
	defer clear(sh.Value) // the set keeps the mnemonic and the length, not the value
	norm, err := sh.Encode()
	if err != nil {
		return ShareAdded{}, &slip39.ShareError{Share: pos, Err: err}
	}
	if s.first != nil {
		if err := sameBackup(s.first, sh, pos); err != nil {
			return ShareAdded{}, err
		}
	}
	g := s.groups[sh.GroupIndex]
	if g != nil && g.threshold != sh.MemberThreshold {
		return ShareAdded{}, &slip39.MismatchError{Share: pos, Field: "member threshold", Want: g.threshold, Got: sh.MemberThreshold}
	}
	added := ShareAdded{Group: sh.GroupIndex + 1, GroupCount: sh.GroupCount, GroupThreshold: sh.GroupThreshold,
		Member: sh.MemberIndex + 1, MemberThreshold: sh.MemberThreshold}
	if g != nil {
		if prev, ok := g.members[sh.MemberIndex]; ok {
			if prev == norm {
				added.Repeat = true
				return added, nil
			}
			return ShareAdded{}, &slip39.DuplicateShareError{First: g.given[sh.MemberIndex], Second: pos,
				GroupIndex: sh.GroupIndex, MemberIndex: sh.MemberIndex}
		}
		if len(g.members) >= g.threshold {
			added.Unneeded = true
			return added, nil
		}
	}
	if s.first == nil {
		s.first = sh
		s.groups = map[int]*shareGroup{}
	}
	if g == nil {
		g = &shareGroup{threshold: sh.MemberThreshold, members: map[int]string{}, given: map[int]int{}}
		s.groups[sh.GroupIndex] = g
	}
	g.members[sh.MemberIndex] = norm
	g.given[sh.MemberIndex] = pos
	return added, nil
}

// sameBackup checks that share sh (given at position pos) has the backup-wide fields of first.
func sameBackup(first, sh *slip39.Share, pos int) error {
	b2i := map[bool]int{false: 0, true: 1}
	for _, f := range []struct {
		name      string
		want, got int
	}{
		{"identifier", int(first.Identifier), int(sh.Identifier)},
		{"extendable flag", b2i[first.Extendable], b2i[sh.Extendable]},
		{"iteration exponent", first.IterationExponent, sh.IterationExponent},
		{"group threshold", first.GroupThreshold, sh.GroupThreshold},
		{"group count", first.GroupCount, sh.GroupCount},
		{"length in bytes", len(first.Value), len(sh.Value)},
	} {
		if f.want != f.got {
			return &slip39.MismatchError{Share: pos, Field: f.name, Want: f.want, Got: f.got}
		}
	}
	return nil
}

// Given is how many shares Add was called with, refused ones included.
func (s *ShareSet) Given() int { return s.given }

// complete lists the groups that have their threshold of shares, by index.
func (s *ShareSet) complete() []int {
	var out []int
	for i, g := range s.groups {
		if len(g.members) >= g.threshold {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// Complete reports whether the set has enough shares to recover the secret.
func (s *ShareSet) Complete() bool {
	return s.first != nil && len(s.complete()) >= s.first.GroupThreshold
}

// Needed is the fewest further shares that could complete the set, counting only the groups
// already started; more means shares of groups not yet seen are needed too (their thresholds
// are unknown until a share of theirs is given). Before the first share it is (0, true).
func (s *ShareSet) Needed() (shares int, more bool) {
	if s.first == nil {
		return 0, true
	}
	missing := s.first.GroupThreshold - len(s.complete())
	if missing <= 0 {
		return 0, false
	}
	var deficits []int
	for _, g := range s.groups {
		if d := g.threshold - len(g.members); d > 0 {
			deficits = append(deficits, d)
		}
	}
	slices.Sort(deficits)
	for i := 0; i < len(deficits) && i < missing; i++ {
		shares += deficits[i]
	}
	return shares, len(deficits) < missing
}

// Progress says in words how far the set is, for a prompt or an error: "2 of 3 shares given;
// 1 more needed", or per group for backups with several groups.
func (s *ShareSet) Progress() string {
	if s.first == nil {
		return "no shares given yet"
	}
	if s.first.GroupCount == 1 {
		g := s.groups[0]
		have, need := len(g.members), g.threshold
		if have >= need {
			return fmt.Sprintf("%d of %d shares given; that is enough", have, need)
		}
		return fmt.Sprintf("%d of %d shares given; %d more needed", have, need, need-have)
	}
	var parts []string
	for _, i := range s.sortedGroups() {
		g := s.groups[i]
		parts = append(parts, fmt.Sprintf("group %d has %d of %d", i+1, min(len(g.members), g.threshold), g.threshold))
	}
	done := len(s.complete())
	msg := fmt.Sprintf("%d of %d groups complete (%s)", min(done, s.first.GroupThreshold), s.first.GroupThreshold,
		strings.Join(parts, ", "))
	if n, more := s.Needed(); n > 0 || more {
		switch {
		case more && n > 0:
			msg += fmt.Sprintf("; at least %d more shares needed, some from groups not given yet", n+1)
		case more:
			msg += "; shares from another group are needed"
		default:
			msg += fmt.Sprintf("; %d more needed", n)
		}
	}
	return msg
}

func (s *ShareSet) sortedGroups() []int {
	var idx []int
	for i := range s.groups {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	return idx
}

// NotEnough is the error for input that ended before the set was complete; it matches
// slip39.ErrNotEnoughShares and says what is missing.
func (s *ShareSet) NotEnough() error {
	return fmt.Errorf("%w: %s", slip39.ErrNotEnoughShares, s.Progress())
}

// Recover combines exactly the threshold of shares of exactly the threshold of groups and
// decrypts the master secret with the SLIP-39 passphrase. A wrong passphrase gives another
// secret (SLIP-39 cannot tell); shares that do not fit together give slip39.ErrInvalidDigest.
func (s *ShareSet) Recover(passphrase []byte) ([]byte, error) {
	if !s.Complete() {
		return nil, s.NotEnough()
	}
	var mnemonics []string
	for _, gi := range s.complete()[:s.first.GroupThreshold] {
		g := s.groups[gi]
		var members []int
		for m := range g.members {
			members = append(members, m)
		}
		slices.Sort(members)
		for _, m := range members[:g.threshold] {
			mnemonics = append(mnemonics, g.members[m])
		}
	}
	return slip39.Combine(mnemonics, passphrase)
}
