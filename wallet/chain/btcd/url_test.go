package btcd_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  string
		want btcd.Config
	}{
		{"plain loopback", "btcd://user:pass@127.0.0.1:18443",
			btcd.Config{User: "user", Pass: "pass", Host: "127.0.0.1:18443"}},
		{"trailing slash", "btcd://user:pass@127.0.0.1:18443/",
			btcd.Config{User: "user", Pass: "pass", Host: "127.0.0.1:18443"}},
		{"tls with cert", "btcd://u:p@node.example:8334?tls=1&cert=/home/me/.btcd/rpc.cert",
			btcd.Config{User: "u", Pass: "p", Host: "node.example:8334", TLS: true,
				CertPath: "/home/me/.btcd/rpc.cert"}},
		{"tls true without cert on loopback", "btcd://u:p@localhost:8334?tls=true",
			btcd.Config{User: "u", Pass: "p", Host: "localhost:8334", TLS: true}},
		{"plain to an onion service", "btcd://u:p@abcdefghijklmnop.onion:8334",
			btcd.Config{User: "u", Pass: "p", Host: "abcdefghijklmnop.onion:8334"}},
		{"tls off said out loud", "btcd://u:p@127.0.0.1:1?tls=0",
			btcd.Config{User: "u", Pass: "p", Host: "127.0.0.1:1"}},
		{"ipv6 host", "btcd://u:p@[::1]:18334",
			btcd.Config{User: "u", Pass: "p", Host: "[::1]:18334"}},
		{"escaped password", "btcd://u:p%40ss%3Aw%2Fd@127.0.0.1:18334",
			btcd.Config{User: "u", Pass: "p@ss:w/d", Host: "127.0.0.1:18334"}},
		{"cert path with at sign", "btcd://u:p@h:1?tls=1&cert=/a@b/rpc.cert",
			btcd.Config{User: "u", Pass: "p", Host: "h:1", TLS: true, CertPath: "/a@b/rpc.cert"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := btcd.ParseURL(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			again, err := btcd.ParseURL(got.String())
			if err != nil || again != got {
				t.Fatalf("round trip through %q: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseURLRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  string
		why  string
	}{
		{"wrong scheme", "http://u:secretpw@127.0.0.1:1", "scheme"},
		{"no scheme", "u:secretpw@127.0.0.1:1", "scheme"},
		{"no user", "btcd://:secretpw@127.0.0.1:1", "user"},
		{"no userinfo", "btcd://127.0.0.1:1", "user"},
		{"no password", "btcd://u@127.0.0.1:1", "password"},
		{"empty password", "btcd://u:@127.0.0.1:1", "password"},
		{"no port", "btcd://u:secretpw@127.0.0.1", "port"},
		{"port zero", "btcd://u:secretpw@127.0.0.1:0", "port"},
		{"port too big", "btcd://u:secretpw@127.0.0.1:65536", "port"},
		{"no host", "btcd://u:secretpw@:1", "host"},
		{"a path", "btcd://u:secretpw@127.0.0.1:1/wallet", "path"},
		{"unknown option", "btcd://u:secretpw@127.0.0.1:1?tsl=1", "unknown option"},
		{"tls neither 0 nor 1", "btcd://u:secretpw@127.0.0.1:1?tls=yes", "tls"},
		{"option twice", "btcd://u:secretpw@127.0.0.1:1?tls=1&tls=0", "more than once"},
		{"cert without tls", "btcd://u:secretpw@127.0.0.1:1?cert=/x", "only used with tls"},
		{"empty cert", "btcd://u:secretpw@127.0.0.1:1?tls=1&cert=", "file path"},
		{"unescaped slash in password", "btcd://u:secret/pw@127.0.0.1:1", ""},
		{"fragment", "btcd://u:secretpw@127.0.0.1:1#x", "fragment"},
		{"plain HTTP to another host", "btcd://u:secretpw@node.example:8334", "tls=1&cert=PATH"},
		{"plain HTTP to a LAN address", "btcd://u:secretpw@192.168.1.5:8334?tls=0", "plain HTTP"},
		{"TLS to another host without a pinned certificate", "btcd://u:secretpw@node.example:8334?tls=1", "pinned"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := btcd.ParseURL(tc.raw)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, btcd.ErrBadURL) {
				t.Errorf("error does not wrap ErrBadURL: %v", err)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("error %q does not say %q", err, tc.why)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
}

func TestMaskURL(t *testing.T) {
	for _, tc := range []struct {
		name, raw, want string
	}{
		{"plain", "btcd://user:pass@127.0.0.1:18443", "btcd://user:***@127.0.0.1:18443"},
		{"with options", "btcd://u:p@h:1?tls=1&cert=/c", "btcd://u:***@h:1?tls=1&cert=/c"},
		// Over-masking is the price of never showing a password with a raw '@'.
		{"at sign in cert path", "btcd://u:p@h:1?tls=1&cert=/a@b", "btcd://u:***@b"},
		{"no password", "btcd://user@h:1", "btcd://user@h:1"},
		{"no userinfo", "btcd://h:1", "btcd://h:1"},
		{"colon in password", "btcd://u:pa:ss@h:1", "btcd://u:***@h:1"},
		{"raw at in password", "btcd://u:p@ss@h:1", "btcd://u:***@h:1"},
		{"raw slash and at in password (malformed)", "btcd://u:se/cr@et@h:1", "btcd://u:***@h:1"},
		{"raw question mark in password (malformed)", "btcd://u:se?cr@et@h:1", "btcd://u:***@h:1"},
		{"no scheme", "u:secret@h:1", "u:***@h:1"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := btcd.MaskURL(tc.raw); got != tc.want {
				t.Fatalf("MaskURL(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"btcd://user:pass@127.0.0.1:18443",
		"btcd://u:p@node.example:8334?tls=1&cert=/home/me/.btcd/rpc.cert",
		"btcd://u:p%40ss@[::1]:18334/",
		"btcd://u:p@ss@h:1",
		"btcd://u:se/cr@et@h:1?tls=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		masked := btcd.MaskURL(raw)
		c, err := btcd.ParseURL(raw)
		if err != nil {
			return
		}
		// A password that appears exactly once must be gone from the masked form.
		if len(c.Pass) >= 3 && strings.Count(raw, c.Pass) == 1 && strings.Contains(masked, c.Pass) {
			t.Fatalf("MaskURL(%q) = %q shows the password %q", raw, masked, c.Pass)
		}
		again, err := btcd.ParseURL(c.String())
		if err != nil {
			t.Fatalf("%q parsed, its String %q does not: %v", raw, c.String(), err)
		}
		if again != c {
			t.Fatalf("round trip of %q: %+v then %+v", raw, c, again)
		}
	})
}

func FuzzMaskURL(f *testing.F) {
	f.Add("user", "pass", "127.0.0.1:18443")
	f.Add("u", "p@s/s?x#y", "h:1")
	f.Add("0", "@00", "00")
	f.Add("0", "0#0", "0")
	f.Add("0", "@0#", "0")
	f.Add("0", "@0?", "0")
	f.Fuzz(func(t *testing.T, user, pass, host string) {
		if strings.ContainsAny(user, ":@") || strings.Contains(host, "@") {
			return
		}
		// Whatever the password holds, exactly it is replaced.
		raw := "btcd://" + user + ":" + pass + "@" + host
		want := "btcd://" + user + ":***@" + host
		if got := btcd.MaskURL(raw); got != want {
			t.Fatalf("MaskURL(%q) = %q, want %q", raw, got, want)
		}
	})
}
