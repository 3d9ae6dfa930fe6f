package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// A 2-of-3 of three seeds joined through setup files on the node: member A made from the
// keys, the coordinator from A's BSMS record, member C from the coordinator's Coldcard file.
// All three see the same balance once funded; the coordinator's unsigned payment is signed by
// A and by C, C as an air-gapped signer (the PSBT goes to it and comes back as UR parts,
// psbt show --qr --parts piped into psbt import --ur), combined, broadcast and confirmed.
func TestSetupFilesIntegration(t *testing.T) {
	c, n := nodeCLI(t)
	seeds := [3]string{abandon, seedB, seedC}
	var ks [3]string
	for i, s := range seeds {
		w := "s" + string(rune('1'+i))
		c.mustRun(s+"\n", "restore", "--offline", "--wallet", w)
		ks[i] = strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", w).out)
	}
	c.mustRun(seeds[0]+"\n", "restore", "--offline", "--wallet", "A", "--multisig", "2", "--cosigner", ks[1], "--cosigner", ks[2])
	dir := t.TempDir()
	bsms, coldcard := filepath.Join(dir, "a.bsms"), filepath.Join(dir, "coord-coldcard.txt")
	c.mustRun("", "export", "setup", "--format", "bsms", "--wallet", "A", "--out", bsms)
	c.mustRun("", "create", "--watch-only", "--setup", bsms, "--wallet", "coord")
	c.mustRun("", "export", "setup", "--format", "coldcard", "--name", "vault", "--wallet", "coord", "--out", coldcard)
	c.mustRun(seeds[2]+"\n", "restore", "--offline", "--multisig-setup", coldcard, "--wallet", "C")
	descs := map[string]string{}
	for _, w := range []string{"A", "coord", "C"} {
		descs[w] = decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", w).out).Multisig.Descriptor
	}
	if descs["coord"] != descs["A"] || descs["C"] != descs["A"] {
		t.Fatalf("descriptors differ: %v", descs)
	}

	c.fund(n, "coord", 60_000, 45_000)
	for _, w := range []string{"A", "coord", "C"} {
		c.mustRun("", "sync", "--wallet", w)
		if b := c.balance(w); b.Confirmed != 105_000 {
			t.Fatalf("%s balance %+v, want 105000 confirmed", w, b)
		}
	}

	dest := regtest.NewKey("setup-dest", txbuilder.P2WPKH).Address
	u := filepath.Join(dir, "unsigned.psbt")
	plan := decodeJSON[multisigPSBTOut](t, c.mustRun("", "send", "--json", "--wallet", "coord", dest, "70000", "--fee-rate", "2", "--psbt-out", u).out)
	for _, in := range decodeJSON[decodeMultisig](t, c.mustRun("", "psbt", "decode", u, "--json", "--wallet", "coord").out).Inputs {
		if ms := in.Multisig; ms == nil || len(ms.Signed) != 0 || ms.SignaturesMissing != 2 {
			t.Fatalf("coordinator's unsigned input %+v", in)
		}
	}
	// A signs the file.
	signedA := filepath.Join(dir, "a.psbt")
	c.mustRun("", "psbt", "sign", u, "--yes", "--wallet", "A", "--out", signedA)
	// C gets the PSBT as UR parts, signs, and gives it back the same way.
	toC := c.mustRun("", "psbt", "show", "--qr", "--parts", "40", "--fragment-size", "120", u).out
	if len(urLines(t, toC)) != 40 || !strings.HasPrefix(toC, "ur:crypto-psbt/") {
		t.Fatalf("UR parts for C:\n%s", toC)
	}
	atC := filepath.Join(dir, "at-c.psbt")
	c.mustRun(toC, "psbt", "import", "--ur", "--out", atC)
	signedAtC := filepath.Join(dir, "signed-at-c.psbt")
	c.mustRun("", "psbt", "sign", atC, "--yes", "--wallet", "C", "--out", signedAtC)
	fromC := c.mustRun("", "psbt", "show", "--qr", "--parts", "40", "--fragment-size", "120", signedAtC).out
	backC := filepath.Join(dir, "c.psbt")
	c.mustRun(fromC, "psbt", "import", "--ur", "--out", backC)

	both := filepath.Join(dir, "ac.psbt")
	comb := decodeJSON[multisigPSBTOut](t, c.mustRun("", "psbt", "combine", signedA, backC, "--out", both, "--json").out)
	if !comb.Complete {
		t.Fatalf("A's and C's signatures did not complete the PSBT: %+v", comb)
	}
	dec := decodeJSON[decodeMultisig](t, c.mustRun("", "psbt", "decode", both, "--json", "--wallet", "coord").out)
	for _, in := range dec.Inputs {
		if ms := in.Multisig; ms == nil || len(ms.Signed) != 2 || ms.SignaturesMissing != 0 {
			t.Fatalf("combined input %+v", in)
		}
	}
	id := decodeJSON[struct {
		TxID string `json:"txid"`
	}](t, c.mustRun("", "psbt", "broadcast", both, "--yes", "--json", "--wallet", "coord").out).TxID
	assertFeeRate(t, n, id, 2000, plan.Fee)
	n.Mine(t, 1)
	for _, w := range []string{"A", "coord", "C"} {
		c.mustRun("", "sync", "--wallet", w)
		if b := c.balance(w); b.Confirmed != 105_000-70_000-plan.Fee {
			t.Fatalf("%s balance after the payment %+v (fee %d)", w, b, plan.Fee)
		}
	}
	if h := c.history("C"); h[0].TxID != id || h[0].Status != "confirmed" {
		t.Fatalf("C history %+v", h[0])
	}
}
