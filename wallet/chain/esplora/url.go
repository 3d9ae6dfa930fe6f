package esplora

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// ErrBadURL marks a server URL or option that cannot be used (the CLI's usage error).
var ErrBadURL = netutil.ErrBadURL

// endpoint is a parsed base URL: where requests go and how to log in.
type endpoint struct {
	// base is scheme://host[:port]/path without the login and without a trailing slash.
	base       string
	user, pass string
	hasLogin   bool
	host       string
}

// CheckURL says whether raw can name an Esplora server, without connecting; its error never
// contains the password.
func CheckURL(raw string) error {
	_, err := parseURL(raw)
	return err
}

// parseURL reads https://[USER:PASS@]HOST[:PORT]/PATH, or http:// for a loopback or .onion
// host: plain HTTP elsewhere would show every address the wallet asks about to anyone on the
// way.
func parseURL(raw string) (endpoint, error) {
	masked := netutil.MaskURL(raw)
	fail := func(why string) (endpoint, error) {
		return endpoint{}, fmt.Errorf("%w %q: %s", ErrBadURL, masked, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fail("not a URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fail("an Esplora URL starts with https:// (for example https://blockstream.info/api)")
	}
	if u.Opaque != "" || u.Host == "" {
		return fail("write https://HOST/PATH")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fail("an Esplora URL has no ?options or #fragment")
	}
	host := u.Hostname()
	if host == "" {
		return fail("missing host")
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil || p == "0" {
			return fail("bad port")
		}
	}
	if u.Scheme == "http" && !netutil.IsLoopback(host) && !netutil.IsOnion(host) {
		return fail("plain http would let anyone on the way read which addresses are yours: " +
			"use https (http is only allowed for this machine and for .onion services)")
	}
	e := endpoint{host: host}
	if u.User != nil {
		e.user = u.User.Username()
		e.pass, _ = u.User.Password()
		e.hasLogin = true
	}
	clean := url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimRight(u.Path, "/"),
		RawPath: strings.TrimRight(u.RawPath, "/")}
	e.base = clean.String()
	return e, nil
}
