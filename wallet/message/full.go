package message

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	waddress "github.com/satchel-wallet/satchel/wallet/address"
)

// maxFullSize bounds a full signature's transaction: a standard transaction is under 100 kB.
const maxFullSize = 100_000

// verifyFull checks a BIP322 full signature: the base64 body is the whole to_sign
// transaction. Its version, locktime, sequence and scriptSig are the signer's (time locks need
// them); the rest must be BIP322's: one input spending to_spend's output, one 0-satoshi
// OP_RETURN output. The script engine then runs it against the address's script, so every
// kind of address is checked, P2SH and scripts included.
func verifyFull(msg []byte, a *waddress.Address, body string) error {
	raw, err := decodeBase64(body)
	if err != nil {
		return err
	}
	if len(raw) > maxFullSize {
		return fmt.Errorf("%w: a full signature of %d bytes is larger than any standard transaction", ErrMalformedSignature, len(raw))
	}
	var toSign wire.MsgTx
	r := bytes.NewReader(raw)
	if err := toSign.Deserialize(r); err != nil {
		return fmt.Errorf("%w: a full signature is a transaction: %v", ErrMalformedSignature, err)
	}
	if r.Len() != 0 {
		return fmt.Errorf("%w: %d bytes after the transaction", ErrMalformedSignature, r.Len())
	}
	want := BuildToSpend(msg, a.PkScript).TxHash()
	switch {
	case len(toSign.TxIn) != 1:
		return fmt.Errorf("%w: a full signature spends one input, this one %d (more is a proof of funds)",
			ErrInvalidSignature, len(toSign.TxIn))
	case toSign.TxIn[0].PreviousOutPoint != *wire.NewOutPoint(&want, 0):
		return fmt.Errorf("%w: it signs another message or address (it spends %s)",
			ErrInvalidSignature, toSign.TxIn[0].PreviousOutPoint)
	case len(toSign.TxOut) != 1 || toSign.TxOut[0].Value != 0 || !bytes.Equal(toSign.TxOut[0].PkScript, []byte{txscript.OP_RETURN}):
		return fmt.Errorf("%w: a full signature's transaction has one output, 0 satoshis to OP_RETURN", ErrInvalidSignature)
	}
	return runScript(&toSign, a.PkScript)
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
