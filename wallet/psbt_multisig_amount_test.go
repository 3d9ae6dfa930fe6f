package wallet

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/btcsuite/btcd/psbt/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

var msWords = []string{
	abandon,
	"legal winner thank year wave sausage worth useful legal winner thank yellow",
	"letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
}

// createTestWallet creates and opens a regtest wallet of words named name.
func createTestWallet(t *testing.T, name, words string, ms *MultisigOptions) *Wallet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "regtest", name)
	_, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: txbuilder.P2WPKH,
		Mnemonic: []byte(words), Passphrase: testPass, Restored: true, Keystore: []keystore.Option{cheapKDF}, Multisig: ms})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// twoOfThree makes members 0 and 1 of a 2-of-3 of msWords, funds it with two coins, and has
// member 0 plan a payment from both as a PSBT.
func twoOfThree(t *testing.T) (a, b *Wallet, p *psbt.Packet) {
	a, b, p, _ = twoOfThreePlan(t)
	return a, b, p
}

// twoOfThreePlan is twoOfThree with the plan of the payment.
func twoOfThreePlan(t *testing.T) (a, b *Wallet, p *psbt.Packet, plan *Plan) {
	t.Helper()
	var ks []string
	for i, words := range msWords {
		k, err := createTestWallet(t, "single"+string(rune('a'+i)), words, nil).ExportMultisigKey(testPass, cheapKDF)
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, k.DescriptorKey)
	}
	a = createTestWallet(t, "a", msWords[0], &MultisigOptions{M: 2, Cosigners: []string{ks[1], ks[2]}})
	b = createTestWallet(t, "b", msWords[1], &MultisigOptions{M: 2, Cosigners: []string{ks[0], ks[2]}})
	fc := chaintest.New()
	fc.Mine(1, chaintest.Pay(1, out(30_000, script(t, a, 0, 0)), out(40_000, script(t, a, 0, 1))))
	mustSync(t, a, fc, 5)
	mustSync(t, b, fc, 5)
	payee, _ := address.Decode("bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h", address.Networks()["regtest"])
	var err error
	plan, err = a.PlanSend(SendRequest{Payments: []Payment{{Address: "x", Script: payee.PkScript, Type: txbuilder.P2WPKH, Amount: 50_000}},
		FeeRate: txbuilder.SatPerVB(2), Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = a.PSBT(plan); err != nil {
		t.Fatal(err)
	}
	if len(p.Inputs) != 2 {
		t.Fatalf("%d inputs, want 2", len(p.Inputs))
	}
	return a, b, p, plan
}

// Signed by two members in turn and finalised, a 2-of-3 payment pays at least the rate asked
// for: its inputs were planned at their largest signed weight (two 72-byte signatures with
// the sighash byte, the empty item, the 105-byte script: 418 WU each).
func TestPSBTMultisigRealFeeRateNotBelowAsked(t *testing.T) {
	a, b, p, plan := twoOfThreePlan(t)
	if w := txbuilder.P2WSHMultisig(2, 3).InputWeight(); w != 418 {
		t.Fatalf("2-of-3 input weight %d, want 418", w)
	}
	for _, w := range []*Wallet{a, b} {
		sp, err := w.PlanPSBTSigning(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.SignPSBT(p, sp, testPass, cheapKDF); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := ReadyPSBT(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := txbuilder.CheckFeeRate(tx, plan.Selection.Fee, plan.Request.FeeRate); err != nil {
		t.Fatal(err)
	}
	if real, est := txbuilder.TxWeight(tx), plan.Selection.Weight; real > est {
		t.Fatalf("signed weight %d above the planned %d", real, est)
	}
}

// The BIP143 lying-amount attack on a multisig cosigner: an input of ours that the PSBT says
// we signed already (a partial signature under our key, which nothing checks) lies about its
// amount, so the fee shown for the input we sign now looks small. Every input of ours must
// have its amount checked, not only those signed in this round.
func TestPSBTMultisigLyingAmountOfInputSignedBefore(t *testing.T) {
	_, b, p := twoOfThree(t)
	honest, err := txbuilder.ClonePSBT(p)
	if err != nil {
		t.Fatal(err)
	}
	if plan, err := b.PlanPSBTSigning(honest); err != nil || len(plan.Inputs) != 2 {
		t.Fatalf("the honest PSBT: plan %+v, err %v", plan, err)
	}
	own := b.main().keys
	d, err := own.Derive(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Whichever input spends the 30,000 coin (receive index 0) is said to be signed by b
	// already, and to be worth 1,000 sat: 29,000 sat of fee hidden from the guard.
	lie := -1
	for i := range p.Inputs {
		if txbuilder.PSBTPrevOut(p, i).Value == 30_000 {
			lie = i
		}
	}
	if lie < 0 {
		t.Fatal("no input spends the 30,000 sat coin")
	}
	in := &p.Inputs[lie]
	in.NonWitnessUtxo = nil
	in.WitnessUtxo.Value = 1_000
	in.PartialSigs = append(in.PartialSigs, &psbt.PartialSig{PubKey: d.PubKey.SerializeCompressed(),
		Signature: append(make([]byte, 70), 0x01)})
	plan, err := b.PlanPSBTSigning(p)
	if !errors.Is(err, txbuilder.ErrPSBTRefused) {
		t.Fatalf("signing planned with a lying amount on input %d: plan %+v, err %v", lie, plan, err)
	}
}

// A multisig "change" at the 2-of-3's own address 2^31-1, with all three keys and every
// derivation right, is refused by the cosigner: sync would never find the money.
func TestPSBTMultisigChangeBeyondGapRefused(t *testing.T) {
	a, b, p := twoOfThree(t)
	change := -1
	for i, o := range p.Outputs {
		if len(o.Bip32Derivation) > 0 {
			change = i
		}
	}
	if change < 0 {
		t.Fatal("no change output")
	}
	d, err := a.main().keys.Derive(1, 1<<31-1)
	if err != nil {
		t.Fatal(err)
	}
	p.UnsignedTx.TxOut[change].PkScript = d.PkScript
	p.Outputs[change].WitnessScript = d.WitnessScript
	p.Outputs[change].Bip32Derivation = multisigDerivations(a.main().keys, d)
	if _, err := b.PlanPSBTSigning(p); !errors.Is(err, ErrChangeNotOurs) {
		t.Fatalf("change at index 2^31-1 not refused: %v", err)
	}
}
