package wallet

import (
	"errors"
	"fmt"
	"strings"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// NotCountedError is a payment the spendable coins cannot make while the wallet holds more
// that send may not choose by itself: frozen or reserved coins, coinbase coins not yet mature,
// and unconfirmed coins paid by someone else. Saying so spares the person who sees a balance
// large enough a puzzle. It unwraps to the selection's error (exit "cannot pay").
type NotCountedError struct {
	Err          error
	Frozen       int64 // frozen or reserved by a PSBT in flight
	Immature     int64
	MatureHeight int32 // the first height at which the earliest immature coin can be spent
	Unconfirmed  int64 // paid by someone else, not yet in a block
}

func (e *NotCountedError) Error() string { return e.Err.Error() + "; " + e.Note(groupSat) }

// Unwrap gives the selection's error.
func (e *NotCountedError) Unwrap() error { return e.Err }

// Note says what was left out, each amount written by amount (so a caller can show BTC).
func (e *NotCountedError) Note(amount func(int64) string) string {
	var parts []string
	if e.Frozen > 0 {
		parts = append(parts, amount(e.Frozen)+" frozen or reserved (satchel unfreeze, or --from TXID:VOUT)")
	}
	if e.Immature > 0 {
		until := ""
		if e.MatureHeight > 0 {
			until = fmt.Sprintf(" until height %d", e.MatureHeight)
		}
		parts = append(parts, amount(e.Immature)+" of mining rewards immature"+until)
	}
	if e.Unconfirmed > 0 {
		parts = append(parts, amount(e.Unconfirmed)+" unconfirmed from others (wait for a confirmation)")
	}
	return "not counted: " + strings.Join(parts, ", ")
}

// notCounted wraps a selection's shortfall with what the wallet holds but did not offer it;
// any other error, or a shortfall with nothing held back, is returned as it is.
func notCounted(err error, pc *planContext) error {
	var short *txbuilder.InsufficientFundsError
	if err == nil || !errors.As(err, &short) {
		return err
	}
	nc := &NotCountedError{Err: err}
	for _, c := range pc.coins {
		switch {
		case !spendable(c, pc.tip) && c.Coinbase:
			nc.Immature += c.Value
			if h := c.Height + CoinbaseMaturity - 1; c.Height > 0 && (nc.MatureHeight == 0 || h < nc.MatureHeight) {
				nc.MatureHeight = h
			}
		case !spendable(c, pc.tip):
			nc.Unconfirmed += c.Value
		case pc.frozen[c.OutPoint]:
			nc.Frozen += c.Value
		}
	}
	if nc.Frozen == 0 && nc.Immature == 0 && nc.Unconfirmed == 0 {
		return err
	}
	return nc
}
