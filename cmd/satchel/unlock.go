package main

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/satchel-wallet/satchel/wallet"
)

// passphraseTries is how many times a wrong passphrase typed at the prompt may be typed again,
// as sudo allows; one from a file or the environment is not asked again.
const passphraseTries = 3

// minPassphraseLen is the length under which a new passphrase draws a warning: the keystore's
// KDF slows guessing, but a few letters fall to it all the same once the file is copied.
const minPassphraseLen = 8

// passphrasePrompted says whether the wallet passphrase will come from the terminal prompt,
// the one source a retry can ask again.
func (a *App) passphrasePrompted() bool {
	return a.flags.passphraseFile == "" && a.Getenv("SATCHEL_PASSPHRASE") == "" && a.InTerm && a.ReadSecret != nil
}

// unlocking shows "unlocking..." on a terminal while the keystore's KDF runs (1 s on an idle
// machine, far longer on a busy one), and returns the function that erases it.
func (a *App) unlocking() func() { return a.working("unlocking...") }

// encrypting is unlocking for the KDF run that seals a new keystore (create, restore, a new
// passphrase), which takes as long.
func (a *App) encrypting() func() { return a.working("encrypting the seed...") }

// working shows msg on a terminal while something slow runs, and returns the function that
// erases it; elsewhere (a pipe, --json) it shows nothing.
func (a *App) working(msg string) func() {
	if !a.ErrTerm || a.flags.json {
		return func() {}
	}
	fmt.Fprint(a.Err, msg)
	return func() { fmt.Fprint(a.Err, "\r\033[K") }
}

// unlockSecret asks for the wallet passphrase and has the wallet open its keystore. A wrong
// passphrase typed at the prompt can be typed again, up to passphraseTries times in all. The
// caller wipes the secret and the passphrase.
func (a *App) unlockSecret(w *wallet.Wallet) (*wallet.Secret, []byte, error) {
	var sec *wallet.Secret
	var pass []byte
	err := a.withPassphrase(func(p []byte) error {
		s, err := w.Secret(p, a.Keystore...)
		if err == nil {
			sec, pass = s, bytes.Clone(p)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return sec, pass, nil
}

// checkPassphrase is unlockSecret for a caller that needs only the passphrase, checked (to
// hand to the wallet again: a passphrase change, loosening a cap).
func (a *App) checkPassphrase(w *wallet.Wallet) ([]byte, error) {
	var pass []byte
	err := a.withPassphrase(func(p []byte) error {
		err := w.CheckPassphrase(p, a.Keystore...)
		if err == nil {
			pass = bytes.Clone(p)
		}
		return err
	})
	return pass, err
}

// warnShortPassphrase warns about a new passphrase under minPassphraseLen characters.
func (a *App) warnShortPassphrase(p []byte) {
	if n := utf8.RuneCount(p); n < minPassphraseLen {
		a.warn("short_passphrase", fmt.Sprintf("the passphrase has only %d characters: anyone who copies the keystore file can try guesses offline; %d or more are advised", n, minPassphraseLen))
	}
}

// withPassphrase asks for the wallet passphrase and calls use with it while "unlocking..." is
// shown; when use fails with a wrong passphrase typed at the prompt, it asks again, up to
// passphraseTries times in all. For callers that hand the passphrase to the wallet, which
// opens the keystore itself (signing, private exports). The passphrase is wiped after use.
func (a *App) withPassphrase(use func(pass []byte) error) error {
	for try := 1; ; try++ {
		pass, err := a.passphrase(false)
		if err != nil {
			return err
		}
		done := a.unlocking()
		err = use(pass)
		done()
		wipe(pass)
		if err == nil {
			return nil
		}
		if !errors.Is(err, wallet.ErrWrongPassphrase) || !a.passphrasePrompted() {
			return err
		}
		if try >= passphraseTries {
			return fmt.Errorf("%w (tried %d times)", err, try)
		}
		fmt.Fprintln(a.Err, "Wrong passphrase; try again.")
	}
}
