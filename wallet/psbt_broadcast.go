package wallet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// BroadcastPSBT is ReadyPSBT followed by SendReady: it finalises, checks and sends p.
func (w *Wallet) BroadcastPSBT(ctx context.Context, be chain.Backend, p *psbt.Packet, label string, now time.Time) (*wire.MsgTx, chainhash.Hash, error) {
	tx, err := ReadyPSBT(p)
	if err != nil {
		return nil, chainhash.Hash{}, err
	}
	id, err := w.SendReady(ctx, be, p, tx, label, now)
	if err != nil {
		return nil, chainhash.Hash{}, err
	}
	return tx, id, nil
}

// ReadyPSBT finalises p where needed and extracts the transaction (checked by the script engine
// when the PSBT says what every input spends), refusing one whose outputs are worth more than
// its inputs or whose fee rate is above MaxFeeRate. Nothing is sent: a caller can show the
// transaction and ask before SendReady.
func ReadyPSBT(p *psbt.Packet) (*wire.MsgTx, error) {
	pending, err := txbuilder.FinalizePSBT(p)
	if err != nil {
		return nil, err
	}
	if len(pending) > 0 {
		return nil, IncompleteError(p, pending)
	}
	tx, err := txbuilder.ExtractPSBT(p)
	if err != nil {
		return nil, err
	}
	if fee, ok := txbuilder.PSBTFee(p); ok {
		vsize := txbuilder.TxWeight(tx).VSize()
		if fee < 0 {
			return nil, fmt.Errorf("%w: the outputs are worth more than the inputs", txbuilder.ErrPSBTRefused)
		}
		if rate := txbuilder.FeeRate(int64(fee) * 1000 / vsize); rate > MaxFeeRate {
			return nil, fmt.Errorf("%w: the fee is %s for %s vB (%s sat/vB), above the 1,000 sat/vB satchel never pays",
				ErrFeeGuard, groupSat(int64(fee)), groupNum(vsize), rate)
		}
	}
	return tx, nil
}

// SendReady sends a transaction ReadyPSBT extracted from p through be. One that spends or pays
// the wallet is recorded at once, as send does, so its coins are not chosen again and history
// shows it as pending.
func (w *Wallet) SendReady(ctx context.Context, be chain.Backend, p *psbt.Packet, tx *wire.MsgTx, label string, now time.Time) (chainhash.Hash, error) {
	touches, err := w.touches(p, tx)
	if err != nil {
		return chainhash.Hash{}, err
	}
	if touches {
		return w.Broadcast(ctx, be, tx, label, now)
	}
	id, err := be.Broadcast(ctx, tx)
	if err != nil {
		if conf := alreadyConfirmed(ctx, be, tx, err); conf != nil {
			return chainhash.Hash{}, conf
		}
		// Already in the backend's mempool: sent before, as a payment of the wallet's own
		// would be taken (Broadcast).
		var bErr *chain.BroadcastError
		if !errors.As(err, &bErr) || bErr.Cause != chain.CauseAlreadyInChain {
			// A dropped connection or a late answer may come after the transaction
			// left: say so, lest the payment be made again as a new transaction.
			return chainhash.Hash{}, broadcastUnsure(tx.TxHash(), err)
		}
		id = tx.TxHash()
	}
	if id != tx.TxHash() {
		return chainhash.Hash{}, fmt.Errorf("broadcast: %s answered txid %s for %s: %w", be.Name(), id, tx.TxHash(), chain.ErrUnreachable)
	}
	return id, nil
}

// touches says whether tx spends or pays one of the wallet's addresses.
func (w *Wallet) touches(p *psbt.Packet, tx *wire.MsgTx) (bool, error) {
	for _, o := range tx.TxOut {
		if ok, err := w.OwnsScript(o.PkScript); ok || err != nil {
			return ok, err
		}
	}
	for i := range p.Inputs {
		if prev := txbuilder.PSBTPrevOut(p, i); prev != nil {
			if ok, err := w.OwnsScript(prev.PkScript); ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}
