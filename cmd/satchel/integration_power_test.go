package main

import (
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Against a real node: a funded, labelled wallet with a frozen coin goes through backup export
// and restore --from-backup and comes back with the same balance, labels and frozen coin after
// one sync; its addresses (taproot, and an adopted legacy one) sign messages that verify; and a
// Shamir-made wallet restored from two shares sees the same funds.
func TestIntegrationPowerUserRoundTrip(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun(abandon, "restore", "--wallet", "a")
	c.fund(n, "a", 21_000, 50_000)
	n.Send(t, legacyAddress(t, keys.BIP44), 30_000) // adopted by the first sync: a P2PKH coin
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "a")
	hist := c.history("a")
	if len(hist) != 3 {
		t.Fatalf("history %+v", hist)
	}
	c.mustRun("", "label", hist[0].TxID, "from the faucet", "--wallet", "a")
	utxos := decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out)
	c.mustRun("", "freeze", utxos[0].OutPoint, "--wallet", "a")
	before := c.balance("a")

	file := t.TempDir() + "/a.backup"
	c.mustRun("", "backup", "export", file, "--wallet", "a")
	c.mustRun("", "restore", "--from-backup", file, "--wallet", "b")
	after := c.balance("b") // syncs first
	if after.Confirmed != before.Confirmed || after.Spendable != before.Spendable || after.Confirmed != 101_000 {
		t.Fatalf("balance after restore %+v, before %+v", after, before)
	}
	for _, w := range []string{"a", "b"} {
		found := false
		for _, h := range c.history(w) {
			found = found || h.Label == "from the faucet"
		}
		if !found {
			t.Errorf("wallet %s lost the label", w)
		}
	}
	restored := decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "b").out)
	frozen := 0
	for _, u := range restored {
		if u.Frozen {
			frozen++
			if u.OutPoint != utxos[0].OutPoint {
				t.Errorf("frozen %s, want %s", u.OutPoint, utxos[0].OutPoint)
			}
		}
	}
	if frozen != 1 {
		t.Fatalf("%d frozen coins after restore", frozen)
	}

	// Every funded address signs, from the restored wallet; P2PKH with a legacy signature.
	formats := map[string]bool{}
	for _, u := range restored {
		s := decodeJSON[signOut](t, c.mustRun("", "sign-message", "--json", "--wallet", "b", u.Address, "proof of funds, kind of").out)
		formats[s.Format] = true
		c.mustRun("", "verify-message", u.Address, s.Signature, "proof of funds, kind of")
	}
	if !formats["legacy"] || !formats["bip322-simple"] {
		t.Fatalf("signature formats %v, want legacy and bip322-simple", formats)
	}

	// A Shamir wallet: fund it, restore it elsewhere from two of three shares, same balance.
	created := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "2-of-3", "--json", "--wallet", "s").out)
	c.fund(n, "s", 12_345)
	r := c.mustRun(strings.Join([]string{created.Shares[0][2], created.Shares[0][0]}, "\n"), "restore", "--shamir", "--wallet", "s2")
	if !strings.Contains(r.out, created.Fingerprint) {
		t.Fatalf("restore --shamir: %s", r.out)
	}
	if b := c.balance("s2"); b.Confirmed != 12_345 {
		t.Fatalf("Shamir restore sees %+v", b)
	}
}
