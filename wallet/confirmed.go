package wallet

import (
	"context"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// AlreadyConfirmedError is a refused broadcast of a transaction that is already in a block:
// sending it again can do nothing, and the person asking wants to know where it is rather than
// the node's own words. It unwraps to the backend's *chain.BroadcastError, so it exits as a
// refused broadcast.
type AlreadyConfirmedError struct {
	Height        int32
	Confirmations int32
	Refusal       *chain.BroadcastError
}

func (e *AlreadyConfirmedError) Error() string {
	// A height is a name for a block, written as block explorers do: ungrouped.
	noun := "confirmations"
	if e.Confirmations == 1 {
		noun = "confirmation"
	}
	return fmt.Sprintf("this transaction is already confirmed (block %d, %d %s): there is nothing to broadcast again",
		e.Height, e.Confirmations, noun)
}

// Unwrap gives the backend's refusal.
func (e *AlreadyConfirmedError) Unwrap() error { return e.Refusal }

// alreadyConfirmed looks up, after a backend refused tx as one it already has or as spending
// spent coins (Bitcoin Core says "bad-txns-inputs-missingorspent" for a confirmed transaction
// whose outputs are all spent: its inputs are spent by itself), whether tx is in a block: it
// returns an *AlreadyConfirmedError naming the block when it is, and nil when it is not (or the
// backend cannot say), so the caller goes on with the refusal it had.
func alreadyConfirmed(ctx context.Context, be chain.Backend, tx *wire.MsgTx, refusal error) error {
	var bErr *chain.BroadcastError
	if !errors.As(refusal, &bErr) || (bErr.Cause != chain.CauseAlreadyInChain && bErr.Cause != chain.CauseConflict) {
		return nil
	}
	// Any output script's history lists the transaction with its height. All are asked, in
	// one call: a server may index only some (OP_RETURN outputs are left out here, a test
	// server knows only the scripts it was told about).
	var scripts [][]byte
	for _, o := range tx.TxOut {
		if len(o.PkScript) > 0 && o.PkScript[0] != txscript.OP_RETURN {
			scripts = append(scripts, o.PkScript)
		}
	}
	if len(scripts) == 0 {
		return nil
	}
	hist, err := be.ScriptHistories(ctx, scripts)
	if err != nil {
		return nil
	}
	id := tx.TxHash()
	for _, items := range hist {
		for _, h := range items {
			if h.TxID != id || h.Height <= 0 {
				continue
			}
			tip, err := be.Tip(ctx)
			if err != nil || tip.Height < h.Height {
				return nil
			}
			return &AlreadyConfirmedError{Height: h.Height, Confirmations: tip.Height - h.Height + 1, Refusal: bErr}
		}
	}
	return nil
}
