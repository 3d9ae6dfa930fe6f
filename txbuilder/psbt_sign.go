package txbuilder

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// SignPSBTInput signs input i of p as an input of type t with key, the way satchel signs its
// own transactions: P2WPKH, P2SH-P2WPKH and P2PKH with SIGHASH_ALL (a partial signature),
// P2TR by key path with SIGHASH_DEFAULT (or SIGHASH_ALL when the input asks for it), a P2WSH
// multisig (its witness script in the input must hold the key) with SIGHASH_ALL. For P2TR
// key is the BIP86 internal key; the tweak is applied here. The key must be the one the spent
// output pays to, and the input must say what it spends (a P2PKH input its previous
// transaction; a P2TR input needs every input's, since BIP341 signs all amounts). Any other
// sighash type is refused. It adds what a finaliser needs (witness_utxo for segwit inputs,
// the redeemScript for P2SH-P2WPKH) and nothing else.
func SignPSBTInput(p *psbt.Packet, i int, t ScriptType, key *btcec.PrivateKey) error {
	if i < 0 || i >= len(p.Inputs) {
		return fmt.Errorf("sign PSBT: no input %d", i+1)
	}
	in := &p.Inputs[i]
	prev := PSBTPrevOut(p, i)
	if prev == nil {
		return fmt.Errorf("%w: input %d does not say what it spends (no utxo)", ErrPSBTRefused, i+1)
	}
	hashType := txscript.SigHashAll
	switch {
	case in.SighashType == 0:
		if t == P2TR {
			hashType = txscript.SigHashDefault
		}
	case in.SighashType == txscript.SigHashAll:
	case in.SighashType == txscript.SigHashDefault && t == P2TR:
		hashType = txscript.SigHashDefault
	default:
		return fmt.Errorf("%w: input %d asks for sighash type %#x; satchel signs only SIGHASH_ALL", ErrPSBTRefused, i+1, uint32(in.SighashType))
	}
	fetcher, all := newPSBTFetcher(p)
	tx := p.UnsignedTx
	pub := key.PubKey()
	pubBytes := pub.SerializeCompressed()
	hash := address.Hash160(pubBytes)
	mismatch := func() error {
		return fmt.Errorf("%w: input %d: the key does not match the %s output it spends", ErrPSBTRefused, i+1, t)
	}
	switch t {
	case P2WPKH:
		if !bytes.Equal(prev.PkScript, witnessKeyHashScript(hash)) {
			return mismatch()
		}
		hashes := txscript.NewTxSigHashes(tx, fetcher)
		sig, err := txscript.RawTxInWitnessSignature(tx, hashes, i, prev.Value, prev.PkScript, hashType, key)
		if err != nil {
			return fmt.Errorf("sign input %d: %w", i+1, err)
		}
		in.WitnessUtxo = wire.NewTxOut(prev.Value, prev.PkScript)
		addPartialSig(in, pubBytes, sig)
	case P2SHP2WPKH:
		redeem := witnessKeyHashScript(hash)
		if !txscript.IsPayToScriptHash(prev.PkScript) || !bytes.Equal(prev.PkScript[2:22], address.Hash160(redeem)) {
			return mismatch()
		}
		if len(in.RedeemScript) > 0 && !bytes.Equal(in.RedeemScript, redeem) {
			return mismatch()
		}
		hashes := txscript.NewTxSigHashes(tx, fetcher)
		sig, err := txscript.RawTxInWitnessSignature(tx, hashes, i, prev.Value, redeem, hashType, key)
		if err != nil {
			return fmt.Errorf("sign input %d: %w", i+1, err)
		}
		in.RedeemScript = redeem
		in.WitnessUtxo = wire.NewTxOut(prev.Value, prev.PkScript)
		addPartialSig(in, pubBytes, sig)
	case P2PKH:
		if !bytes.Equal(prev.PkScript, keyHashScript(hash)) {
			return mismatch()
		}
		if in.NonWitnessUtxo == nil {
			return fmt.Errorf("%w: P2PKH input %d has no non_witness_utxo (its previous transaction)", ErrPSBTRefused, i+1)
		}
		sig, err := txscript.RawTxInSignature(tx, i, prev.PkScript, hashType, key)
		if err != nil {
			return fmt.Errorf("sign input %d: %w", i+1, err)
		}
		addPartialSig(in, pubBytes, sig)
	case P2TR:
		outKey := txscript.ComputeTaprootKeyNoScript(pub)
		want := append([]byte{txscript.OP_1, txscript.OP_DATA_32}, schnorr.SerializePubKey(outKey)...)
		if !bytes.Equal(prev.PkScript, want) {
			return mismatch()
		}
		if len(in.TaprootMerkleRoot) > 0 {
			return fmt.Errorf("%w: P2TR input %d commits to a script tree; satchel signs BIP86 key-path spends only", ErrPSBTRefused, i+1)
		}
		if !all {
			return fmt.Errorf("%w: P2TR input %d: every input must say what it spends (BIP341 signs all amounts)", ErrPSBTRefused, i+1)
		}
		hashes := txscript.NewTxSigHashes(tx, fetcher)
		sig, err := txscript.RawTxInTaprootSignature(tx, hashes, i, prev.Value, prev.PkScript, []byte{}, hashType, key)
		if err != nil {
			return fmt.Errorf("sign input %d: %w", i+1, err)
		}
		in.WitnessUtxo = wire.NewTxOut(prev.Value, prev.PkScript)
		in.TaprootKeySpendSig = sig
	default:
		if _, _, ok := t.Multisig(); ok {
			return signMultisigInput(p, i, key, hashType)
		}
		return fmt.Errorf("%w: input %d: cannot sign a %s input", ErrPSBTRefused, i+1, t)
	}
	return nil
}

func addPartialSig(in *psbt.PInput, pub, sig []byte) {
	for _, ps := range in.PartialSigs {
		if bytes.Equal(ps.PubKey, pub) {
			ps.Signature = sig
			return
		}
	}
	in.PartialSigs = append(in.PartialSigs, &psbt.PartialSig{PubKey: pub, Signature: sig})
}

func witnessKeyHashScript(h []byte) []byte {
	return append([]byte{txscript.OP_0, txscript.OP_DATA_20}, h...)
}

func keyHashScript(h []byte) []byte {
	s := append([]byte{txscript.OP_DUP, txscript.OP_HASH160, txscript.OP_DATA_20}, h...)
	return append(s, txscript.OP_EQUALVERIFY, txscript.OP_CHECKSIG)
}

// PSBTInputFinal says whether input i carries its final scriptSig or witness.
func PSBTInputFinal(p *psbt.Packet, i int) bool {
	return p.Inputs[i].FinalScriptSig != nil || p.Inputs[i].FinalScriptWitness != nil
}

// FinalizePSBT finalises every input that has what it needs (BIP174's finaliser: the
// signatures become the final scriptSig and witness, the rest of the input is dropped), and
// returns the inputs that could not be finalised yet. Each finalised input is run through the
// script engine when the PSBT says what every input spends; a signature that does not verify
// is an error, and p is then left as it was.
func FinalizePSBT(p *psbt.Packet) (pending []int, err error) {
	work, err := ClonePSBT(p)
	if err != nil {
		return nil, err
	}
	var done []int
	for i := range work.Inputs {
		if PSBTInputFinal(work, i) {
			continue
		}
		// A P2WSH multisig input is finalised here, with exactly M signatures, or waits for more.
		if _, ok := PSBTMultisig(work, i); ok {
			done1, err := finalizeMultisig(work, i)
			if err != nil {
				return nil, fmt.Errorf("%w: finalise input %d: %w", ErrPSBTRefused, i+1, err)
			}
			if done1 {
				done = append(done, i)
			} else {
				pending = append(pending, i)
			}
			continue
		}
		in := &work.Inputs[i]
		// A segwit input described only by its previous transaction is finalised as segwit.
		if prev := PSBTPrevOut(work, i); in.WitnessUtxo == nil && prev != nil && spendsWitness(prev.PkScript, in.RedeemScript) {
			in.WitnessUtxo = wire.NewTxOut(prev.Value, prev.PkScript)
		}
		ok, err := psbt.MaybeFinalize(work, i)
		if errors.Is(err, psbt.ErrNotFinalizable) || (err == nil && !ok) {
			pending = append(pending, i)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: finalise input %d: %w", ErrPSBTRefused, i+1, err)
		}
		done = append(done, i)
	}
	if err := VerifyPSBTInputs(work, done); err != nil {
		return nil, err
	}
	*p = *work
	return pending, nil
}

// spendsWitness says whether an output script (with the redeemScript for P2SH) is segwit.
func spendsWitness(script, redeem []byte) bool {
	if txscript.IsWitnessProgram(script) {
		return true
	}
	return txscript.IsPayToScriptHash(script) && len(redeem) > 0 && txscript.IsWitnessProgram(redeem)
}

// VerifyPSBTInputs runs the finalised inputs idx of p through the script engine with the
// standard verification flags. It needs to know what every input spends (the sighash of a
// P2TR input covers all of them); when the PSBT does not say, it verifies nothing and returns
// nil: the node checks on broadcast.
func VerifyPSBTInputs(p *psbt.Packet, idx []int) error {
	fetcher, all := newPSBTFetcher(p)
	if !all || len(idx) == 0 {
		return nil
	}
	tx, err := partialTx(p)
	if err != nil {
		return err
	}
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	for _, i := range idx {
		prev := fetcher.FetchPrevOutput(tx.TxIn[i].PreviousOutPoint)
		vm, err := txscript.NewEngine(prev.PkScript, tx, i, txscript.StandardVerifyFlags, nil, hashes, prev.Value, fetcher)
		if err == nil {
			err = vm.Execute()
		}
		if err != nil {
			return fmt.Errorf("%w: input %d does not verify: %w", ErrPSBTRefused, i+1, err)
		}
	}
	return nil
}

// partialTx is the transaction with the final scriptSig and witness of every finalised input.
func partialTx(p *psbt.Packet) (*wire.MsgTx, error) {
	tx := p.UnsignedTx.Copy()
	for i, in := range p.Inputs {
		tx.TxIn[i].SignatureScript = in.FinalScriptSig
		if in.FinalScriptWitness != nil {
			w, err := parseWitness(in.FinalScriptWitness)
			if err != nil {
				return nil, fmt.Errorf("%w: input %d: final witness: %w", ErrInvalidPSBT, i+1, err)
			}
			tx.TxIn[i].Witness = w
		}
	}
	return tx, nil
}

func parseWitness(b []byte) (wire.TxWitness, error) {
	r := &psbtReader{b: b}
	n, err := r.compactSize()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(b)) {
		return nil, errors.New("more witness items than bytes")
	}
	w := make(wire.TxWitness, 0, n)
	for range n {
		l, err := r.compactSize()
		if err != nil {
			return nil, err
		}
		item, err := r.bytes(l)
		if err != nil {
			return nil, err
		}
		w = append(w, item)
	}
	if r.pos != len(b) {
		return nil, errors.New("bytes after the last witness item")
	}
	return w, nil
}

// ExtractPSBT is the network transaction of a PSBT whose every input is final (BIP174's
// extractor), checked by the script engine when the PSBT says what every input spends.
func ExtractPSBT(p *psbt.Packet) (*wire.MsgTx, error) {
	var missing []int
	for i := range p.Inputs {
		if !PSBTInputFinal(p, i) {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s not finalised", ErrPSBTIncomplete, InputList(missing))
	}
	tx, err := partialTx(p)
	if err != nil {
		return nil, err
	}
	all := make([]int, len(p.Inputs))
	for i := range all {
		all[i] = i
	}
	if err := VerifyPSBTInputs(p, all); err != nil {
		return nil, err
	}
	return tx, nil
}
