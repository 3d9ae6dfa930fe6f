package txbuilder

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/psbt/v2"
)

// CombinePSBTs is BIP174's combiner: it merges PSBTs of the same unsigned transaction,
// signed apart (each cosigner of a multisig signing its own copy), into one holding every
// signature and every field any of them has. PSBTs of different transactions are refused,
// since merging them would sign something nobody was shown. Where two copies hold different
// values for the same field, the first PSBT's value is kept.
func CombinePSBTs(ps []*psbt.Packet) (*psbt.Packet, error) {
	if len(ps) < 2 {
		return nil, fmt.Errorf("%w: combine needs at least two PSBTs", ErrInvalidPSBT)
	}
	var first bytes.Buffer
	if err := ps[0].UnsignedTx.Serialize(&first); err != nil {
		return nil, err
	}
	out, err := ClonePSBT(ps[0])
	if err != nil {
		return nil, err
	}
	for n, p := range ps[1:] {
		var b bytes.Buffer
		if err := p.UnsignedTx.Serialize(&b); err != nil {
			return nil, err
		}
		if !bytes.Equal(b.Bytes(), first.Bytes()) {
			return nil, fmt.Errorf("%w: PSBT %d is of another transaction (%s, not %s): combine only copies of the same PSBT",
				ErrPSBTRefused, n+2, p.UnsignedTx.TxHash(), ps[0].UnsignedTx.TxHash())
		}
		for i := range out.Inputs {
			mergeInput(&out.Inputs[i], &p.Inputs[i])
		}
		for i := range out.Outputs {
			mergeOutput(&out.Outputs[i], &p.Outputs[i])
		}
		for _, x := range p.XPubs {
			if !hasXPub(out.XPubs, x) {
				out.XPubs = append(out.XPubs, x)
			}
		}
	}
	// The result must read back under the strict rules, as everything satchel writes.
	raw, err := EncodePSBT(out)
	if err != nil {
		return nil, err
	}
	return DecodePSBT(raw)
}

func mergeInput(dst, src *psbt.PInput) {
	if dst.FinalScriptSig == nil && dst.FinalScriptWitness == nil && (src.FinalScriptSig != nil || src.FinalScriptWitness != nil) {
		// One copy is already finalised: it holds everything the input needs.
		*dst = *src
		return
	}
	if dst.NonWitnessUtxo == nil {
		dst.NonWitnessUtxo = src.NonWitnessUtxo
	}
	if dst.WitnessUtxo == nil {
		dst.WitnessUtxo = src.WitnessUtxo
	}
	if dst.RedeemScript == nil {
		dst.RedeemScript = src.RedeemScript
	}
	if dst.WitnessScript == nil {
		dst.WitnessScript = src.WitnessScript
	}
	if dst.SighashType == 0 {
		dst.SighashType = src.SighashType
	}
	if dst.TaprootKeySpendSig == nil {
		dst.TaprootKeySpendSig = src.TaprootKeySpendSig
	}
	if dst.TaprootInternalKey == nil {
		dst.TaprootInternalKey = src.TaprootInternalKey
	}
	dst.PartialSigs = appendMissing(dst.PartialSigs, src.PartialSigs,
		func(ps *psbt.PartialSig) []byte { return ps.PubKey })
	dst.Bip32Derivation = appendMissing(dst.Bip32Derivation, src.Bip32Derivation,
		func(d *psbt.Bip32Derivation) []byte { return d.PubKey })
	dst.TaprootBip32Derivation = appendMissing(dst.TaprootBip32Derivation, src.TaprootBip32Derivation,
		func(d *psbt.TaprootBip32Derivation) []byte { return d.XOnlyPubKey })
}

func mergeOutput(dst, src *psbt.POutput) {
	if dst.RedeemScript == nil {
		dst.RedeemScript = src.RedeemScript
	}
	if dst.WitnessScript == nil {
		dst.WitnessScript = src.WitnessScript
	}
	if dst.TaprootInternalKey == nil {
		dst.TaprootInternalKey = src.TaprootInternalKey
	}
	dst.Bip32Derivation = appendMissing(dst.Bip32Derivation, src.Bip32Derivation,
		func(d *psbt.Bip32Derivation) []byte { return d.PubKey })
}

func hasXPub(xs []psbt.XPub, x psbt.XPub) bool {
	for _, h := range xs {
		if bytes.Equal(h.ExtendedKey, x.ExtendedKey) {
			return true
		}
	}
	return false
}

// appendMissing appends the items of src whose key no item of dst has: a combiner keeps the
// first copy of each key's signature or derivation.
func appendMissing[T any](dst, src []T, key func(T) []byte) []T {
	for _, item := range src {
		found := false
		for _, have := range dst {
			found = found || bytes.Equal(key(have), key(item))
		}
		if !found {
			dst = append(dst, item)
		}
	}
	return dst
}
