package wallet

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// BroadcastUnsureError is a broadcast that failed without a refusal after the transaction may
// have left: the connection dropped or no answer came in time. The backend (and the network)
// may have it though the wallet did not record it, so sending the payment again as a new
// transaction could pay twice. It unwraps to the backend's error, so it exits as that does.
type BroadcastUnsureError struct {
	TxID chainhash.Hash
	Err  error
	// Recorded says the wallet recorded the transaction as pending all the same: its coins
	// are not chosen again and sync broadcasts it again.
	Recorded bool
}

func (e *BroadcastUnsureError) Error() string {
	return e.Err.Error() + "; " + e.Note()
}

// Note is what to do, for a caller that words the backend's failure itself.
func (e *BroadcastUnsureError) Note() string {
	if e.Recorded {
		return fmt.Sprintf("transaction %s may have gone out all the same: it is recorded as pending and satchel sync broadcasts it again; do not send the payment again (satchel abandon %s gives it up)", e.TxID, e.TxID)
	}
	return fmt.Sprintf("transaction %s may have gone out all the same: run satchel sync and check satchel history before sending the payment again", e.TxID)
}

// Unwrap gives the backend's error.
func (e *BroadcastUnsureError) Unwrap() error { return e.Err }

// broadcastUnsure wraps a failed broadcast of id in a *BroadcastUnsureError unless it surely
// did not leave: a refusal (the backend said no), or no connection made at all (refused, no
// such host).
func broadcastUnsure(id chainhash.Hash, err error) error {
	var refusal *chain.BroadcastError
	var dns *net.DNSError
	if errors.As(err, &refusal) || errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dns) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return err
	}
	return &BroadcastUnsureError{TxID: id, Err: err}
}
