package main

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
)

func newPassphraseCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:     "passphrase",
		Short:   "Change the passphrase that encrypts the seed",
		Long:    "Change the passphrase that encrypts the wallet's seed (passphrase change).",
		Example: "  satchel passphrase change",
	}
	var newFile string
	change := &cobra.Command{
		Use:   "change",
		Short: "Re-encrypt the seed under a new passphrase",
		Long: `Ask for the old passphrase and the new one (twice), then rewrite the keystore atomically. The
new file is opened with the new passphrase before it replaces the old one, so a failure at any
point leaves the old keystore working. Scripts: --new-passphrase-file FILE or env
SATCHEL_NEW_PASSPHRASE for the new one.

` + exitStatusHelp,
		Example: "  satchel passphrase change\n  satchel passphrase change --passphrase-file old.txt --new-passphrase-file new.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := a.openWallet(false)
			if err != nil {
				return err
			}
			defer w.Close() // holding the write lock keeps another satchel out meanwhile
			if err := needsSeed(w, "passphrase change"); err != nil {
				return err
			}
			src := passphraseSource{what: "new passphrase", file: newFile,
				fileFlag: "--new-passphrase-file", env: "SATCHEL_NEW_PASSPHRASE", confirm: true}
			var nw []byte
			// A new passphrase from a file or the environment is read and checked before the
			// old one is (unlocking takes seconds); one typed at a prompt is asked after.
			if newFile != "" || a.Getenv(src.env) != "" {
				if nw, err = a.readSecretFrom(src); err != nil {
					return err
				}
				defer wipe(nw)
				if err := wallet.CheckNewPassphrase(nw); err != nil {
					return err
				}
			}
			old, err := a.checkPassphrase(w)
			if err != nil {
				return err
			}
			defer wipe(old)
			if nw == nil {
				if nw, err = a.readSecretFrom(src); err != nil {
					return err
				}
				defer wipe(nw)
			}
			if bytes.Equal(old, nw) {
				return usagef("same_passphrase", "the new passphrase is the same as the old one: nothing to change")
			}
			a.warnShortPassphrase(nw)
			done := a.encrypting()
			err = w.ChangePassphrase(old, nw, a.Keystore...)
			done()
			if err != nil {
				return err
			}
			if a.flags.json {
				return a.printJSON(map[string]any{"changed": true, "keystore": w.KeystorePath()})
			}
			fmt.Fprintln(a.Out, "Passphrase changed.")
			return nil
		},
	}
	change.Flags().StringVar(&newFile, "new-passphrase-file", "", "read the new passphrase from the first line of FILE")
	c.AddCommand(change)
	return c
}
