package keys

import (
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// ScriptFor builds the output script of type t for a single compressed public key, and its
// address on net (left empty when net is nil). It is the one place satchel turns a key into a
// script, so accounts and descriptors cannot disagree. For tr the key is the internal key and
// the output key commits to no script tree (BIP86); for sh-wpkh the redeem script is returned.
// Chain and Index of the result are zero.
func ScriptFor(t txbuilder.ScriptType, pub *btcec.PublicKey, net *chaincfg.Params) (*Derived, error) {
	d := &Derived{PubKey: pub, Type: t}
	var addr address.Address
	var err error
	switch t {
	case txbuilder.P2PKH:
		h := address.Hash160(pub.SerializeCompressed())
		d.PkScript = P2PKHScript(h)
		if net != nil {
			addr, err = address.NewAddressPubKeyHash(h, net)
		}
	case txbuilder.P2WPKH:
		h := address.Hash160(pub.SerializeCompressed())
		d.PkScript = P2WPKHScript(h)
		if net != nil {
			addr, err = address.NewAddressWitnessPubKeyHash(h, net)
		}
	case txbuilder.P2SHP2WPKH:
		d.RedeemScript = P2WPKHScript(address.Hash160(pub.SerializeCompressed()))
		h := address.Hash160(d.RedeemScript)
		d.PkScript = P2SHScript(h)
		if net != nil {
			addr, err = address.NewAddressScriptHashFromHash(h, net)
		}
	case txbuilder.P2TR:
		d.OutputKey = txscript.ComputeTaprootKeyNoScript(pub)
		prog := schnorr.SerializePubKey(d.OutputKey)
		d.PkScript = P2TRScript(prog)
		if net != nil {
			addr, err = address.NewAddressTaproot(prog, net)
		}
	default:
		return nil, fmt.Errorf("script for key: unsupported script type %s", t)
	}
	if err != nil {
		return nil, fmt.Errorf("address for %s script: %w", t, err)
	}
	if addr != nil {
		d.Address = addr.EncodeAddress()
	}
	return d, nil
}

// P2PKHScript is OP_DUP OP_HASH160 <hash> OP_EQUALVERIFY OP_CHECKSIG for a 20-byte key hash.
func P2PKHScript(hash160 []byte) []byte {
	s := make([]byte, 0, 25)
	s = append(s, txscript.OP_DUP, txscript.OP_HASH160, txscript.OP_DATA_20)
	s = append(s, hash160...)
	return append(s, txscript.OP_EQUALVERIFY, txscript.OP_CHECKSIG)
}

// P2SHScript is OP_HASH160 <hash> OP_EQUAL for a 20-byte script hash.
func P2SHScript(hash160 []byte) []byte {
	s := make([]byte, 0, 23)
	s = append(s, txscript.OP_HASH160, txscript.OP_DATA_20)
	s = append(s, hash160...)
	return append(s, txscript.OP_EQUAL)
}

// P2WPKHScript is the witness v0 program OP_0 <20-byte key hash>.
func P2WPKHScript(hash160 []byte) []byte {
	s := make([]byte, 0, 22)
	s = append(s, txscript.OP_0, txscript.OP_DATA_20)
	return append(s, hash160...)
}

// P2TRScript is the witness v1 program OP_1 <32-byte x-only output key>.
func P2TRScript(xonly []byte) []byte {
	s := make([]byte, 0, 34)
	s = append(s, txscript.OP_1, txscript.OP_DATA_32)
	return append(s, xonly...)
}
