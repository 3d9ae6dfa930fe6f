package txbuilder

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// testMultisig is a 2-of-3 of three fixed keys, sorted as BIP67 asks.
func testMultisig(t testing.TB) (keys []*btcec.PrivateKey, script []byte) {
	t.Helper()
	for i := byte(1); i <= 3; i++ {
		k, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{i}, 32))
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b *btcec.PrivateKey) int {
		return bytes.Compare(a.PubKey().SerializeCompressed(), b.PubKey().SerializeCompressed())
	})
	script = []byte{0x52}
	for _, k := range keys {
		script = append(script, 33)
		script = append(script, k.PubKey().SerializeCompressed()...)
	}
	return keys, append(script, 0x53, 0xae)
}

// multisigPSBT spends a 2-of-3 P2WSH output of 100,000 sat; tag changes the transaction.
func multisigPSBT(t testing.TB, script []byte, tag byte) *psbt.Packet {
	t.Helper()
	h := sha256.Sum256(script)
	pk := append([]byte{0, 32}, h[:]...)
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.Hash{tag}, Index: 1}, nil, nil))
	tx.AddTxOut(wire.NewTxOut(90_000, append([]byte{0, 20}, bytes.Repeat([]byte{9}, 20)...)))
	p, err := psbt.NewFromUnsignedTx(tx)
	if err != nil {
		t.Fatal(err)
	}
	p.Inputs[0].WitnessUtxo = wire.NewTxOut(100_000, pk)
	p.Inputs[0].WitnessScript = script
	return p
}

func TestParseMultisigScript(t *testing.T) {
	_, script := testMultisig(t)
	uncompressed := append([]byte{0x51, 65, 4}, bytes.Repeat([]byte{1}, 64)...)
	tests := []struct {
		name   string
		script []byte
		m, n   int
		ok     bool
	}{
		{"2-of-3", script, 2, 3, true},
		{"m above n", append(append([]byte{0x54}, script[1:len(script)-2]...), 0x53, 0xae), 0, 0, false},
		{"no CHECKMULTISIG", append(slices.Clone(script[:len(script)-1]), 0xac), 0, 0, false},
		{"count says 2 keys", append(slices.Clone(script[:len(script)-2]), 0x52, 0xae), 0, 0, false},
		{"uncompressed key", append(uncompressed, 0x51, 0xae), 0, 0, false},
		{"empty", nil, 0, 0, false},
	}
	for _, tc := range tests {
		m, pubs, ok := ParseMultisigScript(tc.script)
		if ok != tc.ok || m != tc.m || (ok && len(pubs) != tc.n) {
			t.Errorf("%s: %d, %d keys, %v", tc.name, m, len(pubs), ok)
		}
	}
}

// FuzzParseMultisigScript: whatever the parser accepts is exactly the script its m and keys
// make again.
func FuzzParseMultisigScript(f *testing.F) {
	_, script := testMultisig(f)
	f.Add(script)
	f.Add([]byte{0x51, 0x51, 0xae})
	f.Fuzz(func(t *testing.T, s []byte) {
		m, pubs, ok := ParseMultisigScript(s)
		if !ok {
			return
		}
		again := []byte{0x50 + byte(m)}
		for _, p := range pubs {
			again = append(again, 33)
			again = append(again, p...)
		}
		again = append(again, 0x50+byte(len(pubs)), 0xae)
		if !bytes.Equal(again, s) || m < 1 || m > len(pubs) {
			t.Fatalf("%x read as %d of %d keys, which writes %x", s, m, len(pubs), again)
		}
	})
}

// A 2-of-3 input waits with one signature, and finalises with exactly two in script order
// (the third left out: the clean-stack rule), verified by the script engine.
func TestFinalizeMultisig(t *testing.T) {
	keys, script := testMultisig(t)
	typ := P2WSHMultisig(2, 3)
	p := multisigPSBT(t, script, 1)
	if err := SignPSBTInput(p, 0, typ, keys[2]); err != nil {
		t.Fatal(err)
	}
	pending, err := FinalizePSBT(p)
	if err != nil || len(pending) != 1 {
		t.Fatalf("one signature: pending %v, %v", pending, err)
	}
	st, ok := PSBTMultisig(p, 0)
	if !ok || st.Have != 1 || st.Missing() != 1 || !st.Signed[2] || st.Signed[0] {
		t.Fatalf("state %+v", st)
	}
	for _, k := range keys[:2] {
		if err := SignPSBTInput(p, 0, typ, k); err != nil {
			t.Fatal(err)
		}
	}
	if pending, err := FinalizePSBT(p); err != nil || len(pending) != 0 {
		t.Fatalf("three signatures: pending %v, %v", pending, err)
	}
	tx, err := ExtractPSBT(p)
	if err != nil {
		t.Fatal(err)
	}
	w := tx.TxIn[0].Witness
	if len(w) != 4 || len(w[0]) != 0 || !bytes.Equal(w[3], script) {
		t.Fatalf("witness %x", w)
	}
	// The witness is within the weight the planner counts for a 2-of-3 input.
	if got := Weight(41*4 + w.SerializeSize()); got > typ.InputWeight() {
		t.Fatalf("input weighs %d WU, planned %d", got, typ.InputWeight())
	}
	// A cosigner's signature of another transaction makes the input fail the script engine:
	// refused, and the PSBT left as it was.
	q, other := multisigPSBT(t, script, 1), multisigPSBT(t, script, 2)
	if err := SignPSBTInput(q, 0, typ, keys[1]); err != nil {
		t.Fatal(err)
	}
	if err := SignPSBTInput(other, 0, typ, keys[0]); err != nil {
		t.Fatal(err)
	}
	q.Inputs[0].PartialSigs = append(q.Inputs[0].PartialSigs, other.Inputs[0].PartialSigs[0])
	if _, err := FinalizePSBT(q); !errors.Is(err, ErrPSBTRefused) || PSBTInputFinal(q, 0) {
		t.Fatalf("a signature of another transaction: %v", err)
	}
	// A key outside the multisig is refused.
	stranger, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{8}, 32))
	if err := SignPSBTInput(multisigPSBT(t, script, 1), 0, typ, stranger); !errors.Is(err, ErrPSBTRefused) {
		t.Fatalf("stranger's key: %v", err)
	}
}

// Copies signed apart combine into one that finalises; a copy of another transaction is
// refused.
func TestCombinePSBTs(t *testing.T) {
	keys, script := testMultisig(t)
	typ := P2WSHMultisig(2, 3)
	a, b := multisigPSBT(t, script, 1), multisigPSBT(t, script, 1)
	if err := SignPSBTInput(a, 0, typ, keys[0]); err != nil {
		t.Fatal(err)
	}
	if err := SignPSBTInput(b, 0, typ, keys[1]); err != nil {
		t.Fatal(err)
	}
	c, err := CombinePSBTs([]*psbt.Packet{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := PSBTMultisig(c, 0); st.Have != 2 {
		t.Fatalf("combined state %+v", st)
	}
	if pending, err := FinalizePSBT(c); err != nil || len(pending) != 0 {
		t.Fatalf("combined: pending %v, %v", pending, err)
	}
	if _, err := CombinePSBTs([]*psbt.Packet{a, multisigPSBT(t, script, 2)}); !errors.Is(err, ErrPSBTRefused) {
		t.Fatalf("two transactions: %v", err)
	}
	if _, err := CombinePSBTs([]*psbt.Packet{a}); err == nil {
		t.Fatal("one PSBT combined")
	}
}
