package netutil

import (
	"net/url"
	"strings"
)

// MaskURL hides the password of a URL (https://user:***@host/api) so it can appear in
// messages. On text that does not parse, everything between the scheme and the last '@' is
// hidden, so no part of an odd password leaks (at worst more than the password is hidden).
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil && u.Opaque == "" {
		if u.User == nil {
			return raw
		}
		// No password, or an empty one: nothing to hide (and masking an empty one would not
		// be idempotent with the text-only path below).
		if pw, has := u.User.Password(); !has || pw == "" {
			return raw
		}
		// The authority follows the first "//" (a scheme holds no '/') and ends, as url.Parse
		// reads it, at the first '/', '?' or '#'; a password holding one of them would not
		// have parsed as a password. Rebuild by hand: url.UserPassword would escape the stars.
		if i := strings.Index(raw, "//"); i >= 0 {
			head, rest := raw[:i+2], raw[i+2:]
			end := len(rest)
			if j := strings.IndexAny(rest, "/?#"); j >= 0 {
				end = j
			}
			auth := rest[:end]
			if at := strings.LastIndex(auth, "@"); at >= 0 {
				user, _, _ := strings.Cut(auth[:at], ":")
				return head + user + ":***" + auth[at:] + rest[end:]
			}
		}
	}
	return maskLoose(raw)
}

// maskLoose hides everything after the first ':' between the first "//" (or the start) and
// the last '@': on text that does not parse, whatever could be a password is in there. It
// finds the same start as the parsed path (the first "//"), so masking twice changes nothing.
func maskLoose(raw string) string {
	start := 0
	if i := strings.Index(raw, "//"); i >= 0 {
		start = i + 2
	}
	at := strings.LastIndex(raw, "@")
	if at < start {
		return raw
	}
	k := strings.IndexByte(raw[start:at], ':')
	if k < 0 {
		return raw
	}
	return raw[:start+k+1] + "***" + raw[at:]
}
