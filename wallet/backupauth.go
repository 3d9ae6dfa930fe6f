package wallet

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"github.com/satchel-wallet/satchel/keystore"
)

// backupMACInfo separates the backup key from every other use of the seed.
const backupMACInfo = "satchel backup authentication v2"

// backupKeyFromSeed derives the key that authenticates backups from the wallet's BIP32 seed,
// which only the wallet passphrase unlocks: a SHA-256 checksum anyone can recompute after an
// edit, this key no one can without the passphrase.
func backupKeyFromSeed(seed []byte) ([]byte, error) {
	return hkdf.Key(sha256.New, seed, nil, backupMACInfo, 32)
}

// BackupKey unlocks the keystore with the passphrase and returns the key that authenticates
// this wallet's backups (wrong passphrase: keystore.ErrWrongPassphrase). The caller wipes it.
func (w *Wallet) BackupKey(passphrase []byte, opts ...keystore.Option) ([]byte, error) {
	if w.meta.WatchOnly {
		return nil, fmt.Errorf("%w: a watch-only wallet has no keystore to authenticate a backup with", ErrBadInput)
	}
	sec, _, err := keystore.Open(w.KeystorePath(), passphrase, opts...)
	if err != nil {
		return nil, err
	}
	seed, err := seedOf(sec)
	sec.Wipe()
	if err != nil {
		return nil, err
	}
	defer wipe(seed)
	return backupKeyFromSeed(seed)
}

// Authenticate makes Marshal write an authentication code with key (from BackupKey).
func (b *Backup) Authenticate(key []byte) { b.key = append([]byte(nil), key...) }

// Authenticated says whether the file carried an authentication code, checked when a restore
// unlocks the keystore. Version 1 files and watch-only backups have none: anyone could have
// edited them and recomputed their checksum.
func (b *Backup) Authenticated() bool { return len(b.mac) > 0 }

// backupMAC is the authentication code of a backup body in compact JSON form.
func backupMAC(key, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(BackupFormat + "\x00"))
	m.Write(body)
	return m.Sum(nil)
}

// verifyMAC checks the file's authentication code with the key from the restored seed.
func (b *Backup) verifyMAC(seed []byte) error {
	if !b.Authenticated() {
		return nil
	}
	key, err := backupKeyFromSeed(seed)
	if err != nil {
		return err
	}
	defer wipe(key)
	if !hmac.Equal(backupMAC(key, b.body), b.mac) {
		return fmt.Errorf("%w: the authentication code does not match: the file was edited after it was written (or its parts come from different wallets)", ErrBadBackup)
	}
	return nil
}
