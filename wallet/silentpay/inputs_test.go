package silentpay

import (
	"bytes"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

func TestInputPubKeyEdges(t *testing.T) {
	k := privKey(t, "eadc78165ff1f8ea94ad7cfdc54990738a4c53f6e0507b42154201b8e5dff3b1")
	comp := k.PubKey().SerializeCompressed()
	uncomp := k.PubKey().SerializeUncompressed()
	h := address.Hash160(comp)
	xonly := schnorr.SerializePubKey(k.PubKey())
	p2tr := keys.P2TRScript(xonly)
	sig := bytes.Repeat([]byte{0x30}, 71)
	schnorrSig := bytes.Repeat([]byte{0x01}, 64)
	annex := []byte{annexTag, 0xaa}
	numsCB := append([]byte{0xc0}, numsH[:]...)
	otherCB := append([]byte{0xc0}, xonly...)
	push := func(b []byte) []byte { return append([]byte{byte(len(b))}, b...) }
	notOnCurve := bytes.Repeat([]byte{0xff}, 32) // above the field prime

	tests := []struct {
		name string
		in   TxInput
		typ  txbuilder.ScriptType // ScriptUnknown: not eligible
	}{
		{"p2tr key path", TxInput{PrevScript: p2tr, Witness: wire.TxWitness{schnorrSig}}, txbuilder.P2TR},
		{"p2tr key path with annex", TxInput{PrevScript: p2tr, Witness: wire.TxWitness{schnorrSig, annex}}, txbuilder.P2TR},
		{"p2tr script path, other internal key", TxInput{PrevScript: p2tr,
			Witness: wire.TxWitness{schnorrSig, {0x51}, otherCB}}, txbuilder.P2TR},
		{"p2tr script path with NUMS internal key", TxInput{PrevScript: p2tr,
			Witness: wire.TxWitness{schnorrSig, {0x51}, numsCB}}, txbuilder.ScriptUnknown},
		{"p2tr NUMS script path behind an annex", TxInput{PrevScript: p2tr,
			Witness: wire.TxWitness{schnorrSig, {0x51}, numsCB, annex}}, txbuilder.ScriptUnknown},
		{"p2tr empty witness", TxInput{PrevScript: p2tr}, txbuilder.ScriptUnknown},
		{"p2tr output key off the curve", TxInput{PrevScript: keys.P2TRScript(notOnCurve),
			Witness: wire.TxWitness{schnorrSig}}, txbuilder.ScriptUnknown},
		{"p2wpkh", TxInput{PrevScript: keys.P2WPKHScript(h), Witness: wire.TxWitness{sig, comp}}, txbuilder.P2WPKH},
		{"p2wpkh uncompressed key", TxInput{PrevScript: keys.P2WPKHScript(address.Hash160(uncomp)),
			Witness: wire.TxWitness{sig, uncomp}}, txbuilder.ScriptUnknown},
		{"p2wpkh empty witness", TxInput{PrevScript: keys.P2WPKHScript(h)}, txbuilder.ScriptUnknown},
		{"p2sh-p2wpkh", TxInput{PrevScript: keys.P2SHScript(address.Hash160(keys.P2WPKHScript(h))),
			ScriptSig: push(keys.P2WPKHScript(h)), Witness: wire.TxWitness{sig, comp}}, txbuilder.P2SHP2WPKH},
		{"p2sh with another redeem script", TxInput{PrevScript: keys.P2SHScript(h),
			ScriptSig: push(append([]byte{0x00, 0x20}, make([]byte, 32)...)), Witness: wire.TxWitness{sig, comp}},
			txbuilder.ScriptUnknown},
		{"p2pkh", TxInput{PrevScript: keys.P2PKHScript(h), ScriptSig: append(push(sig), push(comp)...)}, txbuilder.P2PKH},
		{"p2pkh key hidden before a drop", TxInput{PrevScript: keys.P2PKHScript(h),
			ScriptSig: append(append(push(comp), 0x75), push(sig)...)}, txbuilder.P2PKH},
		{"p2pkh key of another hash", TxInput{PrevScript: keys.P2PKHScript(make([]byte, 20)),
			ScriptSig: append(push(sig), push(comp)...)}, txbuilder.ScriptUnknown},
		{"p2pkh uncompressed key", TxInput{PrevScript: keys.P2PKHScript(address.Hash160(uncomp)),
			ScriptSig: append(push(sig), push(uncomp)...)}, txbuilder.ScriptUnknown},
		{"p2wsh", TxInput{PrevScript: append([]byte{0x00, 0x20}, make([]byte, 32)...),
			Witness: wire.TxWitness{sig, comp}}, txbuilder.ScriptUnknown},
	}
	for _, tt := range tests {
		pub, typ, ok := InputPubKey(&tt.in)
		if ok != (tt.typ != txbuilder.ScriptUnknown) || typ != tt.typ {
			t.Errorf("%s: type %v, eligible %v; want %v", tt.name, typ, ok, tt.typ)
			continue
		}
		if !ok {
			continue
		}
		want := comp
		if typ == txbuilder.P2TR {
			want = append([]byte{0x02}, xonly...) // the output key with even y
		}
		if got := pub.SerializeCompressed(); !bytes.Equal(got, want) {
			t.Errorf("%s: key %x, want %x", tt.name, got, want)
		}
	}
}

func TestIsFutureSegwit(t *testing.T) {
	tests := []struct {
		name   string
		script []byte
		want   bool
	}{
		{"v2 32-byte program", append([]byte{0x52, 32}, make([]byte, 32)...), true},
		{"v16 2-byte program", []byte{0x60, 2, 0xab, 0xcd}, true},
		{"v16 40-byte program", append([]byte{0x60, 40}, make([]byte, 40)...), true},
		{"v2 41-byte push is not a program", append([]byte{0x52, 41}, make([]byte, 41)...), false},
		{"v2 1-byte push is not a program", []byte{0x52, 1, 0xab}, false},
		{"v1 taproot", append([]byte{0x51, 32}, make([]byte, 32)...), false},
		{"v1 pay-to-anchor", []byte{0x51, 2, 0x4e, 0x73}, false},
		{"v0 p2wpkh", append([]byte{0x00, 20}, make([]byte, 20)...), false},
		{"push length disagrees", append([]byte{0x52, 30}, make([]byte, 32)...), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		if got := IsFutureSegwit(tt.script); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

// BIP352: a transaction spending a segwit v2+ output is not scanned, even when its other
// inputs are eligible and an output pays the receiver.
func TestScanSkipsFutureSegwitSpends(t *testing.T) {
	r := newReceiver(t)
	sender := privKey(t, "93f5ed907ad5b2bdbbdcb5d9116ebc0a4e1f92f910d5260237fa45a9408aad16")
	ins := []TxInput{p2wpkhInput(t, sender, 0), {
		OutPoint:   wire.OutPoint{Index: 7},
		PrevScript: append([]byte{0x52, 32}, make([]byte, 32)...),
		Witness:    wire.TxWitness{{0x01}},
	}}
	outs := r.pay(t, []InputKey{{OutPoint: ins[0].OutPoint, Priv: sender}, {OutPoint: ins[1].OutPoint}},
		r.addr)
	if _, err := TweakData(ins); !errors.Is(err, ErrFutureSegwitInput) {
		t.Errorf("tweak data: %v", err)
	}
	found, err := r.scanner.ScanTransaction(ins, outs)
	if err != nil || len(found) != 0 {
		t.Errorf("found %d, %v", len(found), err)
	}
	// The same payment without the v2 input (so with another smallest outpoint) is found.
	outs = r.pay(t, []InputKey{{OutPoint: ins[0].OutPoint, Priv: sender}}, r.addr)
	found, err = r.scanner.ScanTransaction(ins[:1], outs)
	if err != nil || len(found) != 1 {
		t.Errorf("control: found %d, %v", len(found), err)
	}
}
