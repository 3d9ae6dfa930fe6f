package txbuilder

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ErrFeeRateShortfall means a signed transaction came out larger than its estimate, so its real
// fee rate would be below the one asked for. It is never broadcast.
var ErrFeeRateShortfall = errors.New("signed transaction pays less than the asked fee rate")

// PrevOut is what signing needs to know about the output an input spends.
type PrevOut struct {
	Value    Amount
	PkScript []byte
	Type     ScriptType
	// RedeemScript is the P2WPKH program a P2SH-P2WPKH input pushes.
	RedeemScript []byte
	// Untweaked marks a P2TR output whose output key is the signing key itself, with no BIP86
	// tweak: a BIP352 silent payment output, whose key is already spend key + tweak.
	Untweaked bool
}

// KeyFunc returns the private key for input i. For P2TR it is the BIP86 internal key; the
// signer applies the key-path tweak.
type KeyFunc func(i int) (*btcec.PrivateKey, error)

// Sign signs every input of tx in place: P2TR key path (BIP86, SIGHASH_DEFAULT), P2WPKH,
// P2SH-P2WPKH and P2PKH (SIGHASH_ALL). Then it runs each input through the script engine, so a
// wrong key or script fails here rather than at the node.
func Sign(tx *wire.MsgTx, prev []PrevOut, key KeyFunc) error {
	return SignWith(tx, prev, key, txscript.SigHashDefault)
}

// SignWith signs like Sign with a chosen sighash type: SigHashDefault means SIGHASH_DEFAULT
// for taproot and SIGHASH_ALL for the others. Dust disposal uses ALL|ANYONECANPAY, so the coin
// can be given up without tying it to any other input.
func SignWith(tx *wire.MsgTx, prev []PrevOut, key KeyFunc, hashType txscript.SigHashType) error {
	if len(prev) != len(tx.TxIn) {
		return fmt.Errorf("sign: %d previous outputs for %d inputs", len(prev), len(tx.TxIn))
	}
	fetcher := prevOutFetcher(tx, prev)
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	for i, p := range prev {
		k, err := key(i)
		if err != nil {
			return fmt.Errorf("sign input %d: %w", i, err)
		}
		err = signInput(tx, hashes, i, p, k, hashType)
		k.Zero()
		if err != nil {
			return fmt.Errorf("sign input %d (%s): %w", i, p.Type, err)
		}
	}
	return Verify(tx, prev)
}

func signInput(tx *wire.MsgTx, hashes *txscript.TxSigHashes, i int, p PrevOut, k *btcec.PrivateKey, hashType txscript.SigHashType) error {
	amt := int64(p.Value)
	ecdsaType := hashType
	if hashType == txscript.SigHashDefault {
		ecdsaType = txscript.SigHashAll
	}
	switch p.Type {
	case P2TR:
		if p.Untweaked {
			return signUntweaked(tx, hashes, i, amt, p.PkScript, hashType, k)
		}
		w, err := txscript.TaprootWitnessSignature(tx, hashes, i, amt, p.PkScript, hashType, k)
		if err != nil {
			return err
		}
		tx.TxIn[i].Witness = w
	case P2WPKH:
		w, err := txscript.WitnessSignature(tx, hashes, i, amt, p.PkScript, ecdsaType, k, true)
		if err != nil {
			return err
		}
		tx.TxIn[i].Witness = w
	case P2SHP2WPKH:
		if len(p.RedeemScript) == 0 {
			return errors.New("no redeem script")
		}
		w, err := txscript.WitnessSignature(tx, hashes, i, amt, p.RedeemScript, ecdsaType, k, true)
		if err != nil {
			return err
		}
		sig, err := txscript.NewScriptBuilder().AddData(p.RedeemScript).Script()
		if err != nil {
			return err
		}
		tx.TxIn[i].Witness, tx.TxIn[i].SignatureScript = w, sig
	case P2PKH:
		sig, err := txscript.SignatureScript(tx, i, p.PkScript, ecdsaType, k, true)
		if err != nil {
			return err
		}
		tx.TxIn[i].SignatureScript = sig
	default:
		return fmt.Errorf("cannot sign a %s input", p.Type)
	}
	return nil
}

// Verify runs every input of a signed transaction through the script engine with the standard
// verification flags.
func Verify(tx *wire.MsgTx, prev []PrevOut) error {
	fetcher := prevOutFetcher(tx, prev)
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	for i, p := range prev {
		vm, err := txscript.NewEngine(p.PkScript, tx, i, txscript.StandardVerifyFlags, nil, hashes, int64(p.Value), fetcher)
		if err != nil {
			return fmt.Errorf("verify input %d: %w", i, err)
		}
		if err := vm.Execute(); err != nil {
			return fmt.Errorf("verify input %d: %w", i, err)
		}
	}
	return nil
}

func prevOutFetcher(tx *wire.MsgTx, prev []PrevOut) *txscript.MultiPrevOutFetcher {
	m := make(map[wire.OutPoint]*wire.TxOut, len(prev))
	for i, p := range prev {
		m[tx.TxIn[i].PreviousOutPoint] = wire.NewTxOut(int64(p.Value), p.PkScript)
	}
	return txscript.NewMultiPrevOutFetcher(m)
}

// TxWeight is a transaction's weight as nodes count it.
func TxWeight(tx *wire.MsgTx) Weight {
	base := tx.SerializeSizeStripped()
	total := tx.SerializeSize()
	return Weight(base*3 + total)
}

// CheckFeeRate confirms that a signed transaction's real fee rate, fee / ceil(weight/4), is at
// least rate.
func CheckFeeRate(tx *wire.MsgTx, fee Amount, rate FeeRate) error {
	vsize := TxWeight(tx).VSize()
	if need := rate.FeeForVSize(vsize); fee < need {
		return fmt.Errorf("%w: fee %s sat for %s vB needs %s sat at %s sat/vB", ErrFeeRateShortfall, fee.Grouped(), Amount(vsize).Grouped(), need.Grouped(), rate)
	}
	return nil
}
