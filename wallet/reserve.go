package wallet

import (
	"strconv"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// ReserveFor is how long coins in an unsigned PSBT stay out of automatic selection: long enough
// to sign it on another device, short enough that an abandoned PSBT does not lock coins forever.
const ReserveFor = 24 * time.Hour

// Reserve keeps coins out of automatic coin selection until until, so that two watch-only sends
// in a row, whose PSBTs are signed elsewhere, never choose the same coin. Spending them
// explicitly (--from) still works.
func (w *Wallet) Reserve(ops []wire.OutPoint, until time.Time) error {
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error {
		for _, op := range ops {
			if err := tx.PutSetting("reserve:"+op.String(), strconv.FormatInt(until.Unix(), 10)); err != nil {
				return err
			}
		}
		return nil
	})
}

// reserved says whether a coin is reserved at now.
func reserved(tx *store.Txn, op wire.OutPoint, now time.Time) bool {
	v := tx.Setting("reserve:" + op.String())
	if v == "" {
		return false
	}
	until, err := strconv.ParseInt(v, 10, 64)
	return err == nil && now.Unix() < until
}

// Release gives back to coin selection the coins of ops that are reserved (the PSBT they were
// reserved for was abandoned), and returns those it released.
func (w *Wallet) Release(ops []wire.OutPoint, now time.Time) ([]wire.OutPoint, error) {
	if err := w.writable(); err != nil {
		return nil, err
	}
	var out []wire.OutPoint
	err := w.st.Update(func(tx *store.Txn) error {
		out = out[:0]
		for _, op := range ops {
			if !reserved(tx, op, now) {
				continue
			}
			if err := tx.PutSetting("reserve:"+op.String(), ""); err != nil {
				return err
			}
			out = append(out, op)
		}
		return nil
	})
	return out, err
}
