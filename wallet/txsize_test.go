package wallet

import (
	"bytes"
	"context"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/store"
)

var foreignWPKH = append([]byte{0x00, 0x14}, bytes.Repeat([]byte{7}, 20)...)

// spendWPKH is a one-input transaction spending prev:0 (a P2WPKH coin) with a witness of the
// real shape (72-byte signature, 33-byte key) padded by pad junk items of 520 bytes.
func spendWPKH(prev chainhash.Hash, pad int, outs ...*wire.TxOut) *wire.MsgTx {
	m := wire.NewMsgTx(2)
	in := wire.NewTxIn(wire.NewOutPoint(&prev, 0), nil, nil)
	in.Witness = wire.TxWitness{bytes.Repeat([]byte{0x30}, 72), bytes.Repeat([]byte{0x02}, 33)}
	for i := 0; i < pad; i++ {
		in.Witness = append(wire.TxWitness{bytes.Repeat([]byte{0xee}, 520)}, in.Witness...)
	}
	m.AddTxIn(in)
	for _, o := range outs {
		m.AddTxOut(o)
	}
	return m
}

func TestCommittedVSizeBoundsTheWitness(t *testing.T) {
	var prev chainhash.Hash
	honest := spendWPKH(prev, 0, out(10_000, foreignWPKH))
	padded := spendWPKH(prev, 150, out(10_000, foreignWPKH)) // ~78 KB of junk, same txid
	if honest.TxHash() != padded.TxHash() {
		t.Fatal("padding changed the txid; the test would prove nothing")
	}
	real := txWeightVSize(honest)
	for _, tt := range []struct {
		name  string
		tx    *wire.MsgTx
		prevs [][]byte
	}{
		{"honest, script known", honest, [][]byte{foreignWPKH}},
		{"padded, script known", padded, [][]byte{foreignWPKH}},
		{"padded, script unknown", padded, nil},
		{"stripped, script known", stripped(padded), [][]byte{foreignWPKH}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := committedVSize(tt.tx, tt.prevs)
			if got < real || got > real+1 {
				t.Errorf("committedVSize = %d, want the honest %d (an upper bound at most 1 vB above)", got, real)
			}
		})
	}
	if txWeightVSize(padded) < 10*real {
		t.Fatal("the padded copy is not larger; the test would prove nothing")
	}
}

func stripped(m *wire.MsgTx) *wire.MsgTx {
	c := m.Copy()
	stripWitness(c)
	return c
}

// A server pads the witness of a parent paying the wallet (issue 17: an 80 KB junk witness
// made cpfp pay 911 sat/vB). The wallet stores the parent without witness, sizes it from its
// script types, and the child pays what the honest parent needs.
func TestCPFPIgnoresAPaddedParentWitness(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	funding := chaintest.Pay(1, out(200_000, foreignWPKH))
	c.Mine(1, funding)
	parent := spendWPKH(funding.TxHash(), 150, out(50_000, script(t, w, 0, 0)), out(149_800, foreignWPKH))
	c.AddMempool(parent)
	mustSync(t, w, c, 0)

	var rec *store.TxRecord
	if err := w.st.View(func(tx *store.Txn) error {
		var err error
		rec, err = tx.Tx(parent.TxHash())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if m, _ := rec.MsgTx(); m.HasWitness() {
		t.Fatalf("wallet.db holds the server's witness (%d bytes)", len(rec.Raw))
	}
	cp, err := w.PlanCPFP(context.Background(), c, parent.TxHash(), txbuilder.SatPerVB(5))
	if err != nil {
		t.Fatal(err)
	}
	honest := txWeightVSize(spendWPKH(funding.TxHash(), 0, parent.TxOut...))
	if cp.ParentVSize < honest || cp.ParentVSize > honest+1 {
		t.Fatalf("parent sized %d vB, the honest parent is %d vB", cp.ParentVSize, honest)
	}
	want := txbuilder.SatPerVB(5).FeeForVSize(cp.ParentVSize+cp.VSize) - cp.ParentFee
	if cp.Selection.Fee < want || cp.Selection.Fee > want+txbuilder.SatPerVB(5).FeeForVSize(2) {
		t.Fatalf("child fee %d, want about %d (parent fee %d)", cp.Selection.Fee, want, cp.ParentFee)
	}
	if cp.ChildRate() > txbuilder.SatPerVB(20) {
		t.Fatalf("child pays %s sat/vB for a 5 sat/vB package", cp.ChildRate())
	}
}

// CPFP counts the parent's own unconfirmed ancestors: a child of a child of a stuck payment pays
// for the whole package, and says how many it paid for.
func TestCPFPCountsTheParentsAncestors(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	funding := chaintest.Pay(1, out(300_000, foreignWPKH))
	c.Mine(1, funding)
	grand := spendWPKH(funding.TxHash(), 0, out(60_000, script(t, w, 0, 0)), out(239_900, foreignWPKH)) // 100 sat fee
	parent := spendWPKH(grand.TxHash(), 0)
	parent.TxIn[0].PreviousOutPoint.Index = 1
	parent.AddTxOut(out(50_000, script(t, w, 0, 1)))
	parent.AddTxOut(out(189_800, foreignWPKH)) // 100 sat fee
	c.AddMempool(grand, parent)
	mustSync(t, w, c, 0)
	cp, err := w.PlanCPFP(context.Background(), c, parent.TxHash(), txbuilder.SatPerVB(5))
	if err != nil {
		t.Fatal(err)
	}
	if cp.Ancestors != 1 || cp.AncestorsVSize == 0 {
		t.Fatalf("ancestors %d (%d vB), want the grandparent", cp.Ancestors, cp.AncestorsVSize)
	}
	// The grandparent's fee is not the wallet's to know (a foreign input): it counts as none,
	// so the package is never thought richer than it is.
	pkg := cp.ParentVSize + cp.AncestorsVSize + cp.VSize
	if paid := int64(cp.ParentFee) + int64(cp.AncestorsFee) + int64(cp.Selection.Fee); paid < int64(txbuilder.SatPerVB(5).FeeForVSize(pkg)) {
		t.Fatalf("package of %d vB pays %d sat, below 5 sat/vB", pkg, paid)
	}
	if cp.PackageRate < txbuilder.SatPerVB(5) {
		t.Fatalf("package rate %s", cp.PackageRate)
	}
}
