package wallet

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/psbt/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// ErrNothingToSign means a PSBT has no unsigned input of this wallet.
var ErrNothingToSign = errors.New("nothing to sign")

// PSBTSignResult says what SignPSBT did.
type PSBTSignResult struct {
	// Signed are the inputs signed by this call.
	Signed []int
	// Complete says every input now has the signatures it needs (a finaliser can finish it).
	Complete bool
}

// PSBTSigningPlan is what SignPSBT will sign, found before the passphrase is asked, so the user
// sees it first: the wallet's unsigned inputs, with their amounts checked.
type PSBTSigningPlan struct {
	Summary *PSBTSummary
	Inputs  []int
}

// PlanPSBTSigning runs every check that needs no secret, in this order: BIP174's signer
// checks on all inputs (scripts and amounts consistent); no output may claim the wallet's key
// without paying it; each of the wallet's inputs must have an amount it can trust, either the
// previous transaction in the PSBT (non_witness_utxo, checked against the outpoint) or the
// wallet's own record of that transaction, which must then agree with the PSBT. A P2TR input
// may rest on witness_utxo alone, since BIP341 signatures commit to every input's amount and
// script, as Bitcoin Core also accepts. A segwit v0 or legacy input with neither is refused:
// its signature would not commit to the amounts of the other inputs, which is how a
// coordinator lying about amounts tricks a signer into paying a huge fee. A P2PKH input
// without its previous transaction gets it from the wallet's record (the updater's job).
func (w *Wallet) PlanPSBTSigning(p *psbt.Packet) (*PSBTSigningPlan, error) {
	if w.meta.WatchOnly {
		return nil, fmt.Errorf("%w: this wallet holds no seed, so it signs nothing (sign with the wallet that has it)", keys.ErrWatchOnly)
	}
	if err := txbuilder.CheckPSBTSigner(p); err != nil {
		return nil, err
	}
	s, err := w.AnalyzePSBT(p)
	if err != nil {
		return nil, err
	}
	if len(s.Lies) > 0 {
		return nil, fmt.Errorf("%w: %w: %s", txbuilder.ErrPSBTRefused, ErrChangeNotOurs, s.Warnings[len(s.Warnings)-len(s.Lies)])
	}
	plan := &PSBTSigningPlan{Summary: s}
	err = w.st.View(func(tx *store.Txn) error {
		for i, in := range s.Inputs {
			if !in.Ours {
				continue
			}
			// Every input of ours, signed in this round or not: a segwit v0 signature made
			// earlier commits to its own input's amount only, so a lie about an input said
			// to be signed already (its partial signature is not checked) would hide fee
			// from the guard while the other input is signed now.
			if err := w.checkPSBTAmount(tx, p, i, in.Type); err != nil {
				return fmt.Errorf("%w: input %d: %w", txbuilder.ErrPSBTRefused, i+1, err)
			}
			if in.Status == InputFinal || in.Status == InputSigned || w.signedByUs(p, i, in.Path) {
				continue
			}
			plan.Inputs = append(plan.Inputs, i)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(plan.Inputs) == 0 {
		return nil, fmt.Errorf("%w: no unsigned input of this PSBT is this wallet's", ErrNothingToSign)
	}
	return plan, nil
}

// checkPSBTAmount checks what input i says it spends against the wallet's record of the
// previous transaction, or decides whether it may be trusted without one.
func (w *Wallet) checkPSBTAmount(tx *store.Txn, p *psbt.Packet, i int, t txbuilder.ScriptType) error {
	prev := txbuilder.PSBTPrevOut(p, i)
	op := p.UnsignedTx.TxIn[i].PreviousOutPoint
	rec, err := tx.Tx(op.Hash)
	if err == nil {
		m, err := rec.MsgTx()
		if err != nil {
			return err
		}
		if int(op.Index) >= len(m.TxOut) {
			return fmt.Errorf("spends output %d of %s, which has %d outputs", op.Index, op.Hash, len(m.TxOut))
		}
		have := m.TxOut[op.Index]
		if have.Value != prev.Value || !bytes.Equal(have.PkScript, prev.PkScript) {
			return fmt.Errorf("the PSBT says it spends %s, but the wallet's record of %s says %s", groupSat(prev.Value), op, groupSat(have.Value))
		}
		if t == txbuilder.P2PKH && p.Inputs[i].NonWitnessUtxo == nil {
			p.Inputs[i].NonWitnessUtxo = m // updater's job, done here since the wallet has it
		}
		return nil
	}
	if !store.IsNotFound(err) {
		return err
	}
	if p.Inputs[i].NonWitnessUtxo != nil || t == txbuilder.P2TR {
		return nil
	}
	return fmt.Errorf("its amount cannot be checked: the PSBT has no non_witness_utxo and the wallet does not know %s (sync first)", op.Hash)
}

// SignPSBT signs the inputs of plan (from PlanPSBTSigning on the same PSBT) with the wallet's
// keys, after deriving every output that is said to be the wallet's from the seed and
// comparing it. Each signature is verified by the script engine before it is kept. The seed
// and keys are wiped after, as far as Go allows.
func (w *Wallet) SignPSBT(p *psbt.Packet, plan *PSBTSigningPlan, passphrase []byte, opts ...keystore.Option) (*PSBTSignResult, error) {
	master, err := w.unlock(passphrase, opts...)
	if err != nil {
		return nil, err
	}
	defer master.Zero()
	for _, out := range plan.Summary.Outputs {
		if !out.Ours {
			continue
		}
		a, chain, index, err := w.pathOf(out.Path)
		if err != nil {
			return nil, err
		}
		k, err := w.privKeyFor(master, a, chain, index)
		if err != nil {
			return nil, err
		}
		d, err := w.scriptOfKey(a, chain, index, k.PubKey())
		k.Zero()
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(d.PkScript, p.UnsignedTx.TxOut[out.Index].PkScript) {
			return nil, fmt.Errorf("sign: %w: output %d does not derive from %s", ErrChangeNotOurs, out.Index+1, out.Path)
		}
	}
	work, err := txbuilder.ClonePSBT(p)
	if err != nil {
		return nil, err
	}
	for _, i := range plan.Inputs {
		in := plan.Summary.Inputs[i]
		a, chain, index, err := w.pathOf(in.Path)
		if err != nil {
			return nil, err
		}
		k, err := w.privKeyFor(master, a, chain, index)
		if err != nil {
			return nil, err
		}
		err = txbuilder.SignPSBTInput(work, i, a.keys.ScriptType(), k)
		k.Zero()
		if err != nil {
			return nil, err
		}
	}
	// Finalising a copy runs every signature through the script engine.
	trial, err := txbuilder.ClonePSBT(work)
	if err != nil {
		return nil, err
	}
	pending, err := txbuilder.FinalizePSBT(trial)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	*p = *work
	return &PSBTSignResult{Signed: plan.Inputs, Complete: len(pending) == 0}, nil
}

// pathOf finds the account and chain/index of a path this wallet wrote (Account.Path).
func (w *Wallet) pathOf(path string) (*account, uint32, uint32, error) {
	for _, a := range w.accounts {
		prefix := a.keys.OriginPath() + "/"
		if len(path) <= len(prefix) || path[:len(prefix)] != prefix {
			continue
		}
		var chain, index uint32
		if _, err := fmt.Sscanf(path[len(prefix):], "%d/%d", &chain, &index); err == nil && chain <= 1 {
			if a.keys.Path(chain, index) == path {
				return a, chain, index, nil
			}
		}
	}
	return nil, 0, 0, fmt.Errorf("path %s is not one of this wallet's", path)
}

// privKeyFor derives the wallet's private key for chain/index of account a: for a multisig,
// the seed's own key at its cosigner path.
func (w *Wallet) privKeyFor(master *hdkeychain.ExtendedKey, a *account, chain, index uint32) (*btcec.PrivateKey, error) {
	if ms := a.keys.Multi; ms != nil {
		if ms.Local < 0 {
			return nil, fmt.Errorf("sign: %w", keys.ErrWatchOnly)
		}
		return keys.PrivKeyAt(master, a.fullPath(chain, index))
	}
	return keys.PrivKey(master, a.keys.Purpose, w.net, a.keys.Index, chain, index)
}

// scriptOfKey is the output of account a at chain/index built with pub as the wallet's own
// key: for a single key its script, for a multisig the script of pub beside the cosigners'
// keys (so a key that is not the seed's gives another script).
func (w *Wallet) scriptOfKey(a *account, chain, index uint32, pub *btcec.PublicKey) (*keys.Derived, error) {
	ms := a.keys.Multi
	if ms == nil {
		return keys.ScriptFor(a.keys.ScriptType(), pub, w.net)
	}
	d, err := a.keys.Derive(chain, index)
	if err != nil {
		return nil, err
	}
	pubs := make([]*btcec.PublicKey, len(d.MultiKeys))
	for k, mk := range d.MultiKeys {
		pubs[k] = mk.PubKey
	}
	if ms.Local >= 0 {
		pubs[ms.Local] = pub
	}
	return keys.MultisigScriptFor(ms.M, pubs, true, w.net)
}

// signedByUs says whether input i (a multisig input of this wallet at path) already carries
// the signature of the wallet's own key.
func (w *Wallet) signedByUs(p *psbt.Packet, i int, path string) bool {
	a, chain, index, err := w.pathOf(path)
	if err != nil || a.keys.Multi == nil {
		return false
	}
	d, err := a.keys.Derive(chain, index)
	if err != nil || d.PubKey == nil {
		return false
	}
	own := d.PubKey.SerializeCompressed()
	for _, ps := range p.Inputs[i].PartialSigs {
		if bytes.Equal(ps.PubKey, own) {
			return true
		}
	}
	return false
}
