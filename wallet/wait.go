package wallet

import (
	"errors"
	"sort"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// TxWatchScripts lists the wallet's scripts a known transaction touches (outputs paying the
// wallet, coins it spends): their histories change when it confirms or is replaced, so a
// waiter subscribed to them hears of it. known is false when the wallet does not know txid.
func (w *Wallet) TxWatchScripts(txid chainhash.Hash) (scripts [][]byte, known bool, err error) {
	err = w.st.View(func(tx *store.Txn) error {
		rec, err := tx.Tx(txid)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		m, err := rec.MsgTx()
		if err != nil {
			return err
		}
		known = true
		seen := map[string]bool{}
		add := func(s []byte) {
			if _, mine := tx.Addr(s); mine && !seen[string(s)] {
				seen[string(s)] = true
				scripts = append(scripts, s)
			}
		}
		for _, o := range m.TxOut {
			add(o.PkScript)
		}
		for _, in := range m.TxIn {
			prev, err := tx.Tx(in.PreviousOutPoint.Hash)
			if err != nil {
				continue // not the wallet's coin
			}
			if pm, err := prev.MsgTx(); err == nil && int(in.PreviousOutPoint.Index) < len(pm.TxOut) {
				add(pm.TxOut[in.PreviousOutPoint.Index].PkScript)
			}
		}
		return nil
	})
	return scripts, known, err
}

// LabelledAddresses lists the wallet's addresses that carry label exactly.
func (w *Wallet) LabelledAddresses(label string) ([]string, error) {
	var addrs []string
	err := w.eachAddressLabel(func(addr, l string) {
		if l == label {
			addrs = append(addrs, addr)
		}
	})
	sort.Strings(addrs)
	return addrs, err
}

// AddressLabels lists the distinct labels given to the wallet's addresses.
func (w *Wallet) AddressLabels() ([]string, error) {
	seen := map[string]bool{}
	err := w.eachAddressLabel(func(_, l string) { seen[l] = true })
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out, err
}

// eachAddressLabel calls fn with every labelled address and its label.
func (w *Wallet) eachAddressLabel(fn func(addr, label string)) error {
	return w.st.View(func(tx *store.Txn) error {
		labels, err := tx.Labels()
		if err != nil {
			return err
		}
		prefix := LabelKeyAddress("")
		for k, v := range labels {
			if len(k) > len(prefix) && k[:len(prefix)] == prefix {
				fn(k[len(prefix):], v)
			}
		}
		return nil
	})
}

// Received is a transaction of the wallet paying a set of its scripts.
type Received struct {
	TxID          chainhash.Hash
	Address       string // the first of the scripts it pays
	Amount        int64  // what it pays them in total
	Confirmations int32
	Height        int32 // 0 while unconfirmed
}

// Payments lists the counted transactions paying scripts (script -> address) with at least
// confs confirmations, most confirmed first.
func (w *Wallet) Payments(scripts map[string]string, confs int32) ([]Received, error) {
	var found []Received
	err := w.st.View(func(tx *store.Txn) error {
		tip := int32(0)
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		return tx.ForEachTx(func(rec *store.TxRecord) error {
			if !rec.Status.Counted() {
				return nil
			}
			m, err := rec.MsgTx()
			if err != nil {
				return err
			}
			p := Received{TxID: rec.TxID}
			for _, o := range m.TxOut {
				if addr, ok := scripts[string(o.PkScript)]; ok {
					p.Amount += o.Value
					if p.Address == "" {
						p.Address = addr
					}
				}
			}
			if p.Amount == 0 {
				return nil
			}
			if rec.Status == store.StatusConfirmed && rec.Height > 0 && tip >= rec.Height {
				p.Confirmations = tip - rec.Height + 1
				p.Height = rec.Height
			}
			if p.Confirmations >= confs {
				found = append(found, p)
			}
			return nil
		})
	})
	sort.Slice(found, func(i, j int) bool {
		if found[i].Confirmations != found[j].Confirmations {
			return found[i].Confirmations > found[j].Confirmations
		}
		return found[i].TxID.String() < found[j].TxID.String()
	})
	return found, err
}
