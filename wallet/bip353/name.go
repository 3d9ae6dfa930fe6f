package bip353

import (
	"errors"
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// ErrBadName marks text that is not a BIP353 name.
var ErrBadName = errors.New("not a BIP353 name")

// Name is a BIP353 name: user@domain.
type Name struct{ User, Domain string }

// String is the name as BIP353 writes it, with the ₿ prefix.
func (n Name) String() string { return "₿" + n.User + "@" + n.Domain }

// QName is the DNS name holding the payment instructions.
func (n Name) QName() string { return dns.Fqdn(n.User + ".user._bitcoin-payment." + n.Domain) }

// Looks says whether s is meant as a BIP353 name: "₿user@domain", or "user@domain" (no
// address or URI contains '@').
func Looks(s string) bool {
	s = strings.TrimPrefix(s, "₿")
	i := strings.IndexByte(s, '@')
	return i > 0 && i < len(s)-1 && !strings.HasPrefix(strings.ToLower(s), "bitcoin:")
}

// ParseName reads "₿user@domain" or "user@domain". Both parts must be valid DNS labels (the
// domain one or more of them); the name is compared case-insensitively, so it is lowered.
func ParseName(s string) (Name, error) {
	t := strings.TrimPrefix(s, "₿")
	user, domain, ok := strings.Cut(t, "@")
	if !ok || user == "" || domain == "" || strings.Contains(domain, "@") {
		return Name{}, fmt.Errorf("%w: %s: write user@domain", ErrBadName, quoteCut(s))
	}
	domain = strings.TrimSuffix(domain, ".")
	n := Name{User: strings.ToLower(user), Domain: strings.ToLower(domain)}
	for _, l := range append([]string{n.User}, strings.Split(n.Domain, ".")...) {
		switch {
		case l == "":
			return Name{}, fmt.Errorf("%w: %s: a part of it is empty (two dots in a row?): check for a typo", ErrBadName, quoteCut(s))
		case len(l) > 63:
			return Name{}, fmt.Errorf("%w: %s: %s is longer than a DNS label's 63 characters: check for a typo", ErrBadName, quoteCut(s), quoteCut(l))
		case !label(l):
			return Name{}, fmt.Errorf("%w: %s: %s is not a DNS label (letters, digits, - and _, not starting or ending with -)", ErrBadName, quoteCut(s), quoteCut(l))
		}
	}
	if !strings.Contains(n.Domain, ".") {
		return Name{}, fmt.Errorf("%w: %s: the domain needs a dot", ErrBadName, quoteCut(s))
	}
	if _, ok := dns.IsDomainName(n.QName()); !ok || len(n.QName()) > 253 {
		return Name{}, fmt.Errorf("%w: %s: too long for DNS (253 characters at most)", ErrBadName, quoteCut(s))
	}
	return n, nil
}

func label(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// quoteCut quotes the user's text for an error, cut short so a pasted page cannot flood it.
func quoteCut(s string) string { return clip.Quote(s, 40) }
