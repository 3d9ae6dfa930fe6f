package wallet

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// SetFrozen freezes or unfreezes one of the wallet's coins. A frozen coin is never spent
// automatically.
func (w *Wallet) SetFrozen(op wire.OutPoint, frozen bool) error {
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error {
		coins, err := tx.Coins()
		if err != nil {
			return err
		}
		for _, c := range coins {
			if c.OutPoint == op {
				if !frozen && tx.Setting("dust:"+op.String()) != "" {
					// Unfrozen by hand: never frozen again as dust.
					if err := tx.PutSetting("dust:"+op.String(), "released"); err != nil {
						return err
					}
				}
				return tx.SetFrozen(op, frozen)
			}
		}
		if !frozen && tx.Frozen(op) {
			return tx.SetFrozen(op, false) // unfreezing a coin spent meanwhile is fine
		}
		return fmt.Errorf("%w: %s is not an unspent coin of this wallet (see: satchel utxos)", ErrBadInput, op)
	})
}

// SetLabel labels a transaction id, an address or an outpoint of the wallet. An empty text
// removes the label.
func (w *Wallet) SetLabel(key, text string) error {
	if err := CheckLabel(text); err != nil {
		return err
	}
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error { return tx.SetLabel(key, text) })
}

// KnowsTx says whether txid is one of the wallet's transactions.
func (w *Wallet) KnowsTx(txid chainhash.Hash) (bool, error) {
	var ok bool
	err := w.st.View(func(tx *store.Txn) error { ok = tx.HasTx(txid); return nil })
	return ok, err
}

// OwnsScript says whether a script is one of the wallet's addresses.
func (w *Wallet) OwnsScript(script []byte) (bool, error) {
	var ok bool
	err := w.st.View(func(tx *store.Txn) error { _, ok = tx.Addr(script); return nil })
	return ok, err
}

// RecordSent stores a transaction the wallet just broadcast, as pending, so that its coins
// cannot be chosen again before the next sync, and marks the transactions it replaces.
func (w *Wallet) RecordSent(m *wire.MsgTx, label string, now time.Time) error {
	var buf bytes.Buffer
	if err := m.Serialize(&buf); err != nil {
		return err
	}
	id := m.TxHash()
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error {
		inputs := map[wire.OutPoint]bool{}
		for _, in := range m.TxIn {
			inputs[in.PreviousOutPoint] = true
		}
		var replaced []*store.TxRecord
		if err := tx.ForEachTx(func(r *store.TxRecord) error {
			if r.TxID == id || !r.Status.Counted() || r.Status == store.StatusConfirmed {
				return nil
			}
			om, err := r.MsgTx()
			if err != nil {
				return err
			}
			for _, in := range om.TxIn {
				if inputs[in.PreviousOutPoint] {
					replaced = append(replaced, r)
					break
				}
			}
			return nil
		}); err != nil {
			return err
		}
		for _, r := range replaced {
			r.Status = store.StatusReplaced
			if err := tx.PutTx(r); err != nil {
				return err
			}
			// A replacement of a silent payment carries the same silent outputs.
			if hasSilent(tx, r.TxID) {
				if err := markSilent(tx, id, []int{-1}); err != nil {
					return err
				}
			}
		}
		if !tx.HasTx(id) {
			if err := tx.PutTx(&store.TxRecord{TxID: id, Raw: buf.Bytes(), FirstSeen: now.Unix(), Fee: -1, Sent: true}); err != nil {
				return err
			}
		}
		if label != "" {
			if err := tx.SetLabel(LabelKeyTx(id.String()), label); err != nil {
				return err
			}
		}
		tip := int32(0)
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		return w.recompute(tx, tip)
	})
}

// ScriptAddress renders an output script as an address, or "" for scripts without one.
func ScriptAddress(script []byte, net *chaincfg.Params) string {
	_, addrs, _, err := txscript.ExtractPkScriptAddrs(script, net)
	if err != nil || len(addrs) != 1 {
		return ""
	}
	return addrs[0].EncodeAddress()
}

// coinOrder is the order utxos lists coins in: largest first, then by outpoint. It returns
// an index into coins, so that the list is built once in that order: Utxo is large, a wallet may
// hold tens of thousands, and every fresh page a copy writes costs a page fault (10 to 30 µs
// on a VM).
func coinOrder(coins []store.Coin) []int32 {
	idx := make([]int32, len(coins))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		x, y := &coins[a], &coins[b]
		if x.Value != y.Value {
			return cmp.Compare(y.Value, x.Value)
		}
		if c := bytes.Compare(x.OutPoint.Hash[:], y.OutPoint.Hash[:]); c != 0 {
			return c
		}
		return cmp.Compare(x.OutPoint.Index, y.OutPoint.Index)
	})
	return idx
}
