package netutil_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestMaskURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://blockstream.info/api", "https://blockstream.info/api"},
		{"https://user:secret@esplora.example/api", "https://user:***@esplora.example/api"},
		{"https://user:se%40cret@esplora.example/api?x=1", "https://user:***@esplora.example/api?x=1"},
		{"https://user@esplora.example/api", "https://user@esplora.example/api"},
		{"electrums://host:50002?cert=/home/me/a@b.pem", "electrums://host:50002?cert=/home/me/a@b.pem"},
		{"https://user:p@ss word@host/api", "https://user:***@host/api"},
		{"user:secret@host", "user:***@host"},
		{"", ""},
	} {
		if got := netutil.MaskURL(tc.in); got != tc.want {
			t.Errorf("MaskURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzMaskURL: masking never panics, is idempotent, and a password url.Parse finds is gone.
func FuzzMaskURL(f *testing.F) {
	for _, s := range []string{
		"https://user:secret@esplora.example/api", "http://a:b@[::1]:3000/x?y#z",
		"electrum://host:50001", "https://u:p@h@h2/api", "%zz://a:b@c", "a:b@c/d@e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := netutil.MaskURL(s)
		if again := netutil.MaskURL(m); again != m {
			t.Fatalf("MaskURL not idempotent: %q -> %q -> %q", s, m, again)
		}
		u, err := url.Parse(s)
		if err != nil || u.User == nil {
			return
		}
		pw, ok := u.User.Password()
		if !ok || len(pw) < 4 || strings.Contains(m, "***"+pw) {
			return
		}
		if mu, err := url.Parse(m); err == nil && mu.User != nil {
			if got, _ := mu.User.Password(); got == pw {
				t.Fatalf("MaskURL(%q) = %q still carries the password", s, m)
			}
		}
	})
}
