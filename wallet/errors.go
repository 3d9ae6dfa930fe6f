package wallet

import (
	"errors"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// Error classes of this package; the CLI maps them to exit codes.
var (
	// ErrExists means a wallet folder already exists where one was to be created.
	ErrExists = errors.New("a wallet already exists there")
	// ErrNoWallet means no wallet exists under that name and network.
	ErrNoWallet = errors.New("no such wallet")
	// ErrWrongNetwork means the wallet was made for another network than the one asked for.
	ErrWrongNetwork = errors.New("wallet is for another network")
	// ErrInsecureFolder means the wallet folder can be read or written by others.
	ErrInsecureFolder = errors.New("wallet folder is open to other users")
	// ErrNeverSynced means an offline answer was asked of a wallet that has never synced.
	ErrNeverSynced = errors.New("wallet has never synced")
	// ErrBadInput marks a request the caller must correct (bad outpoint, unknown txid, ...).
	ErrBadInput = errors.New("bad input")
	// ErrBusy means another satchel holds the wallet's lock longer than the wait allows.
	ErrBusy = store.ErrBusy
	// ErrStoreDamaged means wallet.db does not open as a database (damaged or replaced).
	ErrStoreDamaged = store.ErrDamaged
)
