package wallet

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// keepLabels stores what the user called each part of a payment once it is sent: every
// payee's label on its output (BIP329 "output" records, so a batch file's line labels
// survive), and for a replacement the replaced transaction's labels carried over, so a fee
// bump does not leave the payment's name on the transaction that will never confirm.
func (w *Wallet) keepLabels(plan *Plan, tx *wire.MsgTx) error {
	id := tx.TxHash()
	put := map[string]string{}
	for i, pay := range plan.Request.Payments {
		if pay.Label == "" || i >= len(plan.Built.PayeeIndex) {
			continue
		}
		put[LabelKeyOutput(wire.NewOutPoint(&id, uint32(plan.Built.PayeeIndex[i])).String())] = pay.Label
	}
	if len(put) == 0 && plan.replaces == (chainhash.Hash{}) {
		return nil
	}
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(st *store.Txn) error {
		if plan.replaces != (chainhash.Hash{}) {
			if err := inheritLabels(st, plan.replaces, tx, put); err != nil {
				return err
			}
		}
		for k, v := range put {
			if st.Label(k) != "" {
				continue // a label the user gave (or the send stored) wins
			}
			if err := st.SetLabel(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// inheritLabels adds to put the labels of the transaction old that a replacement tx takes
// over: its transaction label, and each output label on the output of tx that pays the same
// script.
func inheritLabels(st *store.Txn, old chainhash.Hash, tx *wire.MsgTx, put map[string]string) error {
	id := tx.TxHash()
	if l := st.Label(LabelKeyTx(old.String())); l != "" {
		if _, ok := put[LabelKeyTx(id.String())]; !ok {
			put[LabelKeyTx(id.String())] = l
		}
	}
	r, err := st.Tx(old)
	if err != nil {
		if store.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("labels of %s: %w", old, err)
	}
	m, err := r.MsgTx()
	if err != nil {
		return err
	}
	for vout, o := range m.TxOut {
		l := st.Label(LabelKeyOutput(wire.NewOutPoint(&old, uint32(vout)).String()))
		if l == "" {
			continue
		}
		for nv, no := range tx.TxOut {
			if bytes.Equal(no.PkScript, o.PkScript) {
				k := LabelKeyOutput(wire.NewOutPoint(&id, uint32(nv)).String())
				if _, ok := put[k]; !ok {
					put[k] = l
				}
			}
		}
	}
	return nil
}
