package wallet

import (
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// CoinbaseMaturity is how many confirmations a coinbase output needs before it can be spent.
const CoinbaseMaturity = 100

// decoded is a wallet transaction with its parsed form.
type decoded struct {
	rec *store.TxRecord
	msg *wire.MsgTx
}

// recompute rebuilds everything derived from the wallet's transactions: each transaction's net
// effect and fee, which of them conflict, the coins, the history rows, the balance summary, the
// used flags of addresses and the accounts' next change index. It runs inside the write
// transaction that changed the transactions, so the file never holds a mix of old and new.
func (w *Wallet) recompute(tx *store.Txn, tipHeight int32) error {
	var all []*decoded // in txid order, as the store iterates
	byID := map[chainhash.Hash]*decoded{}
	if err := tx.ForEachTx(func(r *store.TxRecord) error {
		m, err := r.MsgTx()
		if err != nil {
			return err
		}
		d := &decoded{rec: r, msg: m}
		all = append(all, d)
		byID[r.TxID] = d
		return nil
	}); err != nil {
		return err
	}

	// A transaction spending an output of a replaced or conflicted one can never confirm.
	for changed := true; changed; {
		changed = false
		for _, d := range all {
			if !d.rec.Status.Counted() {
				continue
			}
			for _, in := range d.msg.TxIn {
				if p, ok := byID[in.PreviousOutPoint.Hash]; ok && !p.rec.Status.Counted() {
					d.rec.Status = store.StatusConflicted
					changed = true
					break
				}
			}
		}
	}

	type owned struct {
		addr store.Addr
		ok   bool
	}
	ownCache := map[string]owned{}
	mine := func(script []byte) (store.Addr, bool) {
		if o, ok := ownCache[string(script)]; ok {
			return o.addr, o.ok
		}
		a, ok := tx.Addr(script)
		ownCache[string(script)] = owned{a, ok}
		return a, ok
	}

	// spent: by any counted transaction; spentConfirmed: by a confirmed one.
	spent := map[wire.OutPoint]bool{}
	spentConfirmed := map[wire.OutPoint]bool{}
	for _, d := range all {
		if d.rec.Status.Counted() {
			for _, in := range d.msg.TxIn {
				spent[in.PreviousOutPoint] = true
				if d.rec.Status == store.StatusConfirmed {
					spentConfirmed[in.PreviousOutPoint] = true
				}
			}
		}
	}

	usedAddrs := map[string]store.Addr{}
	rows := make([]store.HistRow, 0, len(all))
	var coins []store.Coin
	var sum balanceSummary
	for _, d := range all {
		var in, out, ourIn, ourOut int64
		allInputsKnown, allInputsOurs := true, len(d.msg.TxIn) > 0
		coinbase := isCoinbase(d.msg)
		for _, txin := range d.msg.TxIn {
			p, ok := byID[txin.PreviousOutPoint.Hash]
			if !ok || int(txin.PreviousOutPoint.Index) >= len(p.msg.TxOut) {
				allInputsKnown, allInputsOurs = false, false
				continue
			}
			prev := p.msg.TxOut[txin.PreviousOutPoint.Index]
			in += prev.Value
			if _, ok := mine(prev.PkScript); ok {
				ourIn += prev.Value
			} else {
				allInputsOurs = false
			}
		}
		for i, o := range d.msg.TxOut {
			out += o.Value
			a, ok := mine(o.PkScript)
			if !ok {
				continue
			}
			ourOut += o.Value
			if !a.Used {
				a.Used = true
				usedAddrs[string(o.PkScript)] = a
			}
			if !d.rec.Status.Counted() {
				continue
			}
			op := wire.OutPoint{Hash: d.rec.TxID, Index: uint32(i)}
			confirmed := d.rec.Status == store.StatusConfirmed && d.rec.Height > 0
			confs := int32(0)
			if confirmed {
				confs = tipHeight - d.rec.Height + 1
			}
			// Chain-state balance: confirmed outputs not spent by a confirmed transaction.
			if confirmed && !spentConfirmed[op] {
				if coinbase && confs < CoinbaseMaturity {
					sum.Immature += o.Value
				} else {
					sum.Confirmed += o.Value
				}
			}
			if spent[op] {
				continue
			}
			coins = append(coins, store.Coin{
				OutPoint: op, Value: o.Value, PkScript: o.PkScript,
				Purpose: a.Purpose, Chain: a.Chain, Index: a.Index,
				Height:   confirmedHeight(confirmed, d.rec.Height),
				Coinbase: coinbase, Own: allInputsOurs, Address: ScriptAddress(o.PkScript, w.net),
			})
		}
		net := ourOut - ourIn
		row := store.HistRow{TxID: d.rec.TxID, Height: d.rec.Height, Time: d.rec.BlockTime, Status: d.rec.Status}
		if row.Time == 0 {
			row.Time = d.rec.FirstSeen
		}
		for _, o := range d.msg.TxOut {
			_, ours := mine(o.PkScript)
			if ours == (net >= 0) {
				row.Address = ScriptAddress(o.PkScript, w.net)
				break
			}
		}
		fee := int64(-1)
		if allInputsKnown && allInputsOurs && !coinbase {
			fee = in - out
		}
		if d.rec.Net != net || d.rec.Fee != fee {
			d.rec.Net, d.rec.Fee = net, fee
		}
		if d.rec.Status == store.StatusPending {
			sum.Unconfirmed += net
		}
		row.Net, row.Fee = d.rec.Net, d.rec.Fee
		rows = append(rows, row)
		if err := tx.PutTx(d.rec); err != nil {
			return err
		}
	}
	adopt := map[uint32]bool{}
	for script, a := range usedAddrs {
		if err := tx.PutAddr([]byte(script), a); err != nil {
			return err
		}
		adopt[a.Purpose] = true
	}
	// Money on another standard path of the seed (a restore probed it, and a payment has now
	// arrived there) makes that account part of the wallet, so later syncs watch it.
	if err := w.adoptAccounts(tx, adopt); err != nil {
		return err
	}
	if err := tx.ReplaceDerived(coins, rows); err != nil {
		return err
	}
	for _, c := range coins {
		if spendable(c, tipHeight) {
			sum.Spendable += c.Value
		}
	}
	sum.SpendableTip = &tipHeight
	if err := putSummary(tx, sum); err != nil {
		return err
	}
	if err := matchTips(tx, all); err != nil {
		return err
	}
	if err := autoFreezeDust(tx, coins, all); err != nil {
		return err
	}
	return w.advanceChange(tx)
}

// isCoinbase says whether m is a coinbase transaction: one input spending the null outpoint.
func isCoinbase(m *wire.MsgTx) bool {
	if len(m.TxIn) != 1 {
		return false
	}
	p := m.TxIn[0].PreviousOutPoint
	return p.Index == wire.MaxPrevOutIndex && p.Hash == (chainhash.Hash{})
}

// adoptAccounts marks accounts with used addresses active.
func (w *Wallet) adoptAccounts(tx *store.Txn, purposes map[uint32]bool) error {
	if len(purposes) == 0 {
		return nil
	}
	recs, err := tx.Accounts()
	if err != nil {
		return err
	}
	for _, r := range recs {
		if purposes[r.Purpose] && !r.Active {
			r.Active, r.Probe = true, false
			if err := tx.PutAccount(r); err != nil {
				return err
			}
			if a := w.account(r.Purpose); a != nil {
				a.rec = r
			}
		}
	}
	return nil
}

// advanceChange moves each account's next change index past the last used change address.
func (w *Wallet) advanceChange(tx *store.Txn) error {
	recs, err := tx.Accounts()
	if err != nil {
		return err
	}
	for _, r := range recs {
		next := r.NextChange
		if err := tx.ForEachAddr(r.Purpose, 1, func(_ []byte, a store.Addr) error {
			if a.Used && a.Index+1 > next {
				next = a.Index + 1
			}
			return nil
		}); err != nil {
			return err
		}
		if next != r.NextChange {
			r.NextChange = next
			if err := tx.PutAccount(r); err != nil {
				return fmt.Errorf("account %d: %w", r.Purpose, err)
			}
		}
	}
	return nil
}

func confirmedHeight(confirmed bool, h int32) int32 {
	if confirmed {
		return h
	}
	return 0
}
