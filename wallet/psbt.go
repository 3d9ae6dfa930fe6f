package wallet

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// psbtFingerprint converts a fingerprint as satchel holds it (the four HASH160 bytes read
// big-endian, as descriptors print it) to the value btcd's psbt package writes little-endian,
// so the bytes in the PSBT are the fingerprint's own bytes.
func psbtFingerprint(fp uint32) uint32 { return bits.ReverseBytes32(fp) }

// fullPath is a key's BIP32 path from the master, as PSBT derivation fields carry it.
func (a *account) fullPath(chain, index uint32) []uint32 {
	if ms := a.keys.Multi; ms != nil {
		return append(slices.Clone(ms.Cosigners[max(ms.Local, 0)].Path), chain, index)
	}
	return []uint32{uint32(a.keys.Purpose) + keys.Hardened, keys.CoinType(a.keys.Net) + keys.Hardened,
		a.keys.Index + keys.Hardened, chain, index}
}

// PSBT writes a plan as an unsigned BIP174 PSBT for another signer: a hardware wallet, another
// wallet holding the seed, or satchel psbt sign elsewhere. Every input carries what signers
// need to check it: witness_utxo for segwit inputs; the previous transaction
// (non_witness_utxo) for every input but P2TR, since segwit v0 signatures do not commit to
// other inputs' amounts and hardware signers insist on it; the BIP32 derivation (master
// fingerprint and full path), or for P2TR the BIP371 tap_bip32_derivation (no leaf hashes)
// and tap_internal_key; the redeemScript for P2SH-P2WPKH. The change output (and any output
// paying the wallet itself) carries its derivation too, so the signer can show it as change.
func (w *Wallet) PSBT(plan *Plan) (*psbt.Packet, error) {
	p, err := psbt.NewFromUnsignedTx(plan.Built.Tx.Copy())
	if err != nil {
		return nil, fmt.Errorf("psbt: %w", err)
	}
	err = w.st.View(func(tx *store.Txn) error {
		for i, kp := range plan.paths {
			op := p.UnsignedTx.TxIn[i].PreviousOutPoint
			var prevTx *wire.MsgTx
			if rec, err := tx.Tx(op.Hash); err == nil {
				if prevTx, err = rec.MsgTx(); err != nil {
					return err
				}
				if int(op.Index) >= len(prevTx.TxOut) || prevTx.TxOut[op.Index].Value != int64(plan.Prev[i].Value) {
					return fmt.Errorf("coin %s does not match its transaction in the store", op)
				}
			} else if !store.IsNotFound(err) {
				return err
			}
			if err := w.fillPSBTInput(&p.Inputs[i], plan.Prev[i], kp, prevTx); err != nil {
				return fmt.Errorf("input %d (%s): %w", i+1, op, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("psbt: %w", err)
	}
	own := map[int]keyPath{}
	for i, kp := range plan.ownOutputs {
		own[i] = kp
	}
	if plan.Built.ChangeIndex >= 0 {
		own[plan.Built.ChangeIndex] = plan.change
	}
	for idx, kp := range own {
		if err := w.fillPSBTOutput(&p.Outputs[idx], p.UnsignedTx.TxOut[idx].PkScript, kp); err != nil {
			return nil, fmt.Errorf("psbt: output %d: %w", idx+1, err)
		}
	}
	if a := w.main(); a.keys.Multi != nil {
		p.XPubs = multisigXPubs(a.keys)
	}
	// What satchel writes must read back under its own strict rules.
	b, err := txbuilder.EncodePSBT(p)
	if err != nil {
		return nil, err
	}
	return txbuilder.DecodePSBT(b)
}

func (w *Wallet) fillPSBTInput(in *psbt.PInput, prev txbuilder.PrevOut, kp keyPath, prevTx *wire.MsgTx) error {
	a := w.account(kp.purpose)
	if kp.purpose == store.SilentPurpose {
		// Its key is the spend key plus a tweak only this wallet's scan knows: no other signer
		// could sign it from a BIP32 path, and a PSBT has no field for the tweak.
		return fmt.Errorf("%w: a silent-payment coin cannot go in a PSBT (its key is not on a BIP32 path): spend it with satchel send, or leave it out with coin control", ErrBadInput)
	}
	if a == nil {
		return fmt.Errorf("account %d unknown", kp.purpose)
	}
	d, err := a.keys.Derive(kp.chain, kp.index)
	if err != nil {
		return err
	}
	path := a.fullPath(kp.chain, kp.index)
	fp := psbtFingerprint(a.keys.Fingerprint)
	utxo := wire.NewTxOut(int64(prev.Value), prev.PkScript)
	if a.keys.Multi != nil {
		// Segwit v0: the previous transaction too, as for P2WPKH; the witness script and
		// every cosigner's derivation, so each signer finds its key and checks the script.
		in.WitnessUtxo, in.NonWitnessUtxo, in.WitnessScript = utxo, prevTx, d.WitnessScript
		in.Bip32Derivation = multisigDerivations(a.keys, d)
		return nil
	}
	switch prev.Type {
	case txbuilder.P2TR:
		xonly := schnorr.SerializePubKey(d.PubKey)
		in.WitnessUtxo = utxo
		in.TaprootInternalKey = xonly
		in.TaprootBip32Derivation = []*psbt.TaprootBip32Derivation{{XOnlyPubKey: xonly, LeafHashes: [][]byte{},
			MasterKeyFingerprint: fp, Bip32Path: path}}
		return nil
	case txbuilder.P2WPKH:
		in.WitnessUtxo = utxo
	case txbuilder.P2SHP2WPKH:
		in.WitnessUtxo = utxo
		in.RedeemScript = d.RedeemScript
	case txbuilder.P2PKH:
		if prevTx == nil {
			return fmt.Errorf("the previous transaction of a P2PKH coin is not in the store (sync first)")
		}
	default:
		return fmt.Errorf("cannot describe a %s input", prev.Type)
	}
	in.NonWitnessUtxo = prevTx
	in.Bip32Derivation = []*psbt.Bip32Derivation{{PubKey: d.PubKey.SerializeCompressed(), MasterKeyFingerprint: fp, Bip32Path: path}}
	return nil
}

func (w *Wallet) fillPSBTOutput(out *psbt.POutput, script []byte, kp keyPath) error {
	a := w.account(kp.purpose)
	if a == nil {
		return fmt.Errorf("account %d unknown", kp.purpose)
	}
	d, err := a.keys.Derive(kp.chain, kp.index)
	if err != nil {
		return err
	}
	if string(d.PkScript) != string(script) {
		return fmt.Errorf("%w: %s", ErrChangeNotOurs, a.keys.Path(kp.chain, kp.index))
	}
	if a.keys.Multi != nil {
		out.WitnessScript = d.WitnessScript
		out.Bip32Derivation = multisigDerivations(a.keys, d)
		return nil
	}
	path := a.fullPath(kp.chain, kp.index)
	fp := psbtFingerprint(a.keys.Fingerprint)
	if d.Type == txbuilder.P2TR {
		xonly := schnorr.SerializePubKey(d.PubKey)
		out.TaprootInternalKey = xonly
		out.TaprootBip32Derivation = []*psbt.TaprootBip32Derivation{{XOnlyPubKey: xonly, LeafHashes: [][]byte{},
			MasterKeyFingerprint: fp, Bip32Path: path}}
		return nil
	}
	if d.Type == txbuilder.P2SHP2WPKH {
		out.RedeemScript = d.RedeemScript
	}
	out.Bip32Derivation = []*psbt.Bip32Derivation{{PubKey: d.PubKey.SerializeCompressed(), MasterKeyFingerprint: fp, Bip32Path: path}}
	return nil
}
