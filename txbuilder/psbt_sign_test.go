package txbuilder

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

type testInput struct {
	typ  ScriptType
	key  *btcec.PrivateKey
	prev *wire.MsgTx
}

func testKey(n byte) *btcec.PrivateKey {
	k, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{n}, 32))
	return k
}

func scriptOf(t ScriptType, pub *btcec.PublicKey) []byte {
	h := address.Hash160(pub.SerializeCompressed())
	switch t {
	case P2WPKH:
		return witnessKeyHashScript(h)
	case P2SHP2WPKH:
		r := witnessKeyHashScript(h)
		return append(append([]byte{txscript.OP_HASH160, txscript.OP_DATA_20}, address.Hash160(r)...), txscript.OP_EQUAL)
	case P2PKH:
		return keyHashScript(h)
	case P2TR:
		return append([]byte{txscript.OP_1, txscript.OP_DATA_32}, schnorr.SerializePubKey(txscript.ComputeTaprootKeyNoScript(pub))...)
	}
	return nil
}

// testPSBT spends one output of each given type, each from its own previous transaction,
// with witness_utxo for segwit inputs and non_witness_utxo for all but P2TR (as satchel writes).
func testPSBT(t *testing.T, types ...ScriptType) (*psbt.Packet, []testInput) {
	t.Helper()
	tx := wire.NewMsgTx(2)
	var ins []testInput
	for i, typ := range types {
		k := testKey(byte(i + 1))
		prev := wire.NewMsgTx(2)
		prev.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.Hash{byte(i + 1)}}, nil, nil))
		prev.AddTxOut(wire.NewTxOut(10_000+int64(i), scriptOf(typ, k.PubKey())))
		op := wire.OutPoint{Hash: prev.TxHash(), Index: 0}
		tx.AddTxIn(wire.NewTxIn(&op, nil, nil))
		ins = append(ins, testInput{typ, k, prev})
	}
	tx.AddTxOut(wire.NewTxOut(5_000, scriptOf(P2WPKH, testKey(99).PubKey())))
	p, err := psbt.NewFromUnsignedTx(tx)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range ins {
		if in.typ != P2TR {
			p.Inputs[i].NonWitnessUtxo = in.prev
		}
		if in.typ != P2PKH {
			p.Inputs[i].WitnessUtxo = in.prev.TxOut[0]
		}
	}
	return p, ins
}

// Each input type satchel spends is signed, finalised, extracted and verified by the script
// engine, alone and mixed with the others (a P2TR sighash covers every input's amount).
func TestSignPSBTEveryInputType(t *testing.T) {
	for _, types := range [][]ScriptType{{P2WPKH}, {P2SHP2WPKH}, {P2PKH}, {P2TR}, {P2TR, P2WPKH, P2PKH, P2SHP2WPKH}} {
		p, ins := testPSBT(t, types...)
		pending, err := FinalizePSBT(p)
		if err != nil || len(pending) != len(types) {
			t.Fatalf("%v: unsigned finalise: pending %v, %v", types, pending, err)
		}
		for i, in := range ins {
			if err := SignPSBTInput(p, i, in.typ, in.key); err != nil {
				t.Fatalf("%v: sign %d: %v", types, i, err)
			}
		}
		// The signed PSBT survives a serialise/decode round trip.
		b, err := EncodePSBT(p)
		if err != nil {
			t.Fatal(err)
		}
		if p, err = DecodePSBT(b); err != nil {
			t.Fatalf("%v: decode signed: %v", types, err)
		}
		if err := CheckPSBTSigner(p); err != nil {
			t.Fatal(err)
		}
		pending, err = FinalizePSBT(p)
		if err != nil || len(pending) != 0 {
			t.Fatalf("%v: finalise: pending %v, %v", types, pending, err)
		}
		tx, err := ExtractPSBT(p)
		if err != nil {
			t.Fatalf("%v: extract: %v", types, err)
		}
		prev := make([]PrevOut, len(ins))
		for i, in := range ins {
			prev[i] = PrevOut{Value: Amount(in.prev.TxOut[0].Value), PkScript: in.prev.TxOut[0].PkScript, Type: in.typ}
		}
		if err := Verify(tx, prev); err != nil {
			t.Fatalf("%v: extracted transaction does not verify: %v", types, err)
		}
		if fee, ok := PSBTFee(p); !ok || fee <= 0 {
			t.Fatalf("fee %d %v", fee, ok)
		}
	}
}

func TestSignPSBTRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []ScriptType
		edit  func(p *psbt.Packet)
		key   *btcec.PrivateKey
		sub   string
	}{
		{"wrong key", []ScriptType{P2WPKH}, nil, testKey(50), "does not match"},
		{"no utxo", []ScriptType{P2WPKH}, func(p *psbt.Packet) { p.Inputs[0].WitnessUtxo, p.Inputs[0].NonWitnessUtxo = nil, nil }, nil, "no utxo"},
		{"sighash none", []ScriptType{P2WPKH}, func(p *psbt.Packet) { p.Inputs[0].SighashType = txscript.SigHashNone }, nil, "SIGHASH_ALL"},
		{"anyone can pay", []ScriptType{P2TR}, func(p *psbt.Packet) { p.Inputs[0].SighashType = txscript.SigHashAll | txscript.SigHashAnyOneCanPay }, nil, "SIGHASH_ALL"},
		{"P2PKH without previous tx", []ScriptType{P2PKH}, func(p *psbt.Packet) {
			p.Inputs[0].WitnessUtxo = p.Inputs[0].NonWitnessUtxo.TxOut[0]
			p.Inputs[0].NonWitnessUtxo = nil
		}, nil, "non_witness_utxo"},
		{"P2TR with a script tree", []ScriptType{P2TR}, func(p *psbt.Packet) { p.Inputs[0].TaprootMerkleRoot = make([]byte, 32) }, nil, "script tree"},
		{"P2TR beside an unknown input", []ScriptType{P2TR, P2WPKH}, func(p *psbt.Packet) { p.Inputs[1].WitnessUtxo, p.Inputs[1].NonWitnessUtxo = nil, nil }, nil, "every input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ins := testPSBT(t, tc.types...)
			if tc.edit != nil {
				tc.edit(p)
			}
			k := ins[0].key
			if tc.key != nil {
				k = tc.key
			}
			err := SignPSBTInput(p, 0, tc.types[0], k)
			if !errors.Is(err, ErrPSBTRefused) || !bytes.Contains([]byte(err.Error()), []byte(tc.sub)) {
				t.Fatalf("error %v, want ErrPSBTRefused mentioning %q", err, tc.sub)
			}
		})
	}
}

// A witness_utxo that lies about the amount next to the real previous transaction is refused
// before anything is signed, and so are redeem and witness scripts that do not hash right.
func TestCheckPSBTSignerCatchesLies(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  ScriptType
		edit func(p *psbt.Packet)
	}{
		{"amount lie", P2WPKH, func(p *psbt.Packet) { p.Inputs[0].WitnessUtxo = wire.NewTxOut(1, p.Inputs[0].WitnessUtxo.PkScript) }},
		{"script lie", P2WPKH, func(p *psbt.Packet) {
			p.Inputs[0].WitnessUtxo = wire.NewTxOut(p.Inputs[0].WitnessUtxo.Value, scriptOf(P2WPKH, testKey(7).PubKey()))
		}},
		{"witness utxo on P2PKH", P2PKH, func(p *psbt.Packet) { p.Inputs[0].WitnessUtxo = p.Inputs[0].NonWitnessUtxo.TxOut[0] }},
		{"wrong redeem script", P2SHP2WPKH, func(p *psbt.Packet) { p.Inputs[0].RedeemScript = scriptOf(P2WPKH, testKey(7).PubKey()) }},
		{"witness script on P2WPKH", P2WPKH, func(p *psbt.Packet) { p.Inputs[0].WitnessScript = []byte{txscript.OP_TRUE} }},
		{"amount above 21M BTC", P2TR, func(p *psbt.Packet) { p.Inputs[0].WitnessUtxo.Value = int64(MaxMoney) + 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := testPSBT(t, tc.typ)
			tc.edit(p)
			if err := CheckPSBTSigner(p); !errors.Is(err, ErrPSBTRefused) {
				t.Fatalf("not refused: %v", err)
			}
		})
	}
	// A matching witness script passes.
	ws := []byte{txscript.OP_TRUE}
	h := sha256.Sum256(ws)
	p, _ := testPSBT(t, P2WPKH)
	script := append([]byte{txscript.OP_0, txscript.OP_DATA_32}, h[:]...)
	p.Inputs[0].NonWitnessUtxo = nil
	p.Inputs[0].WitnessUtxo = wire.NewTxOut(1000, script)
	p.Inputs[0].WitnessScript = ws
	if err := CheckPSBTSigner(p); err != nil {
		t.Fatalf("matching witness script refused: %v", err)
	}
}

// A signature that does not verify (here: made for another amount) is caught when finalising,
// and the PSBT is left as it was.
func TestFinalizePSBTVerifiesSignatures(t *testing.T) {
	p, ins := testPSBT(t, P2WPKH)
	p.Inputs[0].NonWitnessUtxo = nil
	real := p.Inputs[0].WitnessUtxo.Value
	p.Inputs[0].WitnessUtxo.Value = real + 1
	if err := SignPSBTInput(p, 0, P2WPKH, ins[0].key); err != nil {
		t.Fatal(err)
	}
	p.Inputs[0].WitnessUtxo.Value = real
	before, _ := EncodePSBT(p)
	if _, err := FinalizePSBT(p); !errors.Is(err, ErrPSBTRefused) {
		t.Fatalf("bad signature finalised: %v", err)
	}
	after, _ := EncodePSBT(p)
	if !bytes.Equal(before, after) {
		t.Fatal("a failed finalise changed the PSBT")
	}
	if _, err := ExtractPSBT(p); !errors.Is(err, ErrPSBTIncomplete) {
		t.Fatalf("extract of an unfinalised PSBT: %v", err)
	}
}
