package txbuilder

import (
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// signUntweaked signs a taproot key-path input with k as the output key's own private key
// (no BIP86 tweak), as a silent payment output is spent. BIP340 signing takes care of the
// key's y parity.
func signUntweaked(tx *wire.MsgTx, hashes *txscript.TxSigHashes, i int, amt int64, pkScript []byte,
	hashType txscript.SigHashType, k *btcec.PrivateKey) error {
	// The fetcher answers for this input only; the other inputs' outputs are in hashes.
	sigHash, err := txscript.CalcTaprootSignatureHash(hashes, hashType, tx, i,
		txscript.NewCannedPrevOutputFetcher(pkScript, amt))
	if err != nil {
		return err
	}
	sig, err := schnorr.Sign(k, sigHash)
	if err != nil {
		return err
	}
	b := sig.Serialize()
	if hashType != txscript.SigHashDefault {
		b = append(b, byte(hashType))
	}
	tx.TxIn[i].Witness = wire.TxWitness{b}
	return nil
}
