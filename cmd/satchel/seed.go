package main

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

func newSeedCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:     "seed",
		Short:   "Show or check the wallet's seed words",
		Long:    "Show the seed words (seed show) or check a written backup against them (seed verify).",
		Example: "  satchel seed show\n  satchel seed verify",
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the seed words, after the passphrase",
		Long: `Print the wallet's seed words, numbered. Needs the passphrase, and on a terminal a y/N
confirmation. --json prints {"mnemonic": "..."} (and bip39_passphrase when set).

` + exitStatusHelp,
		Example: "  satchel seed show\n  satchel seed show --json --passphrase-file pass.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			if err := needsSeed(w, "seed "+cmd.Name()); err != nil {
				w.Close()
				return err
			}
			w.Close()
			if a.canPrompt() && !a.flags.yes {
				if err := a.confirm("Show the seed words on screen? Anyone who sees them can take your money."); err != nil {
					return err
				}
			}
			sec, pass, err := a.unlockSecret(w)
			if err != nil {
				return err
			}
			defer wipe(pass)
			defer sec.Wipe()
			if sec.Kind == wallet.SecretSeed {
				return errShamirSeed
			}
			if sec.Kind != wallet.SecretBIP39 {
				return fmt.Errorf("this wallet's seed is not a BIP39 mnemonic (kind %q)", sec.Kind)
			}
			if a.flags.json {
				out := map[string]string{"mnemonic": string(sec.Mnemonic)}
				if len(sec.BIP39Passphrase) > 0 {
					out["bip39_passphrase"] = string(sec.BIP39Passphrase)
				}
				return a.printJSON(out)
			}
			a.printWords(a.Out, string(sec.Mnemonic))
			if len(sec.BIP39Passphrase) > 0 {
				fmt.Fprintln(a.Out, "This wallet also has a BIP39 passphrase; you need it too to restore.")
			}
			// On a terminal the words are cleared once read, as create does.
			if a.OutTerm && a.canPrompt() {
				if _, err := a.ReadLine("Press Enter to clear the words from the screen. "); err != nil {
					return err
				}
				fmt.Fprint(a.Out, clearScreen)
			}
			return nil
		},
	}
	var shamirFile string
	var shamirVerify bool
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check a written backup of the seed words",
		Long: `Check a backup: on a terminal you are asked for 4 random words by position; without one, a
whole mnemonic is read from stdin. Exit 0 when the backup matches, 1 when it does not. The seed
is never printed.

--shamir checks SLIP-39 shares instead (for a wallet made with create --shamir or restored from
shares): give enough shares, one per line on stdin or --mnemonic-file, or at prompts; they are
combined with the wallet's SLIP-39 passphrase and compared with its master secret.

` + exitStatusHelp,
		Example: "  satchel seed verify\n  satchel seed verify --passphrase-file pass.txt < backup.txt\n  satchel seed verify --shamir < two-shares.txt",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if shamirVerify {
				return a.verifyShamir(shamirFile)
			}
			if shamirFile != "" {
				return usagef("usage", "--mnemonic-file is for --shamir shares; pipe seed words on stdin")
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			if err := needsSeed(w, "seed "+cmd.Name()); err != nil {
				w.Close()
				return err
			}
			w.Close()
			var given []byte
			badChecksum := false
			if !a.InTerm {
				given, err = io.ReadAll(io.LimitReader(a.In, 4097))
				if err != nil {
					return stdinError("bad_mnemonic", err)
				}
				if len(given) > 4096 {
					return usagef("bad_mnemonic", "the backup on stdin is longer than 4 KiB: give only the words")
				}
				defer wipe(given)
				if len(strings.Fields(string(given))) == 0 {
					return usagef("bad_mnemonic", "no seed words on stdin: pipe your written words (satchel seed verify < words.txt), or run on a terminal to be asked four of them")
				}
				if _, err := keys.ParseMnemonic(string(given)); err != nil {
					// A list word miscopied breaks the checksum: compared with the wallet's
					// words below, it can be named rather than only the checksum blamed.
					// (Without a passphrase to unlock with, the checksum is all there is to say.)
					if !errors.Is(err, keys.ErrBadChecksum) || a.flags.passphraseFile == "" && a.Getenv("SATCHEL_PASSPHRASE") == "" {
						return a.mnemonicError(err)
					}
					badChecksum = true
				}
			}
			sec, pass, err := a.unlockSecret(w)
			if err != nil {
				return err
			}
			defer wipe(pass)
			defer sec.Wipe()
			if sec.Kind == wallet.SecretSeed {
				return usagef("not_bip39", "this wallet was made from SLIP-39 shares, not seed words: check them with satchel seed verify --shamir")
			}
			words := strings.Fields(string(sec.Mnemonic))
			ok := false
			var wrong []int // positions asked at the prompt that did not match
			if given != nil {
				var norm string
				if badChecksum {
					// Each word as the list spells it (four letters are enough), to compare.
					fields := strings.Fields(strings.ToLower(string(given)))
					for i, f := range fields {
						if w, ok := listWord(f); ok {
							fields[i] = w
						}
					}
					norm = strings.Join(fields, " ")
				} else if norm, err = keys.ParseMnemonic(string(given)); err != nil {
					return err
				}
				ok = subtle.ConstantTimeCompare([]byte(norm), sec.Mnemonic) == 1
				// A copy of the right length with a few words that differ: name them, as the
				// prompt does (who can unlock the wallet could show its words anyway). Many
				// differing words are another seed, not a miscopy.
				if got, want := strings.Fields(norm), strings.Fields(string(sec.Mnemonic)); !ok && len(got) == len(want) {
					for i := range got {
						if got[i] != want[i] {
							wrong = append(wrong, i+1)
						}
					}
					if len(wrong) > 3 {
						wrong = nil
					}
				}
				if badChecksum && len(wrong) == 0 {
					return a.mnemonicError(keys.ErrBadChecksum)
				}
			} else {
				for _, p := range pickPositions(len(words), 4) {
					ans, err := a.ReadLine(fmt.Sprintf("Word #%d: ", p+1))
					if err != nil {
						return err
					}
					a.eraseTypedLine()
					if !wordMatches(strings.TrimSpace(ans), words[p]) {
						wrong = append(wrong, p+1)
					}
				}
				sort.Ints(wrong)
				ok = len(wrong) == 0
			}
			if a.flags.json {
				if err := a.printJSON(map[string]bool{"match": ok}); err != nil {
					return err
				}
			} else if ok {
				fmt.Fprintln(a.Out, "The backup matches this wallet's seed.")
			}
			if !ok {
				msg := "the backup does not match this wallet's seed"
				if len(wrong) > 0 {
					msg += ": " + numberedWords(wrong) + " " + plural(len(wrong), "does", "do") + " not match; check " + plural(len(wrong), "it", "them") + " in your copy"
				}
				return &codedError{exit: exitError, code: "backup_mismatch", err: errors.New(msg)}
			}
			return nil
		},
	}
	verify.Flags().BoolVar(&shamirVerify, "shamir", false, "check SLIP-39 shares instead of seed words")
	verify.Flags().StringVar(&shamirFile, "mnemonic-file", "", "with --shamir: read the shares from FILE, one per line")
	c.AddCommand(show, verify)
	return c
}

// numberedWords names word positions for a person: "word #3", "words #3 and #7".
func numberedWords(pos []int) string {
	parts := make([]string, len(pos))
	for i, p := range pos {
		parts[i] = fmt.Sprintf("#%d", p)
	}
	if len(parts) == 1 {
		return "word " + parts[0]
	}
	return "words " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
