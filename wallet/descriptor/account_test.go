package descriptor

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func abandonAccount(t *testing.T, p keys.Purpose, net *chaincfg.Params) *keys.Account {
	t.Helper()
	m, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), net)
	if err != nil {
		t.Fatal(err)
	}
	a, err := keys.DeriveAccount(m, p, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The account xpubs of the BIP86 and BIP84 test vectors (the BIP84 zpub with xpub version
// bytes), and multipath descriptors with checksums published independently of satchel
// (a third-party wallet's test suite found with a code search).
const (
	bip86Xpub = "xpub6BgBgsespWvERF3LHQu6CnqdvfEvtMcQjYrcRzx53QJjSxarj2afYWcLteoGVky7D3UKDP9QyrLprQ3VCECoY49yfdDEHGCtMMj92pReUsQ"
	bip84Xpub = "xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3rAPshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6V"

	publishedTrMultipath   = "tr([73c5da0a/86h/0h/0h]" + bip86Xpub + "/<0;1>/*)#xf07c0qd"
	publishedWpkhMultipath = "wpkh([73c5da0a/84h/0h/0h]" + bip84Xpub + "/<0;1>/*)#qf45pmyh"
)

func TestForAccountKnownDescriptors(t *testing.T) {
	net := &chaincfg.MainNetParams
	tr := abandonAccount(t, keys.BIP86, net)
	wpkh := abandonAccount(t, keys.BIP84, net)

	if got := ForAccountMultipath(tr); got != publishedTrMultipath {
		t.Errorf("tr multipath:\n got %s\nwant %s", got, publishedTrMultipath)
	}
	if got := ForAccountMultipath(wpkh); got != publishedWpkhMultipath {
		t.Errorf("wpkh multipath:\n got %s\nwant %s", got, publishedWpkhMultipath)
	}
	for _, tt := range []struct {
		a     *keys.Account
		chain uint32
		body  string
	}{
		{tr, 0, "tr([73c5da0a/86h/0h/0h]" + bip86Xpub + "/0/*)"},
		{tr, 1, "tr([73c5da0a/86h/0h/0h]" + bip86Xpub + "/1/*)"},
		{wpkh, 0, "wpkh([73c5da0a/84h/0h/0h]" + bip84Xpub + "/0/*)"},
		{wpkh, 1, "wpkh([73c5da0a/84h/0h/0h]" + bip84Xpub + "/1/*)"},
	} {
		want, err := AddChecksum(tt.body)
		if err != nil {
			t.Fatal(err)
		}
		if got := ForAccount(tt.a, tt.chain); got != want {
			t.Errorf("ForAccount chain %d:\n got %s\nwant %s", tt.chain, got, want)
		}
	}
}

func TestForAccountScriptsMatchVectors(t *testing.T) {
	net := &chaincfg.MainNetParams
	// BIP86 vectors: m/86'/0'/0'/0/0, /0/1 and /1/0.
	tr := abandonAccount(t, keys.BIP86, net)
	d, err := Parse(ForAccountMultipath(tr))
	if err != nil {
		t.Fatal(err)
	}
	parts := d.Split()
	want := []struct {
		chain, index int
		script       string
	}{
		{0, 0, "5120a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c"},
		{0, 1, "5120a82f29944d65b86ae6b5e5cc75e294ead6c59391a1edc5e016e3498c67fc7bbb"},
		{1, 0, "5120882d74e5d0572d5a816cef0041a96b6c1de832f6f9676d9605c44d5e9a97d3dc"},
	}
	for _, w := range want {
		got, err := parts[w.chain].ScriptAt(uint32(w.index))
		if err != nil || hex.EncodeToString(got) != w.script {
			t.Errorf("tr %d/%d: %x, %v; want %s", w.chain, w.index, got, err, w.script)
		}
	}
}

func TestForAccountRoundTripsEveryPurpose(t *testing.T) {
	for _, net := range []*chaincfg.Params{&chaincfg.MainNetParams, &chaincfg.TestNet3Params} {
		for _, p := range []keys.Purpose{keys.BIP44, keys.BIP49, keys.BIP84, keys.BIP86} {
			a := abandonAccount(t, p, net)
			for chain := uint32(0); chain < 2; chain++ {
				s := ForAccount(a, chain)
				prefix := map[keys.Purpose]string{keys.BIP44: "pkh([73c5da0a/44h/", keys.BIP49: "sh(wpkh([73c5da0a/49h/",
					keys.BIP84: "wpkh([73c5da0a/84h/", keys.BIP86: "tr([73c5da0a/86h/"}[p]
				if !strings.HasPrefix(s, prefix) {
					t.Errorf("%s: %s does not start %s", p, s, prefix)
				}
				d, err := Parse(s)
				if err != nil {
					t.Fatalf("Parse(%s): %v", s, err)
				}
				if d.String() != s || !d.IsRange() || d.Type != a.ScriptType() {
					t.Errorf("%s: round trip %s", p, d)
				}
				for i := uint32(0); i < 5; i++ {
					want, err := a.Derive(chain, i)
					if err != nil {
						t.Fatal(err)
					}
					got, err := d.ScriptAt(i)
					if err != nil || hex.EncodeToString(got) != hex.EncodeToString(want.PkScript) {
						t.Errorf("%s %s %d/%d: descriptor %x, account %x (%v)", net.Name, p, chain, i,
							got, want.PkScript, err)
					}
				}
			}
		}
	}
}

func BenchmarkScriptAt1000(b *testing.B) {
	d, err := Parse("tr([73c5da0a/86h/0h/0h]" + bip86Xpub + "/0/*)")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for i := uint32(0); i < 1000; i++ {
			if _, err := d.ScriptAt(i); err != nil {
				b.Fatal(err)
			}
		}
	}
}
