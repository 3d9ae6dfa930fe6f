package esplora

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

func TestThroughSOCKS5ToAnOnion(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	r.chain.Mine(2)
	target := strings.TrimPrefix(r.url, "http://")
	p := socks5test.Start(t, func(string, uint16) string { return target })
	onion := strings.Repeat("b", 56) + ".onion"
	b, err := newBackend("http://"+onion+":3000", paramsFor(t, r.chain), options{Proxy: p.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tip, err := b.Tip(ctx)
	if err != nil || tip.Height != 2 {
		t.Fatalf("Tip through the proxy = %+v, %v", tip, err)
	}
	reqs := p.Requests()
	if len(reqs) == 0 || reqs[0].AddrType != 3 || reqs[0].Host != onion || reqs[0].Port != 3000 {
		t.Fatalf("proxy saw %+v", reqs)
	}
}

func TestURLRules(t *testing.T) {
	for _, tc := range []struct {
		url, proxy string
		ok         bool
		want       string // in the error
	}{
		{"https://blockstream.info/api", "", true, ""},
		{"https://mempool.space/testnet/api/", "", true, ""},
		{"https://user:pw@esplora.example:8443/api", "", true, ""},
		{"http://127.0.0.1:3002", "", true, ""},
		{"http://localhost:3002/api", "", true, ""},
		{"http://[::1]:3002", "", true, ""},
		{"http://esplora.example/api", "", false, "plain http"},
		{"http://192.168.1.10:3002", "", false, "plain http"},
		{"http://" + strings.Repeat("c", 56) + ".onion/api", "", false, "through Tor"},
		{"http://" + strings.Repeat("c", 56) + ".onion/api", "socks5://127.0.0.1:9050", true, ""},
		{"ftp://esplora.example", "", false, "https://"},
		{"esplora.example/api", "", false, "https://"},
		{"https://esplora.example/api?x=1", "", false, "no ?options"},
		{"https://esplora.example/api#frag", "", false, "no ?options"},
		{"https://:443/api", "", false, "missing host"},
		{"https://esplora.example:0/api", "", false, "bad port"},
		{"https://esplora.example/api", "http://proxy:1", false, "socks5"},
		{"http://user:hunter2@esplora.example/api", "", false, "plain http"},
	} {
		_, err := newBackend(tc.url, nil, options{Proxy: tc.proxy})
		if (err == nil) != tc.ok {
			t.Errorf("newBackend(%q, proxy %q): err = %v, want ok=%v", tc.url, tc.proxy, err, tc.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("newBackend(%q): %v, want ErrBadURL saying %q", tc.url, err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("newBackend(%q): the error shows the password", tc.url)
			}
		}
	}
}
