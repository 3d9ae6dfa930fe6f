package p2p

import (
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestOpenRefusesWhatItCannotHonour(t *testing.T) {
	tests := []struct {
		name string
		url  string
		o    chain.Options
		want string
	}{
		{"no network", "p2p://127.0.0.1:1", chain.Options{}, "no network"},
		{"regtest has no DNS seeds", "p2p://", chain.Options{Net: &chaincfg.RegressionNetParams}, "no DNS seeds"},
		{"seeds through a proxy would leak the lookup", "p2p://", chain.Options{Net: &chaincfg.MainNetParams, Proxy: "socks5://127.0.0.1:9050"}, "name the peers"},
		{"an onion peer needs the proxy", "p2p://abc.onion", chain.Options{Net: &chaincfg.MainNetParams}, "--proxy"},
		{"a bad proxy", "p2p://127.0.0.1:1", chain.Options{Net: &chaincfg.MainNetParams, Proxy: "http://x"}, "SOCKS5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.url, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if tc.o.Net != nil && !errors.Is(err, netutil.ErrBadURL) {
				t.Fatalf("error %v does not wrap ErrBadURL (the CLI's usage error)", err)
			}
		})
	}
	b, err := New("p2p://", chain.Options{Net: &chaincfg.MainNetParams})
	if err != nil || !strings.Contains(b.Name(), "DNS seeds") {
		t.Fatalf("mainnet seeds: %v, %v", b, err)
	}
}
