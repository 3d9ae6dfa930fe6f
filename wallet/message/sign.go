package message

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
	waddress "github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Sign signs msg with key for addr on net. scriptType says how key makes addr: P2WPKH and P2TR
// give a BIP322 simple signature ("smp" + base64 witness; for P2TR key is the BIP86 internal
// key, tweaked here), P2SH-P2WPKH a BIP322 full one ("ful" + base64 of the whole to_sign
// transaction, whose scriptSig names the witness program), P2PKH a legacy signature (base64
// of a 65-byte compact recoverable ECDSA signature with a compressed key). Other types give ErrUnsupported; a key or type that does
// not give addr gives ErrKeyMismatch. The signature is verified before it is returned.
func Sign(msg []byte, addr string, net *chaincfg.Params, key *btcec.PrivateKey, scriptType txbuilder.ScriptType) (string, error) {
	if key == nil {
		return "", fmt.Errorf("sign message: no key")
	}
	a, err := waddress.Decode(addr, net)
	if err != nil {
		return "", fmt.Errorf("sign message: %w", err)
	}
	switch scriptType {
	case txbuilder.P2PKH, txbuilder.P2WPKH, txbuilder.P2TR, txbuilder.P2SHP2WPKH:
	default:
		return "", fmt.Errorf("sign message: %w: %s addresses", ErrUnsupported, scriptType)
	}
	d, err := keys.ScriptFor(scriptType, key.PubKey(), nil)
	if err != nil {
		return "", fmt.Errorf("sign message: %w", err)
	}
	if !bytes.Equal(d.PkScript, a.PkScript) {
		return "", fmt.Errorf("sign message: %w: the key's %s address is not %s", ErrKeyMismatch, scriptType, a.String)
	}

	var sig string
	switch scriptType {
	case txbuilder.P2PKH:
		sig = base64.StdEncoding.EncodeToString(ecdsa.SignCompact(key, legacyHash(msg), true))
	case txbuilder.P2SHP2WPKH:
		toSign, err := signFullNested(msg, a.PkScript, key, d.RedeemScript)
		if err != nil {
			return "", fmt.Errorf("sign message: %w", err)
		}
		var buf bytes.Buffer
		if err := toSign.Serialize(&buf); err != nil {
			return "", fmt.Errorf("sign message: %w", err)
		}
		sig = "ful" + base64.StdEncoding.EncodeToString(buf.Bytes())
	default:
		w, err := signSimple(msg, a.PkScript, key, scriptType)
		if err != nil {
			return "", fmt.Errorf("sign message: %w", err)
		}
		sig = "smp" + base64.StdEncoding.EncodeToString(encodeWitness(w))
	}
	if _, err := verify(msg, a, sig); err != nil {
		return "", fmt.Errorf("sign message: own signature does not verify: %w", err)
	}
	return sig, nil
}

// signSimple makes the witness that spends to_spend's output in to_sign.
func signSimple(msg, pkScript []byte, key *btcec.PrivateKey, t txbuilder.ScriptType) (wire.TxWitness, error) {
	toSign := BuildToSign(BuildToSpend(msg, pkScript), nil)
	fetcher := txscript.NewCannedPrevOutputFetcher(pkScript, 0)
	hashes := txscript.NewTxSigHashes(toSign, fetcher)
	if t == txbuilder.P2TR {
		return txscript.TaprootWitnessSignature(toSign, hashes, 0, 0, pkScript, txscript.SigHashDefault, key)
	}
	return txscript.WitnessSignature(toSign, hashes, 0, 0, pkScript, txscript.SigHashAll, key, true)
}
