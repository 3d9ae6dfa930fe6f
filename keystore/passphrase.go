package keystore

import (
	"errors"
	"fmt"
	"path/filepath"
	"unicode/utf8"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"github.com/satchel-wallet/satchel/internal/crash"
)

// ChangePassphrase rewraps the keystore's data key under newPass, with a fresh salt,
// keeping the file's KDF cost unless WithKDF gives a new one; the encrypted secret and
// the header are not touched. The new file is written beside the old one, opened with
// newPass and compared with the old secret and metadata, and only then atomically
// renamed over it, so on any failure (including a wrong oldPass) the old file is left
// exactly as it was. A symbolic link at path is followed: its target is replaced.
func ChangePassphrase(path string, oldPass, newPass []byte, opts ...Option) error {
	cfg := newConfig(opts)
	if len(newPass) == 0 {
		return fileErr(path, ErrInvalidInput, "empty new passphrase")
	}
	if msg := checkNewPassphrase(newPass); msg != "" {
		return fileErr(path, ErrInvalidInput, "the new passphrase %s", msg)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	if err := checkDir(real); err != nil {
		return err
	}
	old, err := load(real, cfg.limit)
	if err != nil {
		return err
	}
	params := old.params()
	if cfg.kdf != nil {
		params = *cfg.kdf
		if err := checkNewParams(path, params); err != nil {
			return err
		}
	}
	dk, err := unwrap(path, old, oldPass, cfg)
	if err != nil {
		return err
	}
	defer clear(dk)
	secret, err := decrypt(path, old, dk)
	if err != nil {
		return err
	}
	defer secret.Wipe()

	next := *old
	next.setParams(params)
	if next.salt, err = randomBytes(saltLen); err != nil {
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	if next.wrappedKey, err = wrap(&next, newPass, dk, cfg); err != nil {
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	want := next.info()
	verify := func(tmp string) error {
		got, info, err := Open(tmp, newPass, opts...)
		if err != nil {
			// %v, not %w: the temporary file's error class (say, a wrong passphrase)
			// must not be mistaken for one about the keystore.
			return fmt.Errorf("reopening it failed, keystore unchanged: %v", err)
		}
		defer got.Wipe()
		if !got.equal(secret) || info.KDFParams != want.KDFParams || info.Network != want.Network ||
			info.Fingerprint != want.Fingerprint || !info.Created.Equal(want.Created) {
			return errors.New("it does not hold the same secret and metadata, keystore unchanged")
		}
		crash.Point(crash.PassphraseBeforeSwap)
		return nil
	}
	if err := atomicfile.WriteVerify(real, next.seal(), 0o600, verify); err != nil {
		return fmt.Errorf("keystore %s: change passphrase: %w", path, err)
	}
	crash.Point(crash.PassphraseAfterSwap)
	return nil
}

// CheckNewPassphrase is the check Create and ChangePassphrase make of a new passphrase, for a
// caller that has it before the old one is checked (unlocking takes a second or more: a new
// passphrase no one can type is better refused first). The error wraps ErrInvalidInput.
func CheckNewPassphrase(p []byte) error {
	if msg := checkNewPassphrase(p); msg != "" {
		return fmt.Errorf("%w: the new passphrase %s", ErrInvalidInput, msg)
	}
	return nil
}

// checkNewPassphrase refuses, for a passphrase about to protect a keystore, what no one can
// type at a prompt: bytes that are not UTF-8 text, or control characters (NUL, escape...), as
// the first line of a binary file given to --new-passphrase-file holds. Such a passphrase
// would lock the seed away for good once the file is gone. "" means it is fine. Passphrases
// already in use are not checked: they still open their keystore.
func checkNewPassphrase(p []byte) string {
	if !utf8.Valid(p) {
		return "is not text (a binary file?): write it as text on the file's first line"
	}
	for _, r := range string(p) {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return "holds a control character, which no one can type: write it as plain text"
		}
	}
	return ""
}
