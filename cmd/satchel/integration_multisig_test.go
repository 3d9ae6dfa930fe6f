package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// multisigPSBTOut is what send --json prints for a multisig wallet and psbt sign/combine print.
type multisigPSBTOut struct {
	planJSON
	PSBT     string `json:"psbt"`
	File     string `json:"file"`
	PSBTFile string `json:"psbt_file"`
	Complete bool   `json:"complete"`
	// SignaturesMissing is in a multisig send's JSON.
	SignaturesMissing *int `json:"signatures_missing"`
}

// decodeMultisig is psbt decode --json, with the multisig part of each input.
type decodeMultisig struct {
	Complete bool `json:"complete"`
	Inputs   []struct {
		Ours     *bool             `json:"ours"`
		Type     string            `json:"type"`
		Status   string            `json:"status"`
		Multisig *psbtMultisigJSON `json:"multisig"`
	} `json:"inputs"`
	Outputs []struct {
		Value  int64 `json:"value_sat"`
		Ours   *bool `json:"ours"`
		Change *bool `json:"change"`
	} `json:"outputs"`
	Warnings []string `json:"warnings"`
}

// A 2-of-3 funded on the node is spent by two cosigners in turn (A sends, writing a PSBT
// signed by A; B signs; broadcast), and by two signing apart then combined; one signature is
// refused at broadcast with exit 2; a watch-only coordinator sees the same balance.
func TestMultisigIntegrationRounds(t *testing.T) {
	c, n := nodeCLI(t)
	c.multisig3()
	info := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1").out)
	c.mustRun("", "create", "--watch-only", "--descriptor", info.Multisig.Descriptor, "--wallet", "coord")
	c.fund(n, "m1", 70_000, 40_000, 30_000)
	for _, w := range []string{"m1", "m2", "m3", "coord"} {
		c.mustRun("", "sync", "--wallet", w)
		if b := c.balance(w); b.Confirmed != 140_000 {
			t.Fatalf("%s balance %+v, want 140000 confirmed", w, b)
		}
	}
	dir := t.TempDir()
	dest := regtest.NewKey("multisig-dest", txbuilder.P2WPKH).Address

	// Round 1: A sends (its signature in the PSBT), B signs, anyone broadcasts.
	a := filepath.Join(dir, "a.psbt")
	r := c.mustRun("", "send", "--json", "--yes", "--wallet", "m1", dest, "50000", "--fee-rate", "2", "--psbt-out", a)
	plan := decodeJSON[multisigPSBTOut](t, r.out)
	if plan.PSBTFile != a || plan.TxID != "" || len(n.MempoolTxIDs(t)) != 0 || plan.SignaturesMissing == nil || *plan.SignaturesMissing != 1 {
		t.Fatalf("multisig send sent something or wrote no file: %s", r.out)
	}
	dec := decodeJSON[decodeMultisig](t, c.mustRun("", "psbt", "decode", a, "--json", "--wallet", "m2").out)
	for _, in := range dec.Inputs {
		ms := in.Multisig
		if ms == nil || ms.M != 2 || ms.N != 3 || len(ms.Signed) != 1 || ms.Signed[0] != "73c5da0a" || ms.SignaturesMissing != 1 || !*in.Ours {
			t.Fatalf("decode after A signed: %+v", in)
		}
	}
	// One signature is not enough: exit 2 naming what is missing, nothing sent.
	r = c.run("", "psbt", "broadcast", a, "--yes", "--wallet", "m1")
	if r.code != exitUsage || !strings.Contains(r.err, "1 more signature needed (have 1 of 2)") {
		t.Fatalf("broadcast with one signature: exit %d %s", r.code, r.err)
	}
	if len(n.MempoolTxIDs(t)) != 0 {
		t.Fatal("an incomplete PSBT was sent")
	}
	text := c.mustRun("", "psbt", "decode", a, "--wallet", "m2").out
	if !strings.Contains(text, "signed by 73c5da0a") || !strings.Contains(text, "1 more signature needed") {
		t.Fatalf("decode text:\n%s", text)
	}
	ab := filepath.Join(dir, "ab.psbt")
	signed := decodeJSON[multisigPSBTOut](t, c.mustRun("", "psbt", "sign", a, "--yes", "--json", "--wallet", "m2", "--out", ab).out)
	if !signed.Complete {
		t.Fatalf("B's signature did not complete the PSBT: %+v", signed)
	}
	r = c.mustRun("", "psbt", "broadcast", ab, "--yes", "--json", "--wallet", "m2")
	id := decodeJSON[struct {
		TxID string `json:"txid"`
	}](t, r.out).TxID
	assertFeeRate(t, n, id, 2000, plan.Fee)
	n.Mine(t, 1)
	for _, w := range []string{"m1", "m2", "m3", "coord"} {
		c.mustRun("", "sync", "--wallet", w)
		if b := c.balance(w); b.Confirmed != 140_000-50_000-plan.Fee {
			t.Fatalf("%s balance after round 1 %+v (fee %d)", w, b, plan.Fee)
		}
	}
	if h := c.history("m3"); h[0].TxID != id || h[0].Status != "confirmed" || h[0].Amount != -(50_000+plan.Fee) {
		t.Fatalf("m3 history %+v", h[0])
	}
	// The change came back to the multisig: a coin of every member, labelled like any coin.
	coins := decodeJSON[[]struct {
		OutPoint string `json:"outpoint"`
		Value    int64  `json:"value_sat"`
	}](t, c.mustRun("", "utxos", "--json", "--wallet", "m2").out)
	// The payment may spend the 70,000 coin or the 40,000 and 30,000 ones (both pay 50,000 and
	// the fee; which one depends on the selection's random order), so count value, not coins.
	var changeOut string
	var sum int64
	for _, co := range coins {
		sum += co.Value
		if strings.HasPrefix(co.OutPoint, id+":") {
			changeOut = co.OutPoint
		}
	}
	if sum != 140_000-50_000-plan.Fee || (len(coins) != 2 && len(coins) != 3) || changeOut == "" {
		t.Fatalf("m2 coins after round 1 %+v", coins)
	}
	c.mustRun("", "label", changeOut, "multisig change", "--wallet", "m2")
	if out := c.mustRun("", "labels", "export", "--wallet", "m2").out; !strings.Contains(out, "multisig change") {
		t.Fatalf("labels export %s", out)
	}

	// Round 2: the coordinator writes the PSBT; B and C sign apart; combine; broadcast.
	u := filepath.Join(dir, "u.psbt")
	plan2 := decodeJSON[multisigPSBTOut](t, c.mustRun("", "send", "--json", "--wallet", "coord", dest, "20000", "--fee-rate", "3", "--psbt-out", u).out)
	b, cc := filepath.Join(dir, "b.psbt"), filepath.Join(dir, "c.psbt")
	c.mustRun("", "psbt", "sign", u, "--yes", "--wallet", "m2", "--out", b)
	c.mustRun("", "psbt", "sign", u, "--yes", "--wallet", "m3", "--out", cc)
	// A copy of another transaction is refused by combine.
	other := filepath.Join(dir, "other.psbt")
	c.mustRun("", "send", "--yes", "--wallet", "m1", dest, "10000", "--fee-rate", "2", "--psbt-out", other)
	if r := c.run("", "psbt", "combine", b, other); r.code != exitUsage || !strings.Contains(r.err, "another transaction") {
		t.Fatalf("combine of two transactions: exit %d %s", r.code, r.err)
	}
	bc := filepath.Join(dir, "bc.psbt")
	comb := decodeJSON[multisigPSBTOut](t, c.mustRun("", "psbt", "combine", b, cc, "--out", bc, "--json").out)
	if !comb.Complete {
		t.Fatalf("combined PSBT not complete: %+v", comb)
	}
	dec = decodeJSON[decodeMultisig](t, c.mustRun("", "psbt", "decode", bc, "--json").out)
	if ms := dec.Inputs[0].Multisig; ms == nil || len(ms.Signed) != 2 || ms.SignaturesMissing != 0 {
		t.Fatalf("combined decode %+v", dec.Inputs[0])
	}
	r = c.mustRun("", "psbt", "broadcast", bc, "--yes", "--json", "--wallet", "coord")
	id2 := decodeJSON[struct {
		TxID string `json:"txid"`
	}](t, r.out).TxID
	assertFeeRate(t, n, id2, 3000, plan2.Fee)
	n.Mine(t, 1)
	want := 140_000 - 50_000 - plan.Fee - 20_000 - plan2.Fee
	for _, w := range []string{"m2", "coord"} {
		c.mustRun("", "sync", "--wallet", w)
		if b := c.balance(w); b.Confirmed != want {
			t.Fatalf("%s balance after round 2 %+v, want %d", w, b, want)
		}
	}
}

// A PSBT whose "change" goes to a 2-of-3 of two of our keys and a foreign one (at the change
// path, with our two derivations in place) is not change: each cosigner refuses to sign it
// (exit 2, change_not_ours), and decode shows that output as not ours, with a warning.
func TestMultisigForeignChangeRefused(t *testing.T) {
	c, n := nodeCLI(t)
	c.multisig3()
	info := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1").out)
	c.mustRun("", "create", "--watch-only", "--descriptor", info.Multisig.Descriptor, "--wallet", "coord")
	c.fund(n, "coord", 80_000)
	c.mustRun("", "sync", "--wallet", "coord")
	dest := regtest.NewKey("multisig-dest", txbuilder.P2WPKH).Address
	plan := decodeJSON[multisigPSBTOut](t, c.mustRun("", "send", "--json", "--wallet", "coord", dest, "30000", "--fee-rate", "2").out)
	p := decodePSBTText(t, plan.PSBT)
	change := -1
	for i, o := range p.Outputs {
		if len(o.WitnessScript) > 0 {
			change = i
		}
	}
	if change < 0 || len(p.Outputs[change].Bip32Derivation) != 3 || len(p.XPubs) != 3 {
		t.Fatalf("change output %d, derivations and global xpubs missing: %+v %d", change, p.Outputs, len(p.XPubs))
	}
	// Each input carries what a hardware signer checks: the witness script, the previous
	// transaction and every cosigner's derivation (master fingerprint, BIP48 path).
	for i, in := range p.Inputs {
		if len(in.WitnessScript) != 105 || in.NonWitnessUtxo == nil || in.WitnessUtxo == nil || len(in.Bip32Derivation) != 3 {
			t.Fatalf("input %d: %+v", i, in)
		}
		for _, d := range in.Bip32Derivation {
			if len(d.Bip32Path) != 6 || d.Bip32Path[0] != 48+keys.Hardened || d.Bip32Path[3] != 2+keys.Hardened {
				t.Fatalf("input %d derivation path %v", i, d.Bip32Path)
			}
		}
	}
	// Swap the third cosigner's key for a stranger's, keeping our two derivations.
	stranger, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{7}, 32))
	out := &p.Outputs[change]
	var pubs []*btcec.PublicKey
	for k, d := range out.Bip32Derivation {
		pk, err := btcec.ParsePubKey(d.PubKey)
		if err != nil {
			t.Fatal(err)
		}
		if k == 2 {
			pk = stranger.PubKey()
			d.PubKey = pk.SerializeCompressed()
		}
		pubs = append(pubs, pk)
	}
	d, err := keys.MultisigScriptFor(2, pubs, true, regtest.Net)
	if err != nil {
		t.Fatal(err)
	}
	out.WitnessScript = d.WitnessScript
	p.UnsignedTx.TxOut[change].PkScript = d.PkScript
	b64, err := txbuilder.EncodePSBTBase64(p)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.psbt")
	if err := os.WriteFile(bad, []byte(b64), 0o600); err != nil {
		t.Fatal(err)
	}
	dec := decodeJSON[decodeMultisig](t, c.mustRun("", "psbt", "decode", bad, "--json", "--wallet", "m2").out)
	if *dec.Outputs[change].Ours || *dec.Outputs[change].Change || len(dec.Warnings) == 0 {
		t.Fatalf("the foreign-key output reads as ours: %+v", dec)
	}
	for _, w := range []string{"m1", "m2", "m3"} {
		r := c.run("", "psbt", "sign", bad, "--yes", "--json", "--wallet", w)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "change_not_ours" {
			t.Fatalf("%s signed a PSBT with foreign-key change: exit %d %s", w, r.code, r.err)
		}
	}
	// The genuine PSBT of the same payment is signed.
	good := decodeJSON[multisigPSBTOut](t, c.mustRun(plan.PSBT, "psbt", "sign", "-", "--yes", "--json", "--wallet", "m2").out)
	if len(good.PSBT) == 0 || good.Complete {
		t.Fatalf("genuine PSBT: %+v", good)
	}
}

// A multisig payment in the mempool is bumped as any payment: bump writes the replacement as
// a PSBT signed by the local key, a second cosigner signs it, and it replaces the original.
func TestMultisigBump(t *testing.T) {
	c, n := nodeCLI(t)
	c.multisig3()
	c.fund(n, "m1", 90_000)
	c.mustRun("", "sync", "--wallet", "m1")
	dest := regtest.NewKey("multisig-bump", txbuilder.P2WPKH).Address
	first := decodeJSON[multisigPSBTOut](t, c.mustRun("", "send", "--json", "--yes", "--wallet", "m1", dest, "25000", "--fee-rate", "2").out)
	signed := decodeJSON[multisigPSBTOut](t, c.mustRun(first.PSBT, "psbt", "sign", "-", "--yes", "--json", "--wallet", "m2").out)
	orig := decodeJSON[struct {
		TxID string `json:"txid"`
	}](t, c.mustRun(signed.PSBT, "psbt", "broadcast", "-", "--yes", "--json", "--wallet", "m1").out).TxID
	r := c.mustRun("", "bump-fee", orig, "--fee-rate", "6", "--yes", "--json", "--wallet", "m1")
	bumped := decodeJSON[multisigPSBTOut](t, r.out)
	if bumped.PSBT == "" || len(n.MempoolTxIDs(t)) != 1 {
		t.Fatalf("bump of a multisig payment: %s", r.out)
	}
	if r := c.run(bumped.PSBT, "psbt", "broadcast", "-", "--yes", "--wallet", "m1"); r.code != exitUsage || !strings.Contains(r.err, "1 more signature needed") {
		t.Fatalf("bump broadcast with one signature: exit %d %s", r.code, r.err)
	}
	signed = decodeJSON[multisigPSBTOut](t, c.mustRun(bumped.PSBT, "psbt", "sign", "-", "--yes", "--json", "--wallet", "m3").out)
	id := decodeJSON[struct {
		TxID string `json:"txid"`
	}](t, c.mustRun(signed.PSBT, "psbt", "broadcast", "-", "--yes", "--json", "--wallet", "m3").out).TxID
	if ids := n.MempoolTxIDs(t); len(ids) != 1 || ids[0].String() != id || id == orig {
		t.Fatalf("mempool %v, replacement %s, original %s", ids, id, orig)
	}
	assertFeeRate(t, n, id, 6000, bumped.Fee)
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "m1")
	if b := c.balance("m1"); b.Confirmed != 90_000-25_000-bumped.Fee {
		t.Fatalf("balance after the bump %+v (fee %d)", b, bumped.Fee)
	}
}
