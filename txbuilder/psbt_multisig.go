package txbuilder

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ParseMultisigScript reads an m-of-n CHECKMULTISIG script of compressed keys
// (OP_m <33-byte key>... OP_n OP_CHECKMULTISIG, n <= 16) and returns m and the keys in script
// order; ok is false for any other script.
func ParseMultisigScript(s []byte) (m int, pubs [][]byte, ok bool) {
	if len(s) < 3+34 || s[len(s)-1] != txscript.OP_CHECKMULTISIG {
		return 0, nil, false
	}
	small := func(op byte) (int, bool) {
		if op < txscript.OP_1 || op > txscript.OP_16 {
			return 0, false
		}
		return int(op-txscript.OP_1) + 1, true
	}
	m, ok1 := small(s[0])
	n, ok2 := small(s[len(s)-2])
	if !ok1 || !ok2 || m > n || len(s) != 3+34*n {
		return 0, nil, false
	}
	for i := 0; i < n; i++ {
		k := s[1+34*i : 1+34*(i+1)]
		if k[0] != txscript.OP_DATA_33 || (k[1] != 2 && k[1] != 3) {
			return 0, nil, false
		}
		pubs = append(pubs, k[1:])
	}
	return m, pubs, true
}

// MultisigSigs is how far the signing of a P2WSH multisig input has come.
type MultisigSigs struct {
	M int
	// Keys are the script's keys in script order; Signed[i] says whether Keys[i] has a
	// partial signature in the input.
	Keys   [][]byte
	Signed []bool
	Have   int
}

// Missing is how many more signatures the input needs (0 when it has enough).
func (s MultisigSigs) Missing() int { return max(s.M-s.Have, 0) }

// PSBTMultisig reports the signing state of input i when it spends a P2WSH multisig whose
// witness script the PSBT carries (and that script hashes to the output it spends); ok is
// false for any other input. Only partial signatures by the script's keys are counted.
func PSBTMultisig(p *psbt.Packet, i int) (MultisigSigs, bool) {
	in := &p.Inputs[i]
	prev := PSBTPrevOut(p, i)
	if prev == nil || len(in.WitnessScript) == 0 || !txscript.IsPayToWitnessScriptHash(prev.PkScript) {
		return MultisigSigs{}, false
	}
	h := sha256.Sum256(in.WitnessScript)
	if !bytes.Equal(prev.PkScript[2:], h[:]) {
		return MultisigSigs{}, false
	}
	m, pubs, ok := ParseMultisigScript(in.WitnessScript)
	if !ok {
		return MultisigSigs{}, false
	}
	s := MultisigSigs{M: m, Keys: pubs, Signed: make([]bool, len(pubs))}
	for _, ps := range in.PartialSigs {
		for k, pub := range pubs {
			if !s.Signed[k] && bytes.Equal(ps.PubKey, pub) {
				s.Signed[k] = true
				s.Have++
			}
		}
	}
	return s, true
}

// signMultisigInput adds key's signature to P2WSH multisig input i (SIGHASH_ALL): the input's
// witness script must hash to the output it spends and hold key's public key.
func signMultisigInput(p *psbt.Packet, i int, key *btcec.PrivateKey, hashType txscript.SigHashType) error {
	in := &p.Inputs[i]
	prev := PSBTPrevOut(p, i)
	st, ok := PSBTMultisig(p, i)
	if !ok {
		return fmt.Errorf("%w: input %d: no multisig witness script matching the output it spends", ErrPSBTRefused, i+1)
	}
	pub := key.PubKey().SerializeCompressed()
	found := false
	for _, k := range st.Keys {
		found = found || bytes.Equal(k, pub)
	}
	if !found {
		return fmt.Errorf("%w: input %d: the key is not one of the multisig's keys", ErrPSBTRefused, i+1)
	}
	fetcher, _ := newPSBTFetcher(p)
	hashes := txscript.NewTxSigHashes(p.UnsignedTx, fetcher)
	sig, err := txscript.RawTxInWitnessSignature(p.UnsignedTx, hashes, i, prev.Value, in.WitnessScript, hashType, key)
	if err != nil {
		return fmt.Errorf("sign input %d: %w", i+1, err)
	}
	// Until M signatures are there the script engine cannot run the input: check this one
	// signature against its sighash now, so a bad one is never handed to the next cosigner.
	digest, err := txscript.CalcWitnessSigHash(in.WitnessScript, hashes, hashType, p.UnsignedTx, i, prev.Value)
	if err != nil {
		return fmt.Errorf("sign input %d: %w", i+1, err)
	}
	parsed, err := ecdsa.ParseDERSignature(sig[:len(sig)-1])
	if err != nil || !parsed.Verify(digest, key.PubKey()) {
		return fmt.Errorf("sign input %d: the new signature does not verify", i+1)
	}
	in.WitnessUtxo = wire.NewTxOut(prev.Value, prev.PkScript)
	addPartialSig(in, pub, sig)
	return nil
}

// finalizeMultisig finalises P2WSH multisig input i when it has M partial signatures by the
// script's keys: the witness is the empty item CHECKMULTISIG pops, M signatures in the
// script's key order, and the script. It reports false (nothing changed) when signatures are
// missing. Signatures beyond M are left out, since extra ones would fail the clean-stack rule.
func finalizeMultisig(p *psbt.Packet, i int) (bool, error) {
	st, ok := PSBTMultisig(p, i)
	if !ok || st.Have < st.M {
		return false, nil
	}
	in := &p.Inputs[i]
	wit := wire.TxWitness{nil}
	for k, pub := range st.Keys {
		if !st.Signed[k] || len(wit)-1 == st.M {
			continue
		}
		for _, ps := range in.PartialSigs {
			if bytes.Equal(ps.PubKey, pub) {
				if len(ps.Signature) < 9 || txscript.SigHashType(ps.Signature[len(ps.Signature)-1]) != txscript.SigHashAll {
					return false, fmt.Errorf("input %d: a signature is not SIGHASH_ALL", i+1)
				}
				if _, err := ecdsa.ParseDERSignature(ps.Signature[:len(ps.Signature)-1]); err != nil {
					return false, fmt.Errorf("input %d: a signature is not DER: %w", i+1, err)
				}
				wit = append(wit, ps.Signature)
				break
			}
		}
	}
	wit = append(wit, in.WitnessScript)
	var b bytes.Buffer
	if err := psbt.WriteTxWitness(&b, wit); err != nil {
		return false, err
	}
	utxo, nonWit := in.WitnessUtxo, in.NonWitnessUtxo
	// BIP174's finaliser keeps only the UTXO fields and the final scripts.
	*in = psbt.PInput{WitnessUtxo: utxo, NonWitnessUtxo: nonWit, FinalScriptWitness: b.Bytes()}
	if in.WitnessUtxo == nil {
		prev := PSBTPrevOut(p, i)
		in.WitnessUtxo = wire.NewTxOut(prev.Value, prev.PkScript)
	}
	return true, nil
}
