package main

import (
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// A restored wallet adopts coins on the BIP44 (P2PKH) and BIP49 (P2SH-P2WPKH) paths and must be
// able to spend them: the node accepts only correct signatures for every input type.
func TestIntegrationSpendAdoptedLegacyCoins(t *testing.T) {
	c, n := nodeCLI(t)
	// Fund the seed's BIP44 and BIP49 first receive addresses, as an older wallet would have.
	pkh := legacyAddress(t, keys.BIP44)
	shwpkh := legacyAddress(t, keys.BIP49)
	n.Send(t, pkh, 40_000)
	n.Send(t, shwpkh, 60_000)
	n.Mine(t, 1)
	c.mustRun(abandon, "restore", "--wallet", "r", "--type", "tr")
	r := c.mustRun("", "sync", "--json", "--wallet", "r")
	if s := decodeJSON[syncJSON](t, r.out); len(s.Adopted) != 2 {
		t.Fatalf("adopted %v, want BIP49 and BIP44", s.Adopted)
	}
	// Adopted addresses sign messages too: a BIP322 full signature for the nested segwit one
	// (its scriptSig does not fit a simple one), a legacy one for the P2PKH one.
	for _, tc := range []struct{ addr, format, prefix string }{
		{shwpkh, "bip322-full", "ful"},
		{pkh, "legacy", ""},
	} {
		signed := decodeJSON[signOut](t, c.mustRun("", "sign-message", "--json", "--wallet", "r", tc.addr, "adopted").out)
		if signed.Format != tc.format || !strings.HasPrefix(signed.Signature, tc.prefix) || signed.Path == "" {
			t.Fatalf("sign-message %s: %+v", tc.addr, signed)
		}
		if r := c.run("", "verify-message", "--json", tc.addr, signed.Signature, "adopted"); r.code != 0 || !strings.Contains(r.out, `"format": "`+tc.format+`"`) {
			t.Fatalf("verify-message %s: exit %d %s %s", tc.addr, r.code, r.out, r.err)
		}
		if r := c.run("", "verify-message", "--json", tc.addr, signed.Signature, "adopted!"); r.code != exitError {
			t.Fatalf("verify-message %s, another message: exit %d", tc.addr, r.code)
		}
	}
	dest := regtest.NewKey("legacy-dest", txbuilder.P2WPKH).Address
	p, res := c.send("r", dest, "all", "--fee-rate", "2")
	if res.code != 0 {
		t.Fatalf("sweep: %s", res.err)
	}
	if len(p.Inputs) != 2 {
		t.Fatalf("inputs %+v", p.Inputs)
	}
	assertFeeRate(t, n, p.TxID, 2000, p.Fee)
	n.Mine(t, 1)
	if b := c.balance("r"); b.Confirmed != 0 {
		t.Fatalf("after sweep %+v", b)
	}
	if got := n.TxConfirmations(t, mustHash(t, p.TxID)); got != 1 {
		t.Fatalf("sweep confirmations %d", got)
	}
}

// legacyAddress derives receive address 0 of the abandon seed's account for purpose on regtest.
func legacyAddress(t *testing.T, p keys.Purpose) string {
	t.Helper()
	master, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), regtest.Net)
	if err != nil {
		t.Fatal(err)
	}
	a, err := keys.DeriveAccount(master, p, regtest.Net, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Derive(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return d.Address
}

func mustHash(t *testing.T, s string) chainhash.Hash {
	t.Helper()
	h, err := chainhash.NewHashFromStr(s)
	if err != nil {
		t.Fatal(err)
	}
	return *h
}
