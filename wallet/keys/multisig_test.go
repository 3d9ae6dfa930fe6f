package keys

import (
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// testCosigners are the BIP48 P2WSH keys of three seeds on regtest (tpubs).
func testCosigners(t *testing.T, net *chaincfg.Params) []Cosigner {
	t.Helper()
	var out []Cosigner
	for i := byte(1); i <= 3; i++ {
		seed := make([]byte, 32)
		seed[0] = i
		m, err := Master(seed, net)
		if err != nil {
			t.Fatal(err)
		}
		x, err := DeriveMultisigKey(m, net, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Cosigner{Fingerprint: Fingerprint(m), Path: BIP48Path(net, 0), Xpub: x})
	}
	return out
}

func TestNewMultisigAccountRefusals(t *testing.T) {
	net := &chaincfg.RegressionNetParams
	cs := testCosigners(t, net)
	main := testCosigners(t, &chaincfg.MainNetParams)
	priv, _ := hdkeychain.NewMaster(make([]byte, 32), net)
	many := make([]Cosigner, 16)
	for i := range many {
		k, _ := hdkeychain.NewMaster(append(make([]byte, 31), byte(i+1)), net)
		pub, _ := k.Neuter()
		many[i] = Cosigner{Xpub: pub}
	}
	tests := []struct {
		name  string
		m     int
		cs    []Cosigner
		local int
		want  string
	}{
		{"2-of-3", 2, cs, 0, ""},
		{"coordinator", 3, cs, -1, ""},
		{"15 keys", 8, many[:15], 3, ""},
		{"16 keys", 8, many, 3, "at most 15"},
		{"m above n", 4, cs, 0, "threshold"},
		{"m zero", 0, cs, 0, "threshold"},
		{"duplicate", 2, []Cosigner{cs[0], cs[1], cs[0]}, 0, "same key"},
		{"mainnet key", 2, []Cosigner{cs[0], main[1]}, 0, "mainnet"},
		{"private key", 1, []Cosigner{cs[0], {Xpub: priv}}, 0, "public key"},
		{"local out of range", 1, cs, 3, "local key"},
	}
	for _, tc := range tests {
		a, err := NewMultisigAccount(tc.m, tc.cs, tc.local, net)
		if tc.want == "" {
			if err != nil || a.Multi == nil || a.ScriptType().String() == "unknown" {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrMultisig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// The address of a multisig does not depend on the order its keys are given in (sortedmulti),
// and the wallet's own key is the local cosigner's key at the path.
func TestMultisigDeriveOrderFree(t *testing.T) {
	net := &chaincfg.RegressionNetParams
	cs := testCosigners(t, net)
	a, err := NewMultisigAccount(2, cs, 1, net)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMultisigAccount(2, []Cosigner{cs[2], cs[1], cs[0]}, 1, net)
	if err != nil {
		t.Fatal(err)
	}
	for _, chain := range []uint32{External, Internal} {
		for i := uint32(0); i < 5; i++ {
			da, err1 := a.Derive(chain, i)
			db, err2 := b.Derive(chain, i)
			if err1 != nil || err2 != nil || da.Address != db.Address || len(da.WitnessScript) != 105 {
				t.Fatalf("%d/%d: %v %v %s %s", chain, i, err1, err2, da.Address, db.Address)
			}
			own, _ := cs[1].Xpub.Derive(chain)
			own, _ = own.Derive(i)
			pub, _ := own.ECPubKey()
			if !da.PubKey.IsEqual(pub) || da.Chain != chain || da.Index != i {
				t.Fatalf("%d/%d: own key differs", chain, i)
			}
		}
	}
	if a.OriginPath() != "m/48h/1h/0h/2h" || a.Path(1, 7) != "m/48h/1h/0h/2h/1/7" {
		t.Fatalf("paths %s %s", a.OriginPath(), a.Path(1, 7))
	}
}
