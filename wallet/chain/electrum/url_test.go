package electrum

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

func TestThroughSOCKS5ToAnOnion(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	c.Mine(3)
	s := electrumtest.Start(t, c)
	p := socks5test.Start(t, func(string, uint16) string { return s.Addr() })
	onion := strings.Repeat("d", 56) + ".onion"
	b, err := dial(ctx, "electrum://"+onion+":50001", paramsFor(t, c), options{Proxy: p.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if tip, err := b.Tip(ctx); err != nil || tip.Height != 3 {
		t.Fatalf("Tip through the proxy = %+v, %v", tip, err)
	}
	reqs := p.Requests()
	if len(reqs) != 1 || reqs[0].AddrType != 3 || reqs[0].Host != onion || reqs[0].Port != 50001 {
		t.Fatalf("proxy saw %+v", reqs)
	}
}

func TestURLRules(t *testing.T) {
	for _, tc := range []struct {
		url, proxy string
		want       string // "" when it parses
	}{
		{"electrums://electrum.example:50002", "", ""},
		{"electrum://127.0.0.1:50001", "", ""},
		{"electrums://[::1]:50002?cert=/tmp/c.pem", "", ""},
		{"electrum://" + strings.Repeat("e", 56) + ".onion:50001", "socks5://127.0.0.1:9050", ""},
		{"electrum://" + strings.Repeat("e", 56) + ".onion:50001", "", "through Tor"},
		{"electrum://electrum.example", "", "missing port"},
		{"electrum://electrum.example:0", "", "port out of range"},
		{"tcp://electrum.example:50001", "", "electrums://HOST:PORT"},
		{"electrum://user:pw@electrum.example:50001", "", "no login"},
		{"electrum://electrum.example:50001/path", "", "no path"},
		{"electrum://electrum.example:50001?cert=/x.pem", "", "only used with electrums"},
		{"electrums://electrum.example:50002?cert=", "", "needs a file path"},
		{"electrums://electrum.example:50002?tls=1", "", "unknown option"},
		{"electrums://electrum.example:50002?cert=a&cert=b", "", "more than once"},
		{"electrums://:50002", "", "missing host"},
	} {
		_, err := parseURL(tc.url)
		if err == nil && tc.proxy == "" && strings.Contains(tc.url, ".onion") {
			_, err = dial(context.Background(), tc.url, nil, options{})
		}
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.url, err)
			}
			continue
		}
		if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want ErrBadURL saying %q", tc.url, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%q: the error shows the password", tc.url)
		}
	}
}
