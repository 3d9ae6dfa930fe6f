package main

import (
	"context"
	"errors"
	"os"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/uri"
)

// Exit codes. This table is the only place they are defined; they are never renumbered.
const (
	exitOK         = 0 // success
	exitError      = 1 // any other error, and declining at a prompt (code declined)
	exitUsage      = 2 // bad usage or input
	exitPassphrase = 3 // wrong passphrase
	exitCannotPay  = 4 // insufficient funds, below dust, too large a transaction, fee guard, spending cap
	exitBackend    = 5 // backend unreachable or rejected the request
	exitBusy       = 6 // another satchel holds the wallet
)

// exitStatusHelp is the EXIT STATUS section every command's help ends with.
const exitStatusHelp = `EXIT STATUS
  0  ok
  1  error, or a question answered no (declined)
  2  bad usage or input (also: the wallet already exists)
  3  wrong passphrase
  4  cannot pay (insufficient funds, below dust, too large a transaction, fee guard,
     too many unconfirmed in a chain)
  5  backend unreachable, on another network, or rejected
  6  wallet busy (another satchel holds it)`

// usageError is a mistake in what the user typed: exit 2.
type usageError struct {
	code string
	msg  string
}

func (e *usageError) Error() string { return e.msg }

func usagef(code, msg string) error { return &usageError{code: code, msg: msg} }

// codedError carries an explicit exit code and JSON error code.
type codedError struct {
	exit int
	code string
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// classify maps an error to its exit code and the stable code JSON errors carry.
func classify(err error) (int, string) {
	var ue *usageError
	var ce *codedError
	var unk *keys.UnknownWordError
	var ins *txbuilder.InsufficientFundsError
	var dust *txbuilder.DustError
	var be *chain.BroadcastError
	switch {
	case errors.As(err, &ce):
		return ce.exit, ce.code
	case errors.As(err, new(*configTypeError)):
		return exitUsage, "bad_config"
	case errors.As(err, &ue):
		return exitUsage, ue.code
	case powerUserClass(err).code != "":
		c := powerUserClass(err)
		return c.exit, c.code
	case errors.Is(err, wallet.ErrWrongPassphrase):
		return exitPassphrase, "wrong_passphrase"
	case errors.Is(err, wallet.ErrBusy):
		return exitBusy, "wallet_busy"
	case errors.As(err, &be):
		return exitBackend, "broadcast_rejected"
	case errors.Is(err, chain.ErrWrongNetwork):
		// The backend answers, for another chain: a backend failure, not the user's input.
		return exitBackend, "backend_wrong_network"
	case errors.Is(err, chain.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		return exitBackend, "backend_unreachable"
	case errors.As(err, &ins), errors.Is(err, txbuilder.ErrInsufficientFunds):
		return exitCannotPay, "insufficient_funds"
	case errors.As(err, &dust), errors.Is(err, txbuilder.ErrDustOutput):
		return exitCannotPay, "below_dust"
	case errors.Is(err, txbuilder.ErrTooLarge):
		// The payment cannot be made as asked (too many coins or payees for one transaction):
		// like not enough money, the user changes the payment, not the command's syntax.
		return exitCannotPay, "too_large"
	case errors.As(err, &unk):
		return exitUsage, "unknown_word"
	case errors.Is(err, keys.ErrBadChecksum):
		return exitUsage, "bad_checksum"
	case errors.Is(err, keys.ErrWordCount):
		return exitUsage, "bad_mnemonic"
	case errors.Is(err, txbuilder.ErrBadAmount):
		return exitUsage, "bad_amount"
	case errors.Is(err, address.ErrWrongNetwork):
		return exitUsage, "wrong_network"
	case errors.Is(err, address.ErrBadChecksum), errors.Is(err, address.ErrUnknownWitnessVersion), errors.Is(err, address.ErrInvalid),
		errors.Is(err, address.ErrUnsupportedProgram):
		return exitUsage, "bad_address"
	case errors.Is(err, uri.ErrNotBitcoinURI), errors.Is(err, uri.ErrUnknownRequired), errors.Is(err, uri.ErrDuplicate),
		errors.Is(err, uri.ErrNoPaymentTarget), errors.Is(err, uri.ErrInvalid):
		return exitUsage, "bad_uri"
	case errors.Is(err, descriptor.ErrInvalid), errors.Is(err, descriptor.ErrChecksum), errors.Is(err, descriptor.ErrUnsupported),
		errors.Is(err, descriptor.ErrMultipath), errors.Is(err, descriptor.ErrNeedPrivateKey):
		return exitUsage, "bad_descriptor"
	case errors.Is(err, keys.ErrBadExtendedKey):
		return exitUsage, "bad_key"
	case errors.Is(err, wallet.ErrFeeGuard):
		return exitCannotPay, "fee_guard"
	case errors.Is(err, wallet.ErrLimitExceeded):
		return exitCannotPay, "limit_exceeded"
	case errors.Is(err, wallet.ErrChainTooLong):
		return exitCannotPay, "chain_too_long"
	case errors.Is(err, wallet.ErrBadInput):
		return exitUsage, "bad_input"
	case errors.Is(err, wallet.ErrWrongNetwork):
		return exitUsage, "wrong_network"
	case errors.Is(err, wallet.ErrNoWallet):
		return exitError, "no_wallet"
	case errors.Is(err, wallet.ErrExists), errors.Is(err, wallet.ErrKeystoreExists):
		// The name given is taken: the user picks another (a usage error, as the table says).
		return exitUsage, "wallet_exists"
	case errors.Is(err, wallet.ErrKeystoreInput):
		return exitUsage, "bad_input"
	case errors.Is(err, wallet.ErrNeverSynced):
		return exitError, "never_synced"
	case errors.Is(err, wallet.ErrKeystoreCorrupt), errors.Is(err, wallet.ErrKeystoreVersion), errors.Is(err, wallet.ErrKeystoreCost):
		return exitError, "keystore_damaged"
	case errors.Is(err, wallet.ErrStoreDamaged):
		return exitError, "wallet_damaged"
	case errors.Is(err, wallet.ErrKeystorePermissions), errors.Is(err, wallet.ErrInsecureFolder):
		return exitError, "insecure_permissions"
	case errors.Is(err, os.ErrPermission):
		return exitError, "permission_denied"
	}
	return exitError, "error"
}
