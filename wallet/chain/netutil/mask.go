package netutil

import (
	"net/url"
	"strings"
)

// MaskURL hides the password of a URL (https://user:***@host/api) so it can appear in
// messages. On text that does not parse, everything between the scheme and the last '@' before
// the path is hidden, so no part of an odd password leaks.
func MaskURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Opaque == "" {
		if u.User == nil {
			return raw
		}
		if _, has := u.User.Password(); !has {
			return raw
		}
		// Rebuild by hand: url.UserPassword would percent-encode the stars.
		scheme, rest, _ := strings.Cut(raw, "://")
		at := authorityEnd(rest)
		auth := rest[:at]
		i := strings.LastIndex(auth, "@")
		user, _, _ := strings.Cut(auth[:i], ":")
		return scheme + "://" + user + ":***" + auth[i:] + rest[at:]
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	// The authority cannot be told apart reliably: hide up to the last '@' of the string.
	i := strings.LastIndex(rest, "@")
	if i < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:i], ":")
	if !hasPass {
		return raw
	}
	if ok {
		return scheme + "://" + user + ":***" + rest[i:]
	}
	return user + ":***" + rest[i:]
}

// authorityEnd is where the authority of rest (a URL after "scheme://") ends, as url.Parse
// reads it: at the first '/', '?' or '#'. A password containing one of them does not parse as
// a password, so this is only called when the password holds none.
func authorityEnd(rest string) int {
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		return i
	}
	return len(rest)
}
