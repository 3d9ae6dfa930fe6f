package main

import (
	"errors"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/bip329"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/message"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
	"github.com/satchel-wallet/satchel/wallet/slip39"
)

type errorClass struct {
	exit int
	code string
}

// powerUserClass maps the errors of Shamir backups, backup files, labels, SLIP-132 keys,
// message signatures and multisig setup files to exit codes; code is "" for any other error.
func powerUserClass(err error) errorClass {
	var share *slip39.ShareError
	var le *bip329.LineError
	switch {
	case errors.Is(err, slip39.ErrMismatch):
		return errorClass{exitUsage, "share_mismatch"}
	case errors.Is(err, slip39.ErrDuplicateShare):
		return errorClass{exitUsage, "duplicate_share"}
	case errors.Is(err, slip39.ErrNotEnoughShares):
		return errorClass{exitUsage, "not_enough_shares"}
	case errors.Is(err, slip39.ErrTooManyShares):
		return errorClass{exitUsage, "too_many_shares"}
	case errors.Is(err, slip39.ErrInvalidDigest):
		return errorClass{exitUsage, "invalid_shares"}
	case errors.Is(err, slip39.ErrBadScheme):
		return errorClass{exitUsage, "bad_shamir"}
	case errors.Is(err, slip39.ErrBadPassphrase):
		return errorClass{exitUsage, "bad_passphrase"}
	case errors.As(err, &share), errors.Is(err, slip39.ErrBadWord), errors.Is(err, slip39.ErrBadChecksum),
		errors.Is(err, slip39.ErrShareLength), errors.Is(err, slip39.ErrBadPadding), errors.Is(err, slip39.ErrInvalidShare),
		errors.Is(err, slip39.ErrSeedWords):
		return errorClass{exitUsage, "bad_share"}
	case errors.Is(err, wallet.ErrBadBackup):
		return errorClass{exitUsage, "bad_backup"}
	case errors.As(err, &le), errors.Is(err, bip329.ErrInvalid):
		return errorClass{exitUsage, "bad_labels"}
	case errors.Is(err, keys.ErrNoSLIP132):
		return errorClass{exitUsage, "no_slip132"}
	case errors.Is(err, wallet.ErrNotOurAddress):
		return errorClass{exitUsage, "not_our_address"}
	case errors.Is(err, message.ErrUnsupported):
		return errorClass{exitUsage, "unsupported_signature"}
	case errors.Is(err, message.ErrInvalidSignature):
		return errorClass{exitError, "invalid_signature"}
	case errors.Is(err, message.ErrMalformedSignature):
		return errorClass{exitError, "malformed_signature"}
	case errors.Is(err, keys.ErrWatchOnly):
		return errorClass{exitUsage, "watch_only"}
	case errors.Is(err, wallet.ErrNotMultisig):
		return errorClass{exitUsage, "not_multisig"}
	case errors.Is(err, wallet.ErrNotMember):
		return errorClass{exitUsage, "not_a_member"}
	case errors.Is(err, setupfile.ErrFirstAddress):
		return errorClass{exitUsage, "first_address_mismatch"}
	case errors.Is(err, setupfile.ErrUnsupported):
		return errorClass{exitUsage, "unsupported_setup"}
	case errors.Is(err, setupfile.ErrInvalid):
		return errorClass{exitUsage, "bad_setup"}
	case errors.Is(err, setupfile.ErrNoDerivation):
		return errorClass{exitError, "no_derivation"}
	}
	return errorClass{}
}
