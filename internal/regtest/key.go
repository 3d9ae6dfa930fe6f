package regtest

import (
	"crypto/sha256"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// Net is the network every node of the harness runs.
var Net = &chaincfg.RegressionNetParams

// Key is a single private key with one output script, that the harness can receive to and
// spend from. It lets a test own coins on a chosen script type without a wallet.
type Key struct {
	Priv *btcec.PrivateKey
	// Type is P2WPKH, P2TR (BIP86 key path), P2PKH or P2SHP2WPKH.
	Type     txbuilder.ScriptType
	Address  string
	PkScript []byte
	// redeem is the P2SH-P2WPKH redeem script (the P2WPKH program).
	redeem []byte
}

// Faucet is the harness's own key: every node mines to its P2WPKH address, and Send spends
// its coins. It is derived from a fixed seed, so its address is the same in every run:
// FaucetAddress.
var Faucet = NewKey("satchel regtest faucet", txbuilder.P2WPKH)

// FaucetAddress is Faucet.Address, written out for scripts and docs.
const FaucetAddress = "bcrt1qqyt0r5eaaer3n0frs9eh7hs6n4hctsksnhdj3h"

// NewKey derives a key from seed (sha256 of it is the private key) with an output script of
// the given type on regtest. The same seed always gives the same key, so tests repeat.
func NewKey(seed string, typ txbuilder.ScriptType) *Key {
	sum := sha256.Sum256([]byte(seed))
	priv, pub := btcec.PrivKeyFromBytes(sum[:])
	k := &Key{Priv: priv, Type: typ}
	var (
		a   address.Address
		err error
	)
	pkHash := address.Hash160(pub.SerializeCompressed())
	switch typ {
	case txbuilder.P2WPKH:
		a, err = address.NewAddressWitnessPubKeyHash(pkHash, Net)
	case txbuilder.P2TR:
		out := txscript.ComputeTaprootKeyNoScript(pub)
		a, err = address.NewAddressTaproot(schnorr.SerializePubKey(out), Net)
	case txbuilder.P2PKH:
		a, err = address.NewAddressPubKeyHash(pkHash, Net)
	case txbuilder.P2SHP2WPKH:
		var w address.Address
		w, err = address.NewAddressWitnessPubKeyHash(pkHash, Net)
		if err == nil {
			k.redeem, err = txscript.PayToAddrScript(w)
		}
		if err == nil {
			a, err = address.NewAddressScriptHash(k.redeem, Net)
		}
	default:
		panic(fmt.Sprintf("regtest.NewKey: cannot spend script type %v", typ))
	}
	if err != nil {
		panic(fmt.Sprintf("regtest.NewKey: %v", err))
	}
	k.Address = a.EncodeAddress()
	k.PkScript, err = txscript.PayToAddrScript(a)
	if err != nil {
		panic(fmt.Sprintf("regtest.NewKey: %v", err))
	}
	return k
}

// sign fills input idx of tx, which spends an output of this key worth amount.
func (k *Key) sign(tx *wire.MsgTx, idx int, amount int64, hashes *txscript.TxSigHashes) error {
	in := tx.TxIn[idx]
	switch k.Type {
	case txbuilder.P2WPKH:
		w, err := txscript.WitnessSignature(tx, hashes, idx, amount, k.PkScript,
			txscript.SigHashAll, k.Priv, true)
		if err != nil {
			return err
		}
		in.Witness = w
	case txbuilder.P2TR:
		w, err := txscript.TaprootWitnessSignature(tx, hashes, idx, amount, k.PkScript,
			txscript.SigHashDefault, k.Priv)
		if err != nil {
			return err
		}
		in.Witness = w
	case txbuilder.P2PKH:
		s, err := txscript.SignatureScript(tx, idx, k.PkScript, txscript.SigHashAll, k.Priv, true)
		if err != nil {
			return err
		}
		in.SignatureScript = s
	case txbuilder.P2SHP2WPKH:
		w, err := txscript.WitnessSignature(tx, hashes, idx, amount, k.redeem,
			txscript.SigHashAll, k.Priv, true)
		if err != nil {
			return err
		}
		in.Witness = w
		s, err := txscript.NewScriptBuilder().AddData(k.redeem).Script()
		if err != nil {
			return err
		}
		in.SignatureScript = s
	default:
		return fmt.Errorf("cannot sign for script type %v", k.Type)
	}
	return nil
}
