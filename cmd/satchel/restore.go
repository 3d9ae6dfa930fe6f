package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
)

func newRestoreCmd(a *App) *cobra.Command {
	var typ, mnemonicFile, birthday string
	var askBIP39 bool
	var other restoreSources
	var ms multisigFlags
	c := &cobra.Command{
		Use:   "restore",
		Short: "Rebuild a wallet from its seed words, SLIP-39 shares or a backup file",
		Long: `Rebuild a wallet from a BIP39 mnemonic. The words come from --mnemonic-file, from stdin when
stdin is not a terminal, or from a prompt that does not echo. Words are case-insensitive and
the first four letters of each are enough. The first sync also looks for funds on the seed's
other standard paths (BIP44, BIP49, BIP84, BIP86) and adopts what it finds.

--shamir restores from SLIP-39 shares instead: one share per line from --mnemonic-file or stdin,
or typed one at a time at a prompt that says how many more are needed. Reading stops as soon as
there are enough. A share from another backup, or one that fails its checksum, is named and
refused (exit 2). A SLIP-39 passphrase comes from SATCHEL_BIP39_PASSPHRASE or --bip39-passphrase.

--from-backup FILE brings back a wallet saved with satchel backup export: its keystore byte for
byte (so the wallet passphrase is the one it had), accounts, labels and settings. Nothing is
written unless the passphrase opens the keystore and the file is intact.`,
		Example: "  satchel restore\n  satchel restore --type wpkh --mnemonic-file words.txt\n  satchel restore --shamir < shares.txt\n  satchel restore --from-backup wallet.backup --wallet laptop\n  echo \"$WORDS\" | SATCHEL_PASSPHRASE=... satchel restore --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if birthday != "" && (other.shamir || other.backup != "") {
				return usagef("usage", "--birthday goes with a restore from seed words (a backup file carries its own birthday; SLIP-39 restores do not take one yet)")
			}
			multi, err := ms.options(a, cmd)
			if err != nil {
				return err
			}
			if multi != nil && (other.shamir || other.backup != "") {
				return usagef("bad_flag", "--multisig goes with a restore from seed words")
			}
			if handled, err := a.restoreFrom(cmd, other, mnemonicFile); handled {
				return err
			}
			bday, bdate, err := parseBirthday(birthday)
			if err != nil {
				return err
			}
			st, err := parseWalletType(typ)
			if err != nil {
				return err
			}
			dir, err := a.walletDir()
			if err != nil {
				return err
			}
			if _, err := os.Stat(dir); err == nil {
				return fmt.Errorf("%w: %s: choose another --wallet name (that wallet is left as it is)", wallet.ErrExists, dir)
			}
			raw, err := a.readMnemonic(mnemonicFile)
			if err != nil {
				return err
			}
			defer wipe(raw)
			mnemonic, err := a.parseMnemonic(raw, mnemonicFile == "" && a.InTerm && a.ReadSecret != nil)
			if err != nil {
				return err
			}
			pass, err := a.passphrase(true)
			if err != nil {
				return err
			}
			defer wipe(pass)
			a.warnShortPassphrase(pass)
			bip39pass, err := a.bip39Passphrase(askBIP39, false)
			if err != nil {
				return err
			}
			defer wipe(bip39pass)
			done := a.encrypting()
			res, err := wallet.Create(cmd.Context(), wallet.CreateOptions{
				Dir: dir, Network: a.flags.network, Type: st, Mnemonic: []byte(mnemonic),
				BIP39Passphrase: bip39pass, Passphrase: pass, Restored: true, Keystore: a.Keystore, Now: a.Now(), Multisig: multi,
			})
			done()
			if err != nil {
				return err
			}
			if birthday != "" {
				if err := a.setSilentBirthday(pass, bday, bdate); err != nil {
					return err
				}
			}
			if multi != nil && multi.Setup != nil {
				a.showSetup(multi.Setup)
			}
			out := a.walletOut(res)
			if a.flags.json {
				return a.printJSON(out)
			}
			a.printWalletText("Restored", dir, out)
			if multi == nil {
				fmt.Fprintln(a.Out, "The next sync also looks for funds on the seed's other standard paths.")
			}
			return nil
		},
	}
	c.Flags().StringVar(&typ, "type", "tr", "main account type: tr (BIP86) or wpkh (BIP84)")
	c.Flags().StringVar(&mnemonicFile, "mnemonic-file", "", "read the seed words from FILE")
	c.Flags().StringVar(&birthday, "birthday", "", "scan for silent payments (BIP352) from this block HEIGHT or DATE (YYYY-MM-DD); needs a btcd backend to sync")
	c.Flags().BoolVar(&askBIP39, "bip39-passphrase", false, "ask for the BIP39 passphrase (env SATCHEL_BIP39_PASSPHRASE)")
	other.register(c)
	ms.register(c, "restores")
	ms.registerSetup(c)
	return c
}

// readMnemonic reads seed words from a file, from stdin when it is not a terminal, or from a
// no-echo prompt. At most 4 KiB: a mnemonic is far shorter, and hostile input stays bounded.
func (a *App) readMnemonic(file string) ([]byte, error) {
	const max = 4096
	var r io.Reader
	switch {
	case file != "":
		f, err := openInput("bad_mnemonic_file", "--mnemonic-file", file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	case !a.InTerm:
		r = a.In
	case a.ReadSecret != nil:
		return a.ReadSecret("Seed words (hidden): ")
	default:
		return nil, usagef("mnemonic_needed", "no seed words: give --mnemonic-file FILE or pipe them on stdin")
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil && r == a.In {
		return nil, stdinError("bad_mnemonic_file", err)
	}
	if err != nil {
		return nil, usagef("bad_mnemonic_file", fmt.Sprintf("read seed words: %v", err))
	}
	if len(b) > max {
		return nil, usagef("bad_mnemonic", "the seed words input is longer than 4 KiB: give only the words")
	}
	// Nothing at all is a file or pipe left empty, not a mnemonic of 0 words.
	if len(bytes.TrimSpace(b)) == 0 {
		if file != "" {
			return nil, usagef("bad_mnemonic", fmt.Sprintf("--mnemonic-file %s is empty: write the seed words in it, in order, separated by spaces", file))
		}
		return nil, usagef("bad_mnemonic", "no seed words on stdin: give --mnemonic-file FILE, pipe the words (satchel restore < words.txt), or run on a terminal to be asked for them")
	}
	return b, nil
}
