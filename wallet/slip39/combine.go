package slip39

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// Combine recovers the master secret from mnemonic shares and the passphrase. It needs exactly
// the group threshold of groups, each with exactly its member threshold of shares, as
// SLIP-0039 requires; the errors say which share is wrong or how many are missing or extra:
// *ShareError (a share does not decode), *MismatchError (from another backup),
// *DuplicateShareError, *NotEnoughSharesError, *TooManySharesError (several of these two are
// joined with errors.Join when several groups are off), and ErrInvalidDigest.
//
// A wrong passphrase is not an error: it gives a different, valid-looking secret (see the
// package documentation).
func Combine(mnemonics []string, passphrase []byte) ([]byte, error) {
	if len(mnemonics) == 0 {
		return nil, fmt.Errorf("combine: %w: no shares given", ErrNotEnoughShares)
	}
	if err := checkPassphrase(passphrase); err != nil {
		return nil, fmt.Errorf("combine: %w", err)
	}
	shares := make([]*Share, len(mnemonics))
	for i, m := range mnemonics {
		s, err := ParseShare(m)
		if err != nil {
			return nil, fmt.Errorf("combine: %w", &ShareError{Share: i + 1, Err: err})
		}
		shares[i] = s
	}
	defer func() {
		for _, s := range shares {
			clear(s.Value)
		}
	}()
	groups, err := groupShares(shares)
	if err != nil {
		return nil, fmt.Errorf("combine: %w", err)
	}

	first := shares[0]
	groupPoints := make([]point, 0, len(groups))
	defer func() {
		for _, p := range groupPoints {
			clear(p.y)
		}
	}()
	for _, g := range groups {
		points := make([]point, len(g.members))
		for i, m := range g.members {
			points[i] = point{x: byte(shares[m].MemberIndex), y: shares[m].Value}
		}
		secret, err := recoverSecret(g.threshold, points)
		if err != nil {
			return nil, fmt.Errorf("combine: group %d: %w", g.index+1, err)
		}
		groupPoints = append(groupPoints, point{x: byte(g.index), y: secret})
	}
	ems, err := recoverSecret(first.GroupThreshold, groupPoints)
	if err != nil {
		return nil, fmt.Errorf("combine: %w", err)
	}
	defer clear(ems)
	ms, err := decrypt(ems, passphrase, first.IterationExponent, first.Identifier, first.Extendable)
	if err != nil {
		return nil, fmt.Errorf("combine: decrypt: %w", err)
	}
	return ms, nil
}

// shareGroup is the shares of one group, by their position in the input.
type shareGroup struct {
	index     int
	threshold int
	members   []int
}

// groupShares checks that the shares belong to one backup, sorts them into groups and checks
// that exactly the thresholds are met.
func groupShares(shares []*Share) ([]*shareGroup, error) {
	first := shares[0]
	byIndex := map[int]*shareGroup{}
	for i, s := range shares {
		if err := sameBackup(first, s, i+1); err != nil {
			return nil, err
		}
		g, ok := byIndex[s.GroupIndex]
		if !ok {
			g = &shareGroup{index: s.GroupIndex, threshold: s.MemberThreshold}
			byIndex[s.GroupIndex] = g
		}
		if len(g.members) > 0 {
			if lead := shares[g.members[0]]; s.MemberThreshold != lead.MemberThreshold {
				return nil, &MismatchError{Share: i + 1, Field: "member threshold",
					Want: lead.MemberThreshold, Got: s.MemberThreshold}
			}
		}
		for _, m := range g.members {
			if shares[m].MemberIndex == s.MemberIndex {
				return nil, &DuplicateShareError{First: m + 1, Second: i + 1, GroupIndex: s.GroupIndex,
					MemberIndex: s.MemberIndex, Identical: bytes.Equal(shares[m].Value, s.Value)}
			}
		}
		g.members = append(g.members, i)
	}

	groups := make([]*shareGroup, 0, len(byIndex))
	for _, g := range byIndex {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b *shareGroup) int { return a.index - b.index })

	var problems []error
	switch gt := first.GroupThreshold; {
	case len(groups) < gt:
		problems = append(problems, &NotEnoughSharesError{Group: GroupLevel, Have: len(groups), Need: gt})
	case len(groups) > gt:
		problems = append(problems, &TooManySharesError{Group: GroupLevel, Have: len(groups), Need: gt})
	}
	for _, g := range groups {
		switch {
		case len(g.members) < g.threshold:
			problems = append(problems, &NotEnoughSharesError{Group: g.index, Have: len(g.members), Need: g.threshold})
		case len(g.members) > g.threshold:
			problems = append(problems, &TooManySharesError{Group: g.index, Have: len(g.members), Need: g.threshold})
		}
	}
	if len(problems) == 1 {
		return nil, problems[0]
	}
	if len(problems) > 1 {
		return nil, errors.Join(problems...)
	}
	return groups, nil
}

// sameBackup checks that share s (at 1-based position pos) has the backup-wide fields of the
// first share.
func sameBackup(first, s *Share, pos int) error {
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	for _, f := range []struct {
		name      string
		want, got int
	}{
		{"identifier", int(first.Identifier), int(s.Identifier)},
		{"extendable flag", b2i(first.Extendable), b2i(s.Extendable)},
		{"iteration exponent", first.IterationExponent, s.IterationExponent},
		{"group threshold", first.GroupThreshold, s.GroupThreshold},
		{"group count", first.GroupCount, s.GroupCount},
		{"length in bytes", len(first.Value), len(s.Value)},
	} {
		if f.want != f.got {
			return &MismatchError{Share: pos, Field: f.name, Want: f.want, Got: f.got}
		}
	}
	return nil
}
