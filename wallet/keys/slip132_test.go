package keys

import (
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

type slip132Vectors struct {
	Mnemonic string `json:"mnemonic"`
	Accounts []struct {
		Path    string `json:"path"`
		Purpose uint32 `json:"purpose"`
		Xprv    string `json:"xprv"`
		Xpub    string `json:"xpub"`
		Address string `json:"address"`
	} `json:"accounts"`
}

// The SLIP-0132 vectors: the abandon seed's BIP44/49/84 account keys under their registered
// versions, read back as accounts that give the listed first address.
func TestSLIP132Vectors(t *testing.T) {
	var v slip132Vectors
	readJSON(t, "slip132-vectors.json", &v)
	if v.Mnemonic != abandon || len(v.Accounts) != 3 {
		t.Fatalf("unexpected vectors: %q, %d accounts", v.Mnemonic, len(v.Accounts))
	}
	net := &chaincfg.MainNetParams
	m := abandonMaster(t, net)
	for _, av := range v.Accounts {
		p := Purpose(av.Purpose)
		acct, err := DeriveAccount(m, p, net, 0)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := derivePath(m, []uint32{uint32(p) + Hardened, Hardened, Hardened})
		if err != nil {
			t.Fatal(err)
		}
		pub, err := EncodeSLIP132(acct.Xpub, p, net)
		prv, err2 := EncodeSLIP132(priv, p, net)
		if p == BIP44 {
			// BIP44's registered version is the plain xpub.
			if !errors.Is(err, ErrNoSLIP132) || !errors.Is(err2, ErrNoSLIP132) {
				t.Errorf("%s: EncodeSLIP132 gave %v / %v, want ErrNoSLIP132", av.Path, err, err2)
			}
			if acct.Xpub.String() != av.Xpub || priv.String() != av.Xprv {
				t.Errorf("%s: keys %s / %s", av.Path, acct.Xpub, priv)
			}
		} else {
			if err != nil || pub != av.Xpub {
				t.Errorf("%s: public %s (%v), want %s", av.Path, pub, err, av.Xpub)
			}
			if err2 != nil || prv != av.Xprv {
				t.Errorf("%s: private %s (%v), want %s", av.Path, prv, err2, av.Xprv)
			}
		}
		for _, s := range []string{av.Xpub, av.Xprv} {
			k, implied, err := ParseAnyExtendedKey(s)
			if err != nil {
				t.Errorf("%s: parse %s: %v", av.Path, s[:4], err)
				continue
			}
			want := acct.Xpub.String()
			if k.IsPrivate() {
				want = priv.String()
			}
			if k.String() != want {
				t.Errorf("%s: %s parsed to %s, want %s", av.Path, s[:4], k, want)
			}
			if wantP := map[bool]Purpose{true: 0, false: p}[p == BIP44]; implied != wantP {
				t.Errorf("%s: %s implies %v, want %v", av.Path, s[:4], implied, wantP)
			}
		}
		a, err := NewAccountFromXpub(av.Xpub, p, 0, net)
		if err != nil {
			t.Fatalf("%s: watch-only from %s: %v", av.Path, av.Xpub[:4], err)
		}
		d, err := a.Derive(0, 0)
		if err != nil || d.Address != av.Address {
			t.Errorf("%s: first address %v (%v), want %s", av.Path, d, err, av.Address)
		}
		priv.Zero()
	}
}

// Strict BIP32 parsing (descriptors) keeps refusing SLIP-132 versions, with a hint.
func TestParseExtendedKeyRefusesSLIP132(t *testing.T) {
	var v slip132Vectors
	readJSON(t, "slip132-vectors.json", &v)
	for _, av := range v.Accounts[1:] {
		_, err := ParseExtendedKey(av.Xpub)
		if !errors.Is(err, ErrBadExtendedKey) || !strings.Contains(err.Error(), "SLIP-132") {
			t.Errorf("%s accepted or unclear: %v", av.Xpub[:4], err)
		}
	}
}

// Test networks use vpub/upub, and the key's network and purpose are checked.
func TestSLIP132TestNetworks(t *testing.T) {
	tn := &chaincfg.TestNet3Params
	m := abandonMaster(t, tn)
	for _, tc := range []struct {
		p      Purpose
		prefix string
	}{{BIP84, "vpub"}, {BIP49, "upub"}} {
		acct, err := DeriveAccount(m, tc.p, &chaincfg.RegressionNetParams, 0)
		if err != nil {
			t.Fatal(err)
		}
		s, err := EncodeSLIP132(acct.Xpub, tc.p, &chaincfg.RegressionNetParams)
		if err != nil || !strings.HasPrefix(s, tc.prefix) {
			t.Fatalf("%v: %s (%v), want %s...", tc.p, s, err, tc.prefix)
		}
		if _, err := NewAccountFromXpub(s, tc.p, 0, &chaincfg.SigNetParams); err != nil {
			t.Errorf("%s on signet: %v", tc.prefix, err)
		}
		if _, err := NewAccountFromXpub(s, tc.p, 0, &chaincfg.MainNetParams); err == nil {
			t.Errorf("%s accepted on mainnet", tc.prefix)
		}
		other := map[Purpose]Purpose{BIP84: BIP49, BIP49: BIP84}[tc.p]
		if _, err := NewAccountFromXpub(s, other, 0, tn); err == nil {
			t.Errorf("%s accepted for %v", tc.prefix, other)
		}
	}
	tr, _ := DeriveAccount(m, BIP86, tn, 0)
	if _, err := EncodeSLIP132(tr.Xpub, BIP86, tn); !errors.Is(err, ErrNoSLIP132) {
		t.Errorf("taproot SLIP-132: %v, want ErrNoSLIP132", err)
	}
}

// FuzzParseAnyExtendedKey: no panic, and a key that names a purpose writes back to the same
// text with EncodeSLIP132.
func FuzzParseAnyExtendedKey(f *testing.F) {
	var v slip132Vectors
	readJSON(f, "slip132-vectors.json", &v)
	for _, av := range v.Accounts {
		f.Add(av.Xpub)
		f.Add(av.Xprv)
	}
	f.Add("xpub")
	f.Fuzz(func(t *testing.T, s string) {
		k, p, err := ParseAnyExtendedKey(s)
		if err != nil {
			if !errors.Is(err, ErrBadExtendedKey) {
				t.Fatalf("error %v does not wrap ErrBadExtendedKey", err)
			}
			return
		}
		if p == 0 {
			return
		}
		net := &chaincfg.MainNetParams
		if !strings.HasPrefix(k.String(), "x") {
			net = &chaincfg.TestNet3Params
		}
		back, err := EncodeSLIP132(k, p, net)
		if err != nil || back != s {
			t.Fatalf("%s parsed and wrote back as %s (%v)", s, back, err)
		}
	})
}
