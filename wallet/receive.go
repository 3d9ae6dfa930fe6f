package wallet

import (
	"fmt"

	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// Address is an address the wallet handed out.
type Address struct {
	Address string
	Index   uint32
	Path    string
	// BeyondGap is set when the address lies past the gap limit after the last used one: a
	// restore of the seed elsewhere may not find funds sent to it.
	BeyondGap bool
}

// Receive hands out the main account's next receive address that was neither handed out
// before nor seen used on chain, and labels it when label is not empty.
func (w *Wallet) Receive(label string) (Address, error) {
	if err := CheckLabel(label); err != nil {
		return Address{}, err
	}
	var out Address
	a := w.main()
	if err := w.writable(); err != nil {
		return Address{}, err
	}
	err := w.st.Update(func(tx *store.Txn) error {
		rec, err := w.freshAccount(tx, a.rec.Purpose)
		if err != nil {
			return err
		}
		gap := w.gapLimit(tx)
		lastUsed := int64(-1)
		if err := tx.ForEachAddr(rec.Purpose, 0, func(_ []byte, ad store.Addr) error {
			if ad.Used && int64(ad.Index) > lastUsed {
				lastUsed = int64(ad.Index)
			}
			return nil
		}); err != nil {
			return err
		}
		idx := rec.NextReceive
		for {
			d, err := w.ensureAddr(tx, a.keys, 0, idx)
			if err != nil {
				return err
			}
			if ad, ok := tx.Addr(d.PkScript); ok && ad.Used {
				idx++
				continue
			}
			out = Address{Address: d.Address, Index: idx, Path: a.keys.Path(0, idx),
				BeyondGap: int64(idx) >= lastUsed+1+int64(gap)}
			break
		}
		rec.NextReceive = idx + 1
		if err := tx.PutAccount(rec); err != nil {
			return err
		}
		if label != "" {
			return tx.SetLabel(LabelKeyAddress(out.Address), label)
		}
		return nil
	})
	if err != nil {
		return Address{}, fmt.Errorf("receive: %w", err)
	}
	return out, nil
}

// freshAccount rereads an account record inside tx, since another process may have moved it on.
func (w *Wallet) freshAccount(tx *store.Txn, purpose uint32) (store.Account, error) {
	recs, err := tx.Accounts()
	if err != nil {
		return store.Account{}, err
	}
	for _, r := range recs {
		if r.Purpose == purpose {
			return r, nil
		}
	}
	return store.Account{}, fmt.Errorf("account %d missing from %s", purpose, w.st.Path())
}

func (w *Wallet) gapLimit(tx *store.Txn) int {
	if s, err := tx.SyncState(); err == nil && s.GapLimit > 0 {
		return s.GapLimit
	}
	return DefaultGapLimit
}

// ensureAddr derives the address at chain/index and records it in the store when new.
func (w *Wallet) ensureAddr(tx *store.Txn, k *keys.Account, chain, index uint32) (*keys.Derived, error) {
	d, err := k.Derive(chain, index)
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", k.Path(chain, index), err)
	}
	if _, ok := tx.Addr(d.PkScript); !ok {
		if err := tx.PutAddr(d.PkScript, store.Addr{Purpose: uint32(k.Purpose), Chain: chain, Index: index}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Label keys, shared by every command that labels things.
func LabelKeyAddress(addr string) string { return "addr:" + addr }

// LabelKeyTx is the label key of a transaction.
func LabelKeyTx(txid string) string { return "tx:" + txid }

// LabelKeyOutput is the label key of an output ("txid:vout").
func LabelKeyOutput(outpoint string) string { return "out:" + outpoint }
