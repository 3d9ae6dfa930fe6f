package wallet

import (
	"fmt"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// The keystore's error classes, re-exported so that callers map them to exit codes without
// reaching into the keystore: only this package opens it.
var (
	ErrWrongPassphrase     = keystore.ErrWrongPassphrase
	ErrKeystoreExists      = keystore.ErrExists
	ErrKeystoreInput       = keystore.ErrInvalidInput
	ErrKeystoreCorrupt     = keystore.ErrCorrupt
	ErrKeystoreVersion     = keystore.ErrUnsupportedVersion
	ErrKeystoreCost        = keystore.ErrCostTooHigh
	ErrKeystorePermissions = keystore.ErrInsecurePermissions
)

// Secret is the wallet's seed as the keystore holds it (BIP39 words, or a SLIP-39 master
// secret). Wipe it as soon as it is no longer needed.
type Secret = keystore.Secret

// Kinds of Secret.
const (
	SecretBIP39 = keystore.KindBIP39
	SecretSeed  = keystore.KindSeed
)

// KeystoreInfo is what the keystore says without its passphrase (KDF, cipher, creation).
type KeystoreInfo = keystore.Info

// KeystoreInfo reads the keystore's clear-text header.
func (w *Wallet) KeystoreInfo() (KeystoreInfo, error) { return keystore.ReadInfo(w.KeystorePath()) }

// Secret opens the keystore with passphrase and returns the seed, for the commands that exist
// to show or check it (seed show, seed verify). It refuses a keystore whose seed is not this
// wallet's. The caller wipes it. The wallet's store need not be open: commands close it before
// asking, so no lock is held while the user types.
func (w *Wallet) Secret(passphrase []byte, opts ...KeystoreOption) (*Secret, error) {
	if w.meta.WatchOnly {
		return nil, fmt.Errorf("%w: this wallet holds no seed", keys.ErrWatchOnly)
	}
	sec, _, err := keystore.Open(w.KeystorePath(), passphrase, opts...)
	if err != nil {
		return nil, err
	}
	return sec, nil
}

// CheckPassphrase says whether passphrase opens the wallet's keystore (nil) or why not; it is
// what loosening a spending cap asks for.
func (w *Wallet) CheckPassphrase(passphrase []byte, opts ...KeystoreOption) error {
	sec, err := w.Secret(passphrase, opts...)
	if err != nil {
		return err
	}
	sec.Wipe()
	return nil
}

// CheckNewPassphrase refuses a new passphrase no one could type at a prompt (not text, or
// control characters), as ChangePassphrase would, so a caller holding it before the old one is
// checked can refuse it without the seconds an unlock takes.
func CheckNewPassphrase(p []byte) error { return keystore.CheckNewPassphrase(p) }

// ChangePassphrase re-encrypts the keystore's data key under a new passphrase, atomically:
// an interruption leaves the old keystore working.
func (w *Wallet) ChangePassphrase(old, nw []byte, opts ...KeystoreOption) error {
	if err := w.CheckPassphrase(old, opts...); err != nil {
		return err
	}
	return keystore.ChangePassphrase(w.KeystorePath(), old, nw, opts...)
}
