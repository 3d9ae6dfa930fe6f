package message

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	waddress "github.com/satchel-wallet/satchel/wallet/address"
)

// maxFullSize bounds a full signature's transaction: a standard transaction is under 100 kB.
const maxFullSize = 100_000

// verifyFull checks a BIP322 full signature: the base64 body is the whole to_sign
// transaction. Its version (0, or 2 for relative time locks), locktime, sequence and scriptSig
// are the signer's; the rest must be BIP322's: one input spending to_spend's output, one
// 0-satoshi OP_RETURN output. BIP322's own rules come next (every signature SIGHASH_ALL, or
// SIGHASH_DEFAULT in taproot; no OP_CODESEPARATOR in a witness script or tapscript), then the
// script engine runs it against the address's script, so every kind of address is checked,
// P2SH and scripts included. The time lock is returned for the caller to report.
func verifyFull(msg []byte, a *waddress.Address, body string) (TimeLock, error) {
	if len(body) > maxFullSize*4/3+4 {
		return TimeLock{}, malformed("BIP322 full", fmt.Sprintf("%d characters, more than any standard transaction", len(body)))
	}
	raw, err := decodeBase64(body)
	if err != nil {
		return TimeLock{}, err
	}
	if len(raw) > maxFullSize {
		return TimeLock{}, malformed("BIP322 full", fmt.Sprintf("%d bytes, more than any standard transaction", len(raw)))
	}
	var toSign wire.MsgTx
	r := bytes.NewReader(raw)
	if err := toSign.Deserialize(r); err != nil {
		return TimeLock{}, malformed("BIP322 full", "")
	}
	if r.Len() != 0 {
		return TimeLock{}, malformed("BIP322 full", fmt.Sprintf("%d bytes too many at its end", r.Len()))
	}
	want := BuildToSpend(msg, a.PkScript).TxHash()
	switch {
	case len(toSign.TxIn) != 1:
		return TimeLock{}, fmt.Errorf("%w: a full signature spends one input, this one %d (more is a proof of funds)",
			ErrInvalidSignature, len(toSign.TxIn))
	case toSign.TxIn[0].PreviousOutPoint != *wire.NewOutPoint(&want, 0):
		return TimeLock{}, fmt.Errorf("%w: it signs another message or address (it spends %s)",
			ErrInvalidSignature, toSign.TxIn[0].PreviousOutPoint)
	case len(toSign.TxOut) != 1 || toSign.TxOut[0].Value != 0 || !bytes.Equal(toSign.TxOut[0].PkScript, []byte{txscript.OP_RETURN}):
		return TimeLock{}, fmt.Errorf("%w: a full signature's transaction has one output, 0 satoshis to OP_RETURN", ErrInvalidSignature)
	case toSign.Version != 0 && toSign.Version != 2:
		// BIP322 calls any other version inconclusive: neither valid nor invalid.
		return TimeLock{}, fmt.Errorf("%w: to_sign has version %d; BIP322 leaves all but 0 and 2 inconclusive", ErrUnsupported, toSign.Version)
	}
	if err := checkFullRules(toSign.TxIn[0], a.PkScript); err != nil {
		return TimeLock{}, err
	}
	if err := runScript(&toSign, a.PkScript); err != nil {
		return TimeLock{}, err
	}
	return TimeLock{LockTime: toSign.LockTime, Sequence: toSign.TxIn[0].Sequence, Version: toSign.Version}, nil
}

// checkFullRules enforces what BIP322 asks beyond the script engine's policy: every signature
// with SIGHASH_ALL (SIGHASH_DEFAULT too in taproot), and no OP_CODESEPARATOR in a witness
// script or tapscript (the engine forbids it only in legacy scripts). Signatures are found by
// their form: an ECDSA one is a strict DER encoding plus a sighash byte; in taproot a 65-byte
// item before the script and control block.
func checkFullRules(in *wire.TxIn, pkScript []byte) error {
	if txscript.IsPayToTaproot(pkScript) {
		w := in.Witness
		if len(w) >= 2 && len(w[len(w)-1]) > 0 && w[len(w)-1][0] == txscript.TaprootAnnexTag {
			w = w[:len(w)-1]
		}
		if len(w) >= 2 { // script path: ..., script, control block
			if hasCodeSeparator(w[len(w)-2]) {
				return fmt.Errorf("%w: the tapscript uses OP_CODESEPARATOR, which BIP322 forbids", ErrInvalidSignature)
			}
			w = w[:len(w)-2]
		}
		for _, item := range w {
			if len(item) == 65 && txscript.SigHashType(item[64]) != txscript.SigHashAll {
				return fmt.Errorf("%w: a signature has sighash type %#x; BIP322 requires SIGHASH_ALL or SIGHASH_DEFAULT",
					ErrInvalidSignature, item[64])
			}
		}
		return nil
	}
	pushes, err := txscript.PushedData(in.SignatureScript)
	if err != nil {
		return fmt.Errorf("%w: the scriptSig does not parse: %v", ErrInvalidSignature, err)
	}
	for _, item := range append(append([][]byte{}, in.Witness...), pushes...) {
		if isDERSignature(item) && txscript.SigHashType(item[len(item)-1]) != txscript.SigHashAll {
			return fmt.Errorf("%w: a signature has sighash type %#x; BIP322 requires SIGHASH_ALL",
				ErrInvalidSignature, item[len(item)-1])
		}
	}
	// The witness script: the last witness item of a P2WSH spend, bare or nested in P2SH.
	program := pkScript
	if txscript.IsPayToScriptHash(pkScript) && len(pushes) > 0 {
		program = pushes[len(pushes)-1]
	}
	if txscript.IsPayToWitnessScriptHash(program) && len(in.Witness) > 0 && hasCodeSeparator(in.Witness[len(in.Witness)-1]) {
		return fmt.Errorf("%w: the witness script uses OP_CODESEPARATOR, which BIP322 forbids", ErrInvalidSignature)
	}
	return nil
}

// isDERSignature says whether item is a strict DER ECDSA signature followed by a sighash byte.
func isDERSignature(item []byte) bool {
	if len(item) < 9 || len(item) > 73 || item[0] != 0x30 {
		return false
	}
	_, err := ecdsa.ParseDERSignature(item[:len(item)-1])
	return err == nil
}

// hasCodeSeparator says whether a script holds OP_CODESEPARATOR (or does not parse, which is
// no better).
func hasCodeSeparator(script []byte) bool {
	tok := txscript.MakeScriptTokenizer(0, script)
	for tok.Next() {
		if tok.Opcode() == txscript.OP_CODESEPARATOR {
			return true
		}
	}
	return tok.Err() != nil
}

// signFullNested makes a full signature for a P2SH-P2WPKH address: the simple format has no
// room for the scriptSig that names the witness program. to_sign keeps BIP322's defaults
// (version 0, locktime 0, sequence 0).
func signFullNested(msg, pkScript []byte, key *btcec.PrivateKey, program []byte) (*wire.MsgTx, error) {
	toSign := BuildToSign(BuildToSpend(msg, pkScript), nil)
	push, err := txscript.NewScriptBuilder().AddData(program).Script()
	if err != nil {
		return nil, err
	}
	toSign.TxIn[0].SignatureScript = push
	fetcher := txscript.NewCannedPrevOutputFetcher(pkScript, 0)
	hashes := txscript.NewTxSigHashes(toSign, fetcher)
	w, err := txscript.WitnessSignature(toSign, hashes, 0, 0, program, txscript.SigHashAll, key, true)
	if err != nil {
		return nil, err
	}
	toSign.TxIn[0].Witness = w
	return toSign, nil
}
