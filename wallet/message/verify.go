package message

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
	waddress "github.com/satchel-wallet/satchel/wallet/address"
)

// verifyFlags are the script rules BIP322 requires of a simple signature: btcd's standard
// policy flags include DER, low S, strict encoding, null-fail, minimal data, clean stack,
// minimal IF, and refuse upgradable NOPs and witness versions.
const verifyFlags = txscript.StandardVerifyFlags

// Verify checks that signature signs msg for addr on net. It returns nil only for a valid
// signature. BIP322 simple signatures (prefixed "smp", or unprefixed as before 2026) are
// checked for P2WPKH, P2WSH and P2TR key-path addresses; full ones ("ful") for every kind of
// address, by the script engine; legacy signatures for P2PKH addresses. Proof-of-funds
// signatures are refused with ErrUnsupported. Failures match
// ErrInvalidSignature, ErrMalformedSignature or ErrUnsupported, or wallet/address's errors for
// an address that does not decode on net.
func Verify(msg []byte, addr string, signature string, net *chaincfg.Params) error {
	_, err := VerifyTimeLock(msg, addr, signature, net)
	return err
}

// TimeLock is what a full signature's transaction asks of time, which BIP322 reports with the
// result ("valid at time T and age S"): its locktime and its input's sequence. The zero value
// asks nothing; simple and legacy signatures never do.
type TimeLock struct {
	LockTime uint32 // nLockTime: a block height below 500,000,000, else a Unix time
	Sequence uint32 // the input's nSequence: a relative lock (BIP68) unless bit 31 is set
	Version  int32  // to_sign's version: BIP68 applies from version 2
}

// VerifyTimeLock is Verify that also returns the signature's time lock, for the caller to
// report: the script engine checks the signature against the transaction's own locktime and
// sequence, not against the chain's time.
func VerifyTimeLock(msg []byte, addr string, signature string, net *chaincfg.Params) (TimeLock, error) {
	a, err := waddress.Decode(addr, net)
	if err != nil {
		return TimeLock{}, fmt.Errorf("verify message: %w", err)
	}
	tl, err := verify(msg, a, signature)
	if err != nil {
		return TimeLock{}, fmt.Errorf("verify message for %s: %w", a.String, err)
	}
	return tl, nil
}

func verify(msg []byte, a *waddress.Address, signature string) (TimeLock, error) {
	v, body := splitVariant(signature)
	switch v {
	case variantProof:
		return TimeLock{}, fmt.Errorf("%w: %s signatures (prefix %q) are not supported (they need the coins' "+
			"current state); ask for a simple or full signature", ErrUnsupported, v, signature[:3])
	case variantFull:
		return verifyFull(msg, a, body)
	}
	return TimeLock{}, verifyOther(msg, a, v, body)
}

// verifyOther checks simple, unprefixed and legacy signatures.
func verifyOther(msg []byte, a *waddress.Address, v variant, body string) error {
	switch a.Type {
	case txbuilder.P2PKH:
		if v == variantSimple {
			return fmt.Errorf("%w: simple signatures exist only for native segwit addresses; "+
				"a 1... address takes a legacy signature", ErrInvalidSignature)
		}
		return verifyLegacy(msg, a.PkScript, body)
	case txbuilder.P2WPKH, txbuilder.P2TR, txbuilder.P2WSH:
		return verifySimple(msg, a, body)
	case txbuilder.P2SH:
		if raw, err := decodeBase64(body); err == nil && looksLegacy(raw) {
			return fmt.Errorf("%w: this is a legacy signature, which BIP322 allows only for "+
				"1... (P2PKH) addresses; ask for a full signature (ful)", ErrUnsupported)
		}
		return fmt.Errorf("%w: a P2SH (3...) address cannot take a simple signature: its scriptSig "+
			"has no place there; ask for a full signature (ful)", ErrInvalidSignature)
	}
	return fmt.Errorf("%w: %s addresses", ErrUnsupported, a.Type)
}

// verifySimple checks a BIP322 simple signature (the base64 body of a witness stack) by
// running the script engine on to_sign.
func verifySimple(msg []byte, a *waddress.Address, body string) error {
	raw, err := decodeBase64(body)
	if err != nil {
		return err
	}
	witness, err := decodeWitness(raw)
	if err != nil {
		if looksLegacy(raw) {
			return fmt.Errorf("%w: this is a legacy signature, which BIP322 allows only for "+
				"1... (P2PKH) addresses", ErrUnsupported)
		}
		return malformed("BIP322", "")
	}
	if err := checkWitnessShape(a.Type, witness); err != nil {
		return err
	}
	toSign := BuildToSign(BuildToSpend(msg, a.PkScript), witness)
	if a.Type == txbuilder.P2WSH {
		// A script's signatures follow the same BIP322 rules as in a full signature.
		if err := checkFullRules(toSign.TxIn[0], a.PkScript); err != nil {
			return err
		}
	}
	return runScript(toSign, a.PkScript)
}

// checkWitnessShape enforces what the engine does not: the sighash types BIP322 allows, and
// the spend paths satchel checks.
func checkWitnessShape(t txbuilder.ScriptType, w wire.TxWitness) error {
	switch t {
	case txbuilder.P2WPKH:
		if len(w) != 2 || len(w[0]) == 0 {
			return fmt.Errorf("%w: a P2WPKH signature is a signature and a public key, got %d items",
				ErrInvalidSignature, len(w))
		}
		if ht := txscript.SigHashType(w[0][len(w[0])-1]); ht != txscript.SigHashAll {
			return fmt.Errorf("%w: sighash type %#x; BIP322 requires SIGHASH_ALL", ErrInvalidSignature, byte(ht))
		}
	case txbuilder.P2TR:
		if len(w) >= 2 && len(w[len(w)-1]) > 0 && w[len(w)-1][0] == txscript.TaprootAnnexTag {
			return fmt.Errorf("%w: taproot signatures with an annex", ErrUnsupported)
		}
		if len(w) > 1 {
			return fmt.Errorf("%w: taproot script-path signatures", ErrUnsupported)
		}
		if len(w) == 0 {
			return fmt.Errorf("%w: empty witness", ErrInvalidSignature)
		}
		switch sig := w[0]; {
		case len(sig) == 64:
		case len(sig) == 65 && txscript.SigHashType(sig[64]) == txscript.SigHashAll:
		default:
			return fmt.Errorf("%w: a taproot key-path signature is 64 bytes (SIGHASH_DEFAULT) or "+
				"65 ending in SIGHASH_ALL", ErrInvalidSignature)
		}
	}
	return nil
}

// runScript executes the first input of toSign against pkScript (a 0-satoshi output).
func runScript(toSign *wire.MsgTx, pkScript []byte) error {
	fetcher := txscript.NewCannedPrevOutputFetcher(pkScript, 0)
	hashes := txscript.NewTxSigHashes(toSign, fetcher)
	vm, err := txscript.NewEngine(pkScript, toSign, 0, verifyFlags, nil, hashes, 0, fetcher)
	if err == nil {
		err = vm.Execute()
	}
	if err != nil {
		// The engine's reason ("signature not empty on failed checksig") speaks of scripts;
		// what the person can check is the message, the address and the copy. The reason
		// stays wrapped for whoever debugs.
		return mismatch{cause: err}
	}
	return nil
}

// errMismatch is a well-formed signature that does not verify: almost always a message that
// differs from the signed text by a character, or another address.
var errMismatch = fmt.Errorf("%w: it does not match this address and message: check that the message is exactly the signed text (every space and line break) and that the address is the signer's", ErrInvalidSignature)

// mismatch is errMismatch with the reason a check gave, kept out of the message (it speaks of
// scripts and keys) but reachable by errors.Is and errors.As.
type mismatch struct{ cause error }

func (m mismatch) Error() string   { return errMismatch.Error() }
func (m mismatch) Unwrap() []error { return []error{errMismatch, m.cause} }

// Legacy compact signature headers: 27 + recovery id, plus 4 for a compressed key. 35..42 are
// the segwit headers some wallets (BIP137) use, which BIP322 does not allow.
const (
	legacySigLen      = 65
	legacyHeaderFirst = 27
	legacyHeaderLast  = 42
)

// looksLegacy reports whether raw has the size and header of a compact recoverable signature.
func looksLegacy(raw []byte) bool {
	return len(raw) == legacySigLen && raw[0] >= legacyHeaderFirst && raw[0] <= legacyHeaderLast
}

// verifyLegacy checks a base64 65-byte compact signature over the "Bitcoin Signed Message"
// hash: the key it recovers must hash to the P2PKH address's key hash.
func verifyLegacy(msg, pkScript []byte, body string) error {
	raw, err := decodeBase64(body)
	if err != nil {
		return err
	}
	if len(raw) != legacySigLen {
		return malformed("legacy", fmt.Sprintf("it is %d bytes, not %d", len(raw), legacySigLen))
	}
	pub, compressed, err := ecdsa.RecoverCompact(raw, legacyHash(msg))
	if err != nil {
		return mismatch{cause: err} // no key signed this message with it
	}
	ser := pub.SerializeUncompressed()
	if compressed {
		ser = pub.SerializeCompressed()
	}
	// A P2PKH script is OP_DUP OP_HASH160 <20 bytes> OP_EQUALVERIFY OP_CHECKSIG.
	if !bytes.Equal(address.Hash160(ser), pkScript[3:23]) {
		return errMismatch // another message, or another key
	}
	return nil
}
