package wallet

import (
	"context"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Disposal is one dust coin given up, as planned and, unless it was a dry run, as sent.
type Disposal struct {
	*DisposePlan
	Tx   *wire.MsgTx
	TxID chainhash.Hash
}

// Dispose gives up dust coins through the same steps as Pay: plan (each coin alone, all of it
// as fee; PlanDispose refuses any coin over DefaultDustThreshold, the guard of this kind of
// payment), consent with the wallet unlocked (the coins are checked again after it), unlock,
// sign, check, broadcast and record each. Only o.DryRun, o.Consent, o.WithPassphrase, o.Keystore
// and o.Backend are used.
func (w *Wallet) Dispose(ctx context.Context, ops []wire.OutPoint, relay txbuilder.FeeRate, o PayOptions) ([]Disposal, error) {
	plans, err := w.PlanDispose(ops, relay)
	if err != nil {
		return nil, err
	}
	out := make([]Disposal, len(plans))
	for i, p := range plans {
		out[i].DisposePlan = p
	}
	if o.DryRun {
		return out, nil
	}
	if w.meta.WatchOnly {
		return nil, fmt.Errorf("%w: dust dispose needs the seed, and this wallet is watch-only", keys.ErrWatchOnly)
	}
	if o.Consent != nil {
		if err := w.unlocked(func() error { return o.Consent(nil, nil) }); err != nil {
			return nil, err
		}
		// The coins must still be there: planning again refuses any that went meanwhile.
		if _, err := w.PlanDispose(ops, relay); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrPlanChanged, err)
		}
	} else if err := w.writable(); err != nil {
		return nil, err
	}
	var txs []*wire.MsgTx
	err = o.WithPassphrase(func(pass []byte) error {
		var err error
		txs, err = w.SignDispose(plans, pass, o.Keystore...)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, tx := range txs {
		if wt := txbuilder.TxWeight(tx); len(tx.TxOut) != 1 || !isNullData(tx.TxOut[0].PkScript) || tx.TxOut[0].Value != 0 || wt > txbuilder.MaxStandardTxWeight {
			return nil, fmt.Errorf("dispose %s: the signed transaction is not a lone OP_RETURN of nothing; nothing was sent", plans[i].Coin.OutPoint)
		}
	}
	for i, tx := range txs {
		bctx, cancel := context.WithTimeout(ctx, time.Minute)
		id, err := w.Broadcast(bctx, o.Backend, tx, "dust disposal", w.now())
		cancel()
		if err != nil {
			return nil, fmt.Errorf("dispose %s: %w", plans[i].Coin.OutPoint, err)
		}
		out[i].Tx, out[i].TxID = tx, id
	}
	return out, nil
}
