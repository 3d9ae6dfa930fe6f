package main

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

const legal = "legal winner thank year wave sausage worth useful legal winner thank yellow"

// getTx fetches a transaction from the node.
func getTx(t *testing.T, n *regtest.Node, txid string) *wire.MsgTx {
	t.Helper()
	h := mustHash(t, txid)
	raw, err := n.RPC().GetRawTransaction(&h)
	if err != nil {
		t.Fatalf("getrawtransaction %s: %v", txid, err)
	}
	var buf bytes.Buffer
	if err := raw.MsgTx().Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	var m wire.MsgTx
	if err := m.Deserialize(&buf); err != nil {
		t.Fatal(err)
	}
	return &m
}

// scanFor finds the silent payments to the legal-seed wallet in tx, the way a receiver does:
// from its own scan and spend keys and the transaction's inputs.
func scanFor(t *testing.T, n *regtest.Node, tx *wire.MsgTx) []silentpay.Found {
	t.Helper()
	master, err := keys.Master(keys.SeedFromMnemonic([]byte(legal), nil), regtest.Net)
	if err != nil {
		t.Fatal(err)
	}
	scan, spend, err := silentpay.DeriveKeys(master, regtest.Net, 0)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := silentpay.NewScanner(scan, spend.PubKey())
	if err != nil {
		t.Fatal(err)
	}
	var ins []silentpay.TxInput
	for _, in := range tx.TxIn {
		prev := getTx(t, n, in.PreviousOutPoint.Hash.String())
		ins = append(ins, silentpay.TxInput{OutPoint: in.PreviousOutPoint, ScriptSig: in.SignatureScript, Witness: in.Witness,
			PrevScript: prev.TxOut[in.PreviousOutPoint.Index].PkScript})
	}
	found, err := sc.ScanTransaction(ins, silentpay.TaprootOutputKeys(tx))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestIntegrationSilentPayment(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 60_000, 40_000)
	c.mustRun(legal, "restore", "--wallet", "b")
	sp := c.silentAddr(n, "b")
	if sp == "" {
		t.Fatal("no silent payment address")
	}
	// The address is kept: the second time needs no passphrase.
	saved := c.env["SATCHEL_PASSPHRASE"]
	delete(c.env, "SATCHEL_PASSPHRASE")
	if again := c.silentAddr(n, "b"); again != sp {
		t.Fatalf("second receive --silent %s, first %s", again, sp)
	}
	c.env["SATCHEL_PASSPHRASE"] = saved

	p, r := c.send("a", sp, "5000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("send to %s: %s", sp, r.err)
	}
	assertFeeRate(t, n, p.TxID, 2000, p.Fee)
	tx := getTx(t, n, p.TxID)
	found := scanFor(t, n, tx)
	if len(found) != 1 {
		t.Fatalf("the receiver finds %d outputs, want 1", len(found))
	}
	var paid *wire.TxOut
	for _, o := range tx.TxOut {
		if len(o.PkScript) == 34 && bytes.Equal(o.PkScript[2:], found[0].Output[:]) {
			paid = o
		}
	}
	if paid == nil || paid.Value != 5000 {
		t.Fatalf("found output %s does not pay 5000 sat in %v", hex.EncodeToString(found[0].Output[:]), tx.TxOut)
	}
	// A fee bump keeps the inputs, so the silent output stays valid.
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "6", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bump: %s", r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	assertFeeRate(t, n, b.TxID, 6000, b.Fee)
	bumped := getTx(t, n, b.TxID)
	if f := scanFor(t, n, bumped); len(f) != 1 {
		t.Fatalf("after the bump the receiver finds %d outputs", len(f))
	}
	n.Mine(t, 1)
	if got := n.TxConfirmations(t, mustHash(t, b.TxID)); got != 1 {
		t.Fatalf("bumped silent payment confirmations %d", got)
	}
}
