package wallet

import (
	"github.com/satchel-wallet/satchel/wallet/fiat"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// KeepPrice stores with the payment txid the price its command used, for history to show the
// payment's value at its time.
func (w *Wallet) KeepPrice(txid string, p fiat.Price) error {
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error {
		return tx.PutPrice(txid, store.PriceRecord{Time: p.Time, Source: p.Source, Rates: p.Rates})
	})
}

// KeptPrices returns the prices kept with payments, by txid, as fiat prices.
func (w *Wallet) KeptPrices() (map[string]fiat.Price, error) {
	out := map[string]fiat.Price{}
	err := w.st.View(func(tx *store.Txn) error {
		all, err := tx.Prices()
		for id, r := range all {
			out[id] = fiat.Price{Time: r.Time, Source: r.Source, Rates: r.Rates}
		}
		return err
	})
	return out, err
}
