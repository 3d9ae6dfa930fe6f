package backends_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	_ "github.com/satchel-wallet/satchel/wallet/chain/backends"
)

// Every built-in kind is registered under its schemes, and says what it learns.
func TestEveryBuiltInBackendIsRegistered(t *testing.T) {
	for _, tc := range []struct{ url, kind string }{
		{"btcd://u:p@127.0.0.1:8334", "btcd"},
		{"https://mempool.space/api", "esplora"},
		{"http://127.0.0.1:3000", "esplora"},
		{"electrum://127.0.0.1:50001", "electrum"},
		{"electrums://h.example:50002", "electrum"},
		{"ELECTRUMS://h.example:50002", "electrum"},
	} {
		d, err := chain.Lookup(tc.url)
		if err != nil || d.Kind != tc.kind || d.Learns == "" || d.Open == nil || d.Check == nil {
			t.Errorf("Lookup(%q) = %+v, %v; want kind %s with Open, Check and Learns", tc.url, d.Kind, err, tc.kind)
			continue
		}
		if err := chain.CheckURL(tc.url); err != nil {
			t.Errorf("CheckURL(%q): %v", tc.url, err)
		}
	}
}

// Whatever the URL, checking it never panics, and its errors are usage errors that never show
// the password: the URL's own, as url.Parse reads it, or, in a URL that does not parse, the
// text of a "SCHEME://USER:" ... "@" form.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"btcd://u:%s@127.0.0.1:1", "https://u:%s@x/api", "electrums://u:%s@h:1",
		"ftp://u:%s@x", "btcd://u:%s@[::1", "http://u:%s%@x/api", "%s", "p2p://u:%s@h:8333"} {
		f.Add(s)
	}
	const secret = "Zq9hunter2Zq9"
	f.Fuzz(func(t *testing.T, form string) {
		raw := strings.ReplaceAll(form, "%s", secret)
		err := chain.CheckURL(raw)
		if err == nil {
			return
		}
		isPassword := false
		if u, perr := url.Parse(raw); perr == nil {
			pw, _ := u.User.Password()
			isPassword = pw == secret && strings.Count(form, "%s") == 1
		} else {
			scheme, rest, ok := strings.Cut(form, "://")
			user, tail, _ := strings.Cut(rest, ":")
			isPassword = ok && !strings.ContainsAny(scheme+user, "/?#@:%") && strings.HasPrefix(tail, "%s") &&
				strings.Count(form, "%s") == 1 && strings.Contains(tail, "@")
		}
		if isPassword && strings.Contains(err.Error(), secret) {
			t.Fatalf("CheckURL(%q) shows the password: %v", raw, err)
		}
		if _, lerr := chain.Lookup(raw); lerr != nil && !errors.Is(lerr, chain.ErrBadURL) {
			t.Fatalf("Lookup(%q): %v is not a usage error", raw, lerr)
		}
	})
}
