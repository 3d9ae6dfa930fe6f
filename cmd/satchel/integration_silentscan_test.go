package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// payFromKeys builds, signs and broadcasts a transaction that spends one coin of each key
// (worth amount each) and pays sp (silent) pay sat, the rest minus a fee back to the first
// key: a sender outside satchel, following BIP352's reference algorithm.
func payFromKeys(t *testing.T, n *regtest.Node, ks []*regtest.Key, coins []wire.OutPoint, amount int64, sp string, pay int64) *wire.MsgTx {
	t.Helper()
	addr, err := silentpay.ParseAddress(sp, regtest.Net)
	if err != nil {
		t.Fatal(err)
	}
	tx := wire.NewMsgTx(2)
	var ins []silentpay.InputKey
	for i, k := range ks {
		tx.AddTxIn(wire.NewTxIn(&coins[i], nil, nil))
		priv := k.Priv
		if k.Type == txbuilder.P2TR {
			priv = txscript.TweakTaprootPrivKey(*k.Priv, nil)
		}
		ins = append(ins, silentpay.InputKey{OutPoint: coins[i], Priv: priv, IsTaproot: k.Type == txbuilder.P2TR})
	}
	outs, err := silentpay.CreateOutputs(ins, []*silentpay.Address{addr})
	if err != nil {
		t.Fatal(err)
	}
	tx.AddTxOut(wire.NewTxOut(pay, silentpay.OutputScript(outs[addr.String()][0])))
	tx.AddTxOut(wire.NewTxOut(amount*int64(len(ks))-pay-2000, ks[0].PkScript))
	fetch := txscript.NewMultiPrevOutFetcher(nil)
	for i, k := range ks {
		fetch.AddPrevOut(coins[i], wire.NewTxOut(amount, k.PkScript))
	}
	hashes := txscript.NewTxSigHashes(tx, fetch)
	for i, k := range ks {
		var w wire.TxWitness
		switch k.Type {
		case txbuilder.P2WPKH:
			w, err = txscript.WitnessSignature(tx, hashes, i, amount, k.PkScript, txscript.SigHashAll, k.Priv, true)
		case txbuilder.P2TR:
			w, err = txscript.TaprootWitnessSignature(tx, hashes, i, amount, k.PkScript, txscript.SigHashDefault, k.Priv)
		}
		if err != nil {
			t.Fatal(err)
		}
		tx.TxIn[i].Witness = w
	}
	n.Broadcast(t, tx)
	return tx
}

// fundKeys pays amount to each key and mines it, returning the coins.
func fundKeys(t *testing.T, n *regtest.Node, ks []*regtest.Key, amount int64) []wire.OutPoint {
	t.Helper()
	var ops []wire.OutPoint
	for _, k := range ks {
		id := n.Send(t, k.Address, txbuilder.Amount(amount))
		tx := getTx(t, n, id.String())
		for i, o := range tx.TxOut {
			if string(o.PkScript) == string(k.PkScript) && o.Value == amount {
				ops = append(ops, wire.OutPoint{Hash: id, Index: uint32(i)})
			}
		}
	}
	n.Mine(t, 1)
	return ops
}

func silentUtxos(t *testing.T, c *cli, w string) map[int64]utxoJSON {
	t.Helper()
	r := c.mustRun("", "utxos", "--json", "--wallet", w)
	out := map[int64]utxoJSON{}
	for _, u := range decodeJSON[[]utxoJSON](t, r.out) {
		if strings.HasPrefix(u.Path, "silent-payment/") {
			out[u.Value] = u
		}
	}
	return out
}

// TestIntegrationSilentScan walks a tip jar through BIP352 end to end over btcd: addresses
// (plain and labelled), payments from satchel and from an outside sender with two P2WPKH
// inputs and one P2TR input, pending then confirmed, labels, a spend the node accepts, a reorg
// that removes and re-finds a payment, and a restore with a birthday finding the same coins.
func TestIntegrationSilentScan(t *testing.T) {
	scanningBackend(t)
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 60_000, 40_000)
	c.mustRun(legal, "restore", "--wallet", "b")
	birthday := n.Height(t)
	sp := decodeJSON[silentJSON](t, c.mustRun("", "receive", "--silent", "--json", "--wallet", "b").out)
	lab := decodeJSON[silentJSON](t, c.mustRun("", "receive", "--silent", "--label", "stream", "--json", "--wallet", "b").out)
	if sp.Label != "" || lab.Label != "stream" || sp.Address == lab.Address || !strings.HasPrefix(lab.Address, "tsp1") {
		t.Fatalf("addresses %+v %+v", sp, lab)
	}
	if again := decodeJSON[silentJSON](t, c.mustRun("", "receive", "--silent", "--label", "stream", "--json", "--wallet", "b").out); again != lab {
		t.Fatalf("the same label gave %+v, then %+v", lab, again)
	}

	// Nothing paid the label yet: wait --label waits (until its timeout) instead of refusing.
	if r := c.run("", "wait", "--label", "stream", "--timeout", "1s", "--json", "--wallet", "b"); r.code != 1 || !strings.Contains(r.err, "timeout") {
		t.Fatalf("wait for an unpaid silent label: exit %d, %s", r.code, r.err)
	}

	// From satchel: pending first (mempool), then confirmed.
	if _, r := c.send("a", sp.Address, "5000", "--fee-rate", "2"); r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	if _, r := c.send("a", lab.Address, "7000", "--fee-rate", "2"); r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	if b := c.balance("b"); b.Unconfirmed != 12_000 || b.Confirmed != 0 {
		t.Fatalf("pending silent payments: balance %+v, want 12000 unconfirmed", b)
	}
	n.Mine(t, 1)

	// From outside: two P2WPKH inputs and one P2TR input.
	ks := []*regtest.Key{regtest.NewKey("sp wpkh 1", txbuilder.P2WPKH), regtest.NewKey("sp wpkh 2", txbuilder.P2WPKH),
		regtest.NewKey("sp tr", txbuilder.P2TR)}
	coins := fundKeys(t, n, ks, 20_000)
	outside := payFromKeys(t, n, ks, coins, 20_000, lab.Address, 9000)
	payBlock := n.Mine(t, 1)[0]

	if b := c.balance("b"); b.Confirmed != 21_000 || b.Unconfirmed != 0 {
		t.Fatalf("balance %+v, want 21000 confirmed", b)
	}
	u := silentUtxos(t, c, "b")
	if len(u) != 3 || u[5000].Label != "" || u[7000].Label != "stream" || u[9000].Label != "stream" {
		t.Fatalf("silent coins %+v", u)
	}
	wj := c.mustRun("", "wait", "--label", "stream", "--confirmations", "1", "--json", "--wallet", "b").out
	if !strings.Contains(wj, `"amount_sat": 7000`) && !strings.Contains(wj, `"amount_sat": 9000`) {
		t.Fatalf("wait --label stream: %s", wj)
	}
	exp := c.mustRun("", "labels", "export", "--wallet", "b").out
	if want := `{"type":"addr","ref":"` + u[9000].Address + `","label":"stream",`; !strings.Contains(exp, want) {
		t.Fatalf("BIP329 export lacks %s:\n%s", want, exp)
	}
	labelled := 0
	for _, h := range c.history("b") {
		if h.Label == "stream" {
			labelled++
		}
	}
	if labelled != 2 {
		t.Fatalf("history shows %d payments labelled stream, want 2", labelled)
	}

	// Resumable: the next sync scans only the new block.
	n.Mine(t, 1)
	sj := decodeJSON[syncJSON](t, c.mustRun("", "sync", "--json", "--wallet", "b").out)
	if sj.Silent == nil || sj.Silent.Blocks != 1 || sj.Silent.Height != n.Height(t) {
		t.Fatalf("second sync's silent scan %+v, want 1 block to height %d", sj.Silent, n.Height(t))
	}

	// A reorg takes the outside payment's block away: the coin is unknown again (or pending
	// if the node put it back in its mempool); a new block re-finds it.
	n.InvalidateBlock(t, payBlock)
	if b := c.balance("b"); b.Confirmed != 12_000 {
		t.Fatalf("after the reorg: balance %+v, want 12000 confirmed", b)
	}
	if _, err := n.RPC().SendRawTransaction(outside, false); err != nil && !strings.Contains(err.Error(), "already") {
		t.Fatalf("rebroadcast: %v", err)
	}
	n.Mine(t, 2)
	if b := c.balance("b"); b.Confirmed != 21_000 {
		t.Fatalf("after the new blocks: balance %+v, want 21000 confirmed", b)
	}
	if got := n.TxConfirmations(t, outside.TxHash()); got != 2 {
		t.Fatalf("outside payment confirmations %d", got)
	}

	// restore --birthday finds the same coins.
	c.mustRun(legal, "restore", "--wallet", "c", "--birthday", strconv.Itoa(int(birthday)))
	if b := c.balance("c"); b.Confirmed != 21_000 {
		t.Fatalf("restored with a birthday: balance %+v, want 21000", b)
	}
	// The seed alone does not know the label's text; the label number is found all the same.
	if u := silentUtxos(t, c, "c"); len(u) != 3 {
		t.Fatalf("restored silent coins %+v", u)
	}

	// A backup carries the birthday and the labels: the restored copy finds the coins with
	// their label text.
	file := filepath.Join(t.TempDir(), "b.backup")
	c.mustRun("", "backup", "export", file, "--wallet", "b")
	c.mustRun("", "restore", "--from-backup", file, "--wallet", "d")
	if b := c.balance("d"); b.Confirmed != 21_000 {
		t.Fatalf("restored from the backup: balance %+v, want 21000", b)
	}
	if u := silentUtxos(t, c, "d"); len(u) != 3 || u[7000].Label != "stream" || u[9000].Label != "stream" {
		t.Fatalf("silent coins restored from the backup %+v", u)
	}
	if lab2 := decodeJSON[silentJSON](t, c.mustRun("", "receive", "--silent", "--label", "stream", "--json", "--wallet", "d").out); lab2 != lab {
		t.Fatalf("the restored copy's labelled address %+v, want %+v", lab2, lab)
	}

	// Spending: all three silent coins (plain and labelled, spend key + tweak + label tweak).
	dest := c.receiveAddr("a")
	p, r := c.send("b", dest, "20000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("spend silent coins: %s", r.err)
	}
	// A fee bump signs the same silent coins again.
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "3", "--yes", "--json", "--wallet", "b")
	if r.code != 0 {
		t.Fatalf("bump a spend of silent coins: %s", r.err)
	}
	bumped := decodeJSON[bumpJSON](t, r.out)
	n.Mine(t, 1)
	if got := n.TxConfirmations(t, mustHash(t, bumped.TxID)); got != 1 {
		t.Fatalf("bumped spend confirmations %d", got)
	}
	if b := c.balance("b"); b.Confirmed != 21_000-20_000-bumped.Fee {
		t.Fatalf("after spending: balance %+v, fee %d", b, bumped.Fee)
	}
}
