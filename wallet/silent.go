package wallet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
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
		k, err := w.inputPrivKey(master, plan.paths[i])
		if err != nil {
			return err
		}
		taproot := plan.Prev[i].Type == txbuilder.P2TR
		if taproot && !plan.Prev[i].Untweaked {
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

// SilentRequest asks for one of the wallet's BIP352 addresses.
type SilentRequest struct {
	// Passphrase opens the keystore; it is asked only the first time, when the scan and spend
	// keys are derived from the seed.
	Passphrase func() ([]byte, error)
	Keystore   []keystore.Option
	// Birthday is the first block a sync scans for payments, set when the wallet first hands
	// out a silent-payment address (the chain's tip then: no payment can be older); a birthday
	// already set is kept.
	Birthday int32
	// Label, when set, asks for the labelled address (BIP352 label m >= 1) kept for this text:
	// the same text gives the same address, a new one the next label number.
	Label string
}

// SilentInfo is a silent-payment address the wallet scans for.
type SilentInfo struct {
	Address string
	Label   string
	// M is the BIP352 label number; 0 for the unlabelled address (label 0 itself is change).
	M uint32
}

// SilentAddress returns the wallet's BIP352 address, or with req.Label its labelled address
// for that text. The first call derives the scan and spend keys from the seed
// (m/352h/coin'/0'/1'/0 and /0'/0), keeps the scan private key and the spend public key in
// the store so syncs can scan without the passphrase, and sets the silent-payment birthday.
func (w *Wallet) SilentAddress(req SilentRequest) (SilentInfo, error) {
	var keysOK, birthdayOK, handedOut bool
	var k store.SilentKeys
	var labels map[uint32]string
	if err := w.st.View(func(tx *store.Txn) error {
		// An address handed out by a satchel that did not scan yet: payments may be older
		// than today's tip, so the scan starts from the wallet's creation date.
		handedOut = tx.Setting("sp-address") != ""
		k, keysOK = tx.SilentKeys()
		_, _, birthdayOK = tx.SilentHeights()
		birthdayOK = birthdayOK || tx.SilentBirthdayTime() != 0
		labels = tx.SilentLabels()
		return nil
	}); err != nil {
		return SilentInfo{}, err
	}
	if !keysOK {
		var err error
		if k, err = w.deriveSilentKeys(req.Passphrase, req.Keystore); err != nil {
			return SilentInfo{}, err
		}
	}
	scan, _ := btcec.PrivKeyFromBytes(k.Scan)
	defer scan.Zero()
	spend, err := btcec.ParsePubKey(k.Spend)
	if err != nil {
		return SilentInfo{}, fmt.Errorf("stored silent payment spend key: %w", err)
	}
	info := SilentInfo{Label: req.Label}
	newLabel := false
	if req.Label != "" {
		for m, text := range labels {
			if text == req.Label && (info.M == 0 || m < info.M) {
				info.M = m
			}
		}
		if info.M == 0 {
			for m := range labels {
				info.M = max(info.M, m)
			}
			info.M++ // label 0 is change, never handed out
			newLabel = true
		}
		spend, err = silentpay.LabelledSpendKey(spend, scan, info.M)
		if err != nil {
			return SilentInfo{}, err
		}
	}
	info.Address = silentpay.NewAddress(scan.PubKey(), spend, w.net).String()
	if keysOK && birthdayOK && !newLabel {
		return info, nil
	}
	if err := w.writable(); err != nil {
		return SilentInfo{}, err
	}
	err = w.st.Update(func(tx *store.Txn) error {
		if err := tx.PutSilentKeys(k); err != nil {
			return err
		}
		switch {
		case !birthdayOK && handedOut:
			if err := tx.PutSilentBirthdayTime(w.meta.Created.Unix()); err != nil {
				return err
			}
		case !birthdayOK:
			if err := tx.PutSilentBirthday(req.Birthday); err != nil {
				return err
			}
		}
		if newLabel {
			return tx.PutSilentLabel(info.M, req.Label)
		}
		return nil
	})
	return info, err
}

// deriveSilentKeys opens the keystore and derives the silent-payment scan key and spend
// public key.
func (w *Wallet) deriveSilentKeys(passphrase func() ([]byte, error), opts []keystore.Option) (store.SilentKeys, error) {
	if passphrase == nil {
		return store.SilentKeys{}, fmt.Errorf("%w: the first silent-payment address needs the passphrase", ErrBadInput)
	}
	pass, err := passphrase()
	if err != nil {
		return store.SilentKeys{}, err
	}
	defer wipe(pass)
	sec, _, err := keystore.Open(w.KeystorePath(), pass, opts...)
	if err != nil {
		return store.SilentKeys{}, err
	}
	defer sec.Wipe()
	seed, err := seedMatching(sec, w.meta.Fingerprint, w.net)
	if err != nil {
		return store.SilentKeys{}, err
	}
	defer wipe(seed)
	master, err := keys.Master(seed, w.net)
	if err != nil {
		return store.SilentKeys{}, err
	}
	defer master.Zero()
	k, err := silentKeysFrom(master, w.net)
	if err != nil {
		return store.SilentKeys{}, err
	}
	return *k, nil
}

// silentKeysFrom derives the scan key and spend public key from the master key.
func silentKeysFrom(master *hdkeychain.ExtendedKey, net *chaincfg.Params) (*store.SilentKeys, error) {
	scan, spend, err := silentpay.DeriveKeys(master, net, 0)
	if err != nil {
		return nil, err
	}
	defer spend.Zero()
	b := scan.Key.Bytes()
	scan.Zero()
	return &store.SilentKeys{Scan: b[:], Spend: spend.PubKey().SerializeCompressed()}, nil
}

// restoreSilent writes a backup's silent-payment state into a new store: keys from the seed,
// birthday and labels from the file. The scan starts again at the birthday.
func restoreSilent(tx *store.Txn, k *store.SilentKeys, sp *SilentBackup) error {
	if k == nil || sp == nil {
		return nil
	}
	if err := tx.PutSilentKeys(*k); err != nil {
		return err
	}
	if err := tx.PutSilentBirthday(sp.Birthday); err != nil {
		return err
	}
	for m, text := range sp.Labels {
		text, _ = CleanLabel(text)
		if err := tx.PutSilentLabel(m, text); err != nil {
			return err
		}
	}
	return nil
}

// SetSilentBirthday makes syncs scan for silent payments from a block height, or with a
// non-zero date from the first block of that day (resolved at the next sync, with the
// backend's block times). It derives the keys when needed (a restore) and forgets what was
// scanned, so the next sync scans from the new birthday.
func (w *Wallet) SetSilentBirthday(req SilentRequest, date time.Time) error {
	var k store.SilentKeys
	var ok bool
	if err := w.st.View(func(tx *store.Txn) error { k, ok = tx.SilentKeys(); return nil }); err != nil {
		return err
	}
	if !ok {
		var err error
		if k, err = w.deriveSilentKeys(req.Passphrase, req.Keystore); err != nil {
			return err
		}
	}
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error {
		if err := tx.PutSilentKeys(k); err != nil {
			return err
		}
		if _, err := rollBackSilent(tx, -1); err != nil {
			return err
		}
		if !date.IsZero() {
			return tx.PutSilentBirthdayTime(date.Unix())
		}
		return tx.PutSilentBirthday(req.Birthday)
	})
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

// SilentReady says whether the wallet has silent-payment keys and a birthday, so syncs scan
// for payments to its silent-payment addresses.
func (w *Wallet) SilentReady() bool {
	ok := false
	_ = w.st.View(func(tx *store.Txn) error {
		_, keys := tx.SilentKeys()
		_, _, b := tx.SilentHeights()
		ok = keys && (b || tx.SilentBirthdayTime() != 0)
		return nil
	})
	return ok
}

// HasSilentLabel says whether a labelled silent-payment address was handed out with this
// text: payments to it get the label when a scan finds them.
func (w *Wallet) HasSilentLabel(text string) bool {
	found := false
	_ = w.st.View(func(tx *store.Txn) error {
		for _, v := range tx.SilentLabels() {
			found = found || v == text
		}
		return nil
	})
	return found
}
