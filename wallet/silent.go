package wallet

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// SilentPlaceholder is the output script a silent payment occupies while coins are chosen: a
// P2TR output of the same size as the one derived at signing.
var SilentPlaceholder = append([]byte{txscript.OP_1, 32}, make([]byte, 32)...)

// silentOutputs derives the BIP352 output key of every silent-payment payee from the inputs'
// private keys and puts it in tx. Every input of a satchel wallet (P2TR key path, P2WPKH,
// P2SH-P2WPKH, P2PKH) is eligible under BIP352.
func (w *Wallet) silentOutputs(plan *Plan, tx *wire.MsgTx, master *hdkeychain.ExtendedKey) error {
	var recipients []*silentpay.Address
	var outIdx []int
	for i, p := range plan.Request.Payments {
		if p.SilentPayment != nil {
			recipients = append(recipients, p.SilentPayment)
			outIdx = append(outIdx, plan.Built.PayeeIndex[i])
		}
	}
	if len(recipients) == 0 {
		return nil
	}
	inputs := make([]silentpay.InputKey, len(tx.TxIn))
	for i, in := range tx.TxIn {
		p := plan.paths[i]
		k, err := keys.PrivKey(master, keys.Purpose(p.purpose), w.net, 0, p.chain, p.index)
		if err != nil {
			return err
		}
		taproot := plan.Prev[i].Type == txbuilder.P2TR
		if taproot {
			k = txscript.TweakTaprootPrivKey(*k, nil)
		}
		inputs[i] = silentpay.InputKey{OutPoint: in.PreviousOutPoint, Priv: k, IsTaproot: taproot}
	}
	defer func() {
		for _, in := range inputs {
			in.Priv.Zero()
		}
	}()
	outs, err := silentpay.CreateOutputs(inputs, recipients)
	if err != nil {
		return fmt.Errorf("silent payment: %w", err)
	}
	next := map[string]int{}
	for j, r := range recipients {
		keysFor := outs[r.String()]
		n := next[r.String()]
		if n >= len(keysFor) {
			return fmt.Errorf("silent payment: no output key for %s", r)
		}
		next[r.String()] = n + 1
		tx.TxOut[outIdx[j]].PkScript = silentpay.OutputScript(keysFor[n])
	}
	return nil
}

// markSilent remembers which outputs of a transaction are silent payments, so a fee bump keeps
// the inputs (and so the output keys) as they are.
func markSilent(tx *store.Txn, id chainhash.Hash, idx []int) error {
	if len(idx) == 0 {
		return nil
	}
	raw, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	return tx.PutSetting("sp:"+id.String(), string(raw))
}

func hasSilent(tx *store.Txn, id chainhash.Hash) bool { return tx.Setting("sp:"+id.String()) != "" }

// SilentAddress returns the wallet's own BIP352 address. The scan and spend keys come from the
// seed (m/352h/coin'/0'/1'/0 and /0'/0), so the first call needs the passphrase; the address is
// public and kept afterwards.
func (w *Wallet) SilentAddress(passphrase func() ([]byte, error), opts ...keystore.Option) (string, error) {
	var cached string
	if err := w.st.View(func(tx *store.Txn) error { cached = tx.Setting("sp-address"); return nil }); err != nil {
		return "", err
	}
	if cached != "" {
		return cached, nil
	}
	pass, err := passphrase()
	if err != nil {
		return "", err
	}
	defer wipe(pass)
	sec, _, err := keystore.Open(w.KeystorePath(), pass, opts...)
	if err != nil {
		return "", err
	}
	defer sec.Wipe()
	seed, err := seedMatching(sec, w.meta.Fingerprint, w.net)
	if err != nil {
		return "", err
	}
	defer wipe(seed)
	master, err := keys.Master(seed, w.net)
	if err != nil {
		return "", err
	}
	defer master.Zero()
	scan, spend, err := silentpay.DeriveKeys(master, w.net, 0)
	if err != nil {
		return "", err
	}
	addr := silentpay.NewAddress(scan.PubKey(), spend.PubKey(), w.net).String()
	scan.Zero()
	spend.Zero()
	if err := w.writable(); err != nil {
		return "", err
	}
	err = w.st.Update(func(tx *store.Txn) error { return tx.PutSetting("sp-address", addr) })
	return addr, err
}

// NoteSilent records which outputs of the plan's signed transaction (id) are silent payments,
// so that a fee bump keeps its inputs. It is called before the broadcast: a mark for a
// transaction that never reached the network is harmless, a missing one after a crash is not.
func (w *Wallet) NoteSilent(plan *Plan, id chainhash.Hash) error {
	var idx []int
	for i, p := range plan.Request.Payments {
		if p.SilentPayment != nil {
			idx = append(idx, plan.Built.PayeeIndex[i])
		}
	}
	if len(idx) == 0 && plan.keepsSilent {
		idx = []int{-1} // the outputs are the replaced transaction's
	}
	if len(idx) == 0 {
		return nil
	}
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error { return markSilent(tx, id, idx) })
}

// checkSilentPayees refuses payments that would pay the placeholder: one that carries it
// without its silent-payment address (a tip queued with it, say), and any silent payment from
// a watch-only wallet, which lacks the input keys the output key is derived from.
func (w *Wallet) checkSilentPayees(pays []Payment) error {
	for _, p := range pays {
		if p.SilentPayment == nil && bytes.Equal(p.Script, SilentPlaceholder) {
			return fmt.Errorf("%w: the payment to %s has no silent-payment address to derive its output from", ErrBadInput, p.Address)
		}
		if p.SilentPayment != nil && w.meta.WatchOnly {
			return fmt.Errorf("%w: a watch-only wallet cannot pay a silent payment address: its output key is "+
				"derived from the inputs' private keys; send from the wallet that holds the seed", ErrBadInput)
		}
	}
	return nil
}

// mayPaySilent says whether a transaction of the wallet's could pay a silent payment that the
// store does not know of: it was not sent by this copy of the wallet (a restore, a crash
// before it was recorded) and pays a taproot output that is not the wallet's.
func mayPaySilent(tx *store.Txn, r *store.TxRecord, m *wire.MsgTx) bool {
	if r.Sent {
		return false
	}
	for _, out := range m.TxOut {
		if len(out.PkScript) == 34 && out.PkScript[0] == txscript.OP_1 && out.PkScript[1] == 32 {
			if _, ok := tx.Addr(out.PkScript); !ok {
				return true
			}
		}
	}
	return false
}
