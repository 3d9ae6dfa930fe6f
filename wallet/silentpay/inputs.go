package silentpay

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// numsH is the x coordinate of BIP341's NUMS point H, the internal key of taproot outputs
// that have no key path. Script-path spends with this internal key are left out of BIP352.
var numsH = [32]byte{
	0x50, 0x92, 0x9b, 0x74, 0xc1, 0xa0, 0x49, 0x54, 0xb7, 0x8b, 0x4b, 0x60, 0x35, 0xe9, 0x7a, 0x5e,
	0x07, 0x8a, 0x5a, 0x0f, 0x28, 0xec, 0x96, 0xd5, 0x47, 0xbf, 0xee, 0x9a, 0xce, 0x80, 0x3a, 0xc0,
}

// annexTag is the first byte of a taproot annex, the optional last witness item (BIP341).
const annexTag = 0x50

// TxInput is one transaction input as a scanner sees it: the outpoint it spends, its
// scriptSig and witness, and the output script of the coin it spends (which is not in the
// transaction itself and must come from the previous transaction or the UTXO set).
type TxInput struct {
	OutPoint   wire.OutPoint
	ScriptSig  []byte
	Witness    wire.TxWitness
	PrevScript []byte
}

// InputPubKey is the public key BIP352 takes from an input, with the input's script type, or
// ok = false when the input does not take part: a script type outside P2TR, P2WPKH,
// P2SH-P2WPKH and P2PKH, an uncompressed key, a taproot script-path spend whose internal key
// is the NUMS point H, or a malformed input. For P2TR the key is the output key from
// PrevScript with even y; for P2PKH the key is found anywhere in the scriptSig, as BIP352
// requires for malleated scriptSigs.
func InputPubKey(in *TxInput) (pub *btcec.PublicKey, typ txbuilder.ScriptType, ok bool) {
	spk := in.PrevScript
	switch {
	case isP2PKH(spk):
		if pub := p2pkhKey(in.ScriptSig, spk[3:23]); pub != nil {
			return pub, txbuilder.P2PKH, true
		}
	case isP2SH(spk):
		// The scriptSig must be the single push of a P2WPKH program.
		ss := in.ScriptSig
		if len(ss) == 23 && ss[0] == 22 && isP2WPKH(ss[1:]) {
			if pub := lastWitnessKey(in.Witness); pub != nil {
				return pub, txbuilder.P2SHP2WPKH, true
			}
		}
	case isP2WPKH(spk):
		if pub := lastWitnessKey(in.Witness); pub != nil {
			return pub, txbuilder.P2WPKH, true
		}
	case isP2TR(spk):
		if pub := taprootKey(in.Witness, spk[2:]); pub != nil {
			return pub, txbuilder.P2TR, true
		}
	}
	return nil, txbuilder.ScriptUnknown, false
}

// p2pkhKey slides a 33-byte window from the end of the scriptSig towards its start and
// returns the first compressed key whose HASH160 is the one the output pays to.
func p2pkhKey(scriptSig, keyHash []byte) *btcec.PublicKey {
	for end := len(scriptSig); end >= 33; end-- {
		cand := scriptSig[end-33 : end]
		if cand[0] != 0x02 && cand[0] != 0x03 {
			continue
		}
		if !bytes.Equal(address.Hash160(cand), keyHash) {
			continue
		}
		if pub, err := parseCompressed(cand); err == nil {
			return pub
		}
	}
	return nil
}

// lastWitnessKey is the last witness item as a compressed key, the key of a P2WPKH spend.
func lastWitnessKey(w wire.TxWitness) *btcec.PublicKey {
	if len(w) == 0 {
		return nil
	}
	pub, err := parseCompressed(w[len(w)-1])
	if err != nil {
		return nil
	}
	return pub
}

// taprootKey is the output key of a P2TR spend unless it is a script-path spend with the
// NUMS internal key. An empty witness is not a valid spend and gives nil.
func taprootKey(w wire.TxWitness, outputKey []byte) *btcec.PublicKey {
	if len(w) == 0 {
		return nil
	}
	if len(w) > 1 && len(w[len(w)-1]) > 0 && w[len(w)-1][0] == annexTag {
		w = w[:len(w)-1]
	}
	if len(w) > 1 {
		// Script path: the last item is the control block, <leaf version> <internal key> ...
		cb := w[len(w)-1]
		if len(cb) >= 33 && bytes.Equal(cb[1:33], numsH[:]) {
			return nil
		}
	}
	p, ok := liftX(outputKey)
	if !ok {
		return nil
	}
	return pubKey(&p)
}

func isP2PKH(s []byte) bool {
	return len(s) == 25 && s[0] == 0x76 && s[1] == 0xa9 && s[2] == 0x14 && s[23] == 0x88 && s[24] == 0xac
}

func isP2SH(s []byte) bool { return len(s) == 23 && s[0] == 0xa9 && s[1] == 0x14 && s[22] == 0x87 }

func isP2WPKH(s []byte) bool { return len(s) == 22 && s[0] == 0x00 && s[1] == 0x14 }

func isP2TR(s []byte) bool { return len(s) == 34 && s[0] == 0x51 && s[1] == 0x20 }

// IsFutureSegwit reports whether an output script is a segwit program of version 2 to 16.
// A transaction spending one is not scanned, and senders must not spend such coins in a
// transaction with silent payment outputs.
func IsFutureSegwit(script []byte) bool {
	n := len(script)
	return n >= 4 && n <= 42 && script[0] >= 0x52 && script[0] <= 0x60 && int(script[1]) == n-2
}

// serializeOutPoint is the 36-byte serialised outpoint: txid in its internal byte order, then
// the output index little-endian.
func serializeOutPoint(op *wire.OutPoint) [36]byte {
	var b [36]byte
	copy(b[:32], op.Hash[:])
	binary.LittleEndian.PutUint32(b[32:], op.Index)
	return b
}

// smallestOutPoint is outpoint_L, the lexicographically smallest serialised outpoint.
func smallestOutPoint(ops []wire.OutPoint) [36]byte {
	best := serializeOutPoint(&ops[0])
	for i := 1; i < len(ops); i++ {
		if s := serializeOutPoint(&ops[i]); bytes.Compare(s[:], best[:]) < 0 {
			best = s
		}
	}
	return best
}

// inputHash is hash_BIP0352/Inputs(outpoint_L || ser_P(A)) for an affine A.
func inputHash(outpointL [36]byte, a *btcec.JacobianPoint) (btcec.ModNScalar, error) {
	ser := serP(a)
	return hashScalar(tagInputs, outpointL[:], ser[:])
}

// inputKeySum is A, the sum of the keys of the eligible inputs, in affine form. It fails
// with ErrFutureSegwitInput, ErrNoEligibleInputs or ErrKeySumZero when the transaction is
// not one to scan.
func inputKeySum(inputs []TxInput) (btcec.JacobianPoint, error) {
	var sum btcec.JacobianPoint
	n := 0
	for i := range inputs {
		if IsFutureSegwit(inputs[i].PrevScript) {
			return sum, fmt.Errorf("input %d (%v): %w", i, inputs[i].OutPoint, ErrFutureSegwitInput)
		}
		pub, _, ok := InputPubKey(&inputs[i])
		if !ok {
			continue
		}
		j := jacobian(pub)
		sum = add(&sum, &j)
		n++
	}
	if n == 0 {
		return sum, ErrNoEligibleInputs
	}
	if !affine(&sum) {
		return sum, ErrKeySumZero
	}
	return sum, nil
}

// TweakData is input_hash·A for a transaction: the one point a receiver needs from it (with
// its taproot outputs) to scan for payments, and what silent payment indexes serve to light
// clients. It fails with ErrNoEligibleInputs, ErrKeySumZero or ErrFutureSegwitInput for a
// transaction that must not be scanned.
func TweakData(inputs []TxInput) (*btcec.PublicKey, error) {
	sum, err := inputKeySum(inputs)
	if err != nil {
		return nil, fmt.Errorf("tweak data: %w", err)
	}
	ops := make([]wire.OutPoint, len(inputs))
	for i := range inputs {
		ops[i] = inputs[i].OutPoint
	}
	h, err := inputHash(smallestOutPoint(ops), &sum)
	if err != nil {
		return nil, fmt.Errorf("tweak data: %w", err)
	}
	t := mult(&h, &sum)
	if !affine(&t) {
		return nil, fmt.Errorf("tweak data: %w", ErrKeySumZero) // unreachable: h is not zero
	}
	return pubKey(&t), nil
}
