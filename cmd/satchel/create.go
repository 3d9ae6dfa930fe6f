package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// walletJSON is what create and restore print.
type walletJSON struct {
	Wallet      string          `json:"wallet"`
	Network     string          `json:"network"`
	Type        string          `json:"type"`
	Fingerprint string          `json:"fingerprint"`
	Mnemonic    string          `json:"mnemonic,omitempty"`
	Descriptors descriptorsJSON `json:"descriptors"`
	FirstAddr   string          `json:"first_address"`
}

type descriptorsJSON struct {
	Receive string `json:"receive"`
	Change  string `json:"change"`
}

func parseWalletType(s string) (txbuilder.ScriptType, error) {
	switch s {
	case "tr":
		return txbuilder.P2TR, nil
	case "wpkh":
		return txbuilder.P2WPKH, nil
	}
	return 0, usagef("bad_type", fmt.Sprintf("--type %q: use tr (taproot, BIP86) or wpkh (native segwit, BIP84)", s))
}

func newCreateCmd(a *App) *cobra.Command {
	var words int
	var typ string
	var askBIP39 bool
	var wo watchOnlyFlags
	var ms multisigFlags
	var shamir shamirOptions
	c := &cobra.Command{
		Use:   "create",
		Short: "Make a new wallet with a fresh 12 or 24-word seed",
		Long: `Make a new wallet. The seed words come from the operating system's random source and are
shown once, numbered: write them down. On a terminal you are then asked for three of them to
check your copy before anything is written. The seed is stored encrypted under your passphrase.

--type tr (default) makes a taproot wallet (BIP86), whose coins are the cheapest to spend later;
--type wpkh makes a native segwit wallet (BIP84).

--shamir T-of-N makes SLIP-39 Shamir shares instead of seed words: any T of the N shares restore
the wallet and fewer reveal nothing. Groups are comma-separated, with --group-threshold saying how
many groups restore: --shamir 2-of-3,1-of-1 --group-threshold 1 means two of the three shares of
group 1, or the one share of group 2. Shares are 20 words (a 128-bit master secret, the BIP32 seed,
as Trezor makes them), or 33 words with --strength 256 (or --words 24). On a terminal each share
is shown on its own screen; --json lists them under "shares", one array per group.`,
		Example: "  satchel create\n  satchel create --words 24 --type wpkh\n  satchel create --shamir 2-of-3\n  SATCHEL_PASSPHRASE=... satchel create --json --network regtest",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			multi, err := ms.options(a, cmd)
			if err != nil {
				return err
			}
			if handled, err := a.runCreateWatchOnly(cmd, &wo, typ); handled {
				return err
			}
			if shamir.used(cmd) {
				return a.createShamir(cmd, shamir)
			}
			if words != 12 && words != 24 {
				return usagef("bad_words", "--words must be 12 or 24")
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
			mnemonic, err := keys.NewMnemonic(words, a.Entropy)
			if err != nil {
				return err
			}
			pass, err := a.passphrase(true)
			if err != nil {
				return err
			}
			defer wipe(pass)
			a.warnShortPassphrase(pass)
			bip39pass, err := a.bip39Passphrase(askBIP39, true)
			if err != nil {
				return err
			}
			defer wipe(bip39pass)
			interactive := !a.flags.json && a.canPrompt()
			if interactive {
				if err := a.showAndCheckWords(mnemonic); err != nil {
					return err
				}
			}
			done := a.encrypting()
			res, err := wallet.Create(cmd.Context(), wallet.CreateOptions{
				Dir: dir, Network: a.flags.network, Type: st, Mnemonic: []byte(mnemonic),
				BIP39Passphrase: bip39pass, Passphrase: pass, Keystore: a.Keystore, Now: a.Now(), Multisig: multi,
			})
			done()
			if err != nil {
				return err
			}
			out := a.walletOut(res)
			if a.flags.json {
				out.Mnemonic = mnemonic
				return a.printJSON(out)
			}
			if !interactive {
				a.printWords(a.Out, mnemonic)
			}
			a.printWalletText("Created", dir, out)
			return nil
		},
	}
	c.Flags().IntVar(&words, "words", 12, "seed length: 12 or 24 words")
	c.Flags().StringVar(&typ, "type", "tr", "tr (taproot, BIP86) or wpkh (native segwit, BIP84)")
	c.Flags().BoolVar(&askBIP39, "bip39-passphrase", false, "also ask for a BIP39 passphrase (the \"25th word\"; env SATCHEL_BIP39_PASSPHRASE)")
	addShamirCreateFlags(c, &shamir)
	wo.register(c)
	ms.register(c, "makes")
	return c
}

func (a *App) walletOut(res *wallet.Created) walletJSON {
	return walletJSON{Wallet: a.flags.wallet, Network: res.Network, Type: res.Type.String(), Fingerprint: res.Fingerprint,
		Descriptors: descriptorsJSON{Receive: res.Receive, Change: res.Change}, FirstAddr: res.FirstAddress}
}

// fingerprintText is the master key fingerprint for people. A multisig coordinator holds no key
// of its own: its 00000000 (kept in JSON, where PSBTs want a value) would read as one.
func fingerprintText(fp, typ string) string {
	if fp == "00000000" && strings.HasPrefix(typ, "wsh-multi") {
		return "none (a coordinator holds no key of its own)"
	}
	return fp
}

func (a *App) printWalletText(verb, dir string, out walletJSON) {
	fmt.Fprintf(a.Out, "%s wallet %q on %s (%s) in %s\n", verb, out.Wallet, out.Network, out.Type, dir)
	fmt.Fprintf(a.Out, "fingerprint:   %s\n", fingerprintText(out.Fingerprint, out.Type))
	fmt.Fprintf(a.Out, "first address: %s\n", out.FirstAddr)
	fmt.Fprintf(a.Out, "receive:       %s\n", out.Descriptors.Receive)
	fmt.Fprintf(a.Out, "change:        %s\n", out.Descriptors.Change)
}

// bip39Passphrase returns the optional BIP39 passphrase: env SATCHEL_BIP39_PASSPHRASE, or a
// prompt when --bip39-passphrase was given. Empty means none.
func (a *App) bip39Passphrase(ask, confirm bool) ([]byte, error) {
	if v := a.Getenv("SATCHEL_BIP39_PASSPHRASE"); v != "" {
		return []byte(v), nil
	}
	if !ask {
		return nil, nil
	}
	return a.readSecretFrom(passphraseSource{what: "BIP39 passphrase", fileFlag: "",
		env: "SATCHEL_BIP39_PASSPHRASE", confirm: confirm})
}

func (a *App) printWords(w io.Writer, mnemonic string) {
	ws := strings.Fields(mnemonic)
	fmt.Fprintln(w, "Your seed words. Write them down in order and keep them offline; anyone who sees them can")
	fmt.Fprintln(w, "take your money, and without them a lost passphrase or laptop means lost money:")
	writeWordGrid(w, ws)
	fmt.Fprintln(w)
}

// writeWordGrid writes words numbered, four to a line, in aligned columns with no trailing
// spaces (a copy pasted into a file or a password manager keeps no stray blanks).
func writeWordGrid(w io.Writer, ws []string) {
	var line strings.Builder
	for i, word := range ws {
		fmt.Fprintf(&line, "  %2d. %-10s", i+1, word)
		if (i+1)%4 == 0 || i == len(ws)-1 {
			fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
			line.Reset()
		}
	}
}

// showAndCheckWords shows the seed and asks for three words by position, so a wallet is only
// written once its backup has been copied.
// After three failed rounds it offers to show the words again (a miscopied word is better
// fixed than a fresh seed written down from scratch).
func (a *App) showAndCheckWords(mnemonic string) error {
	for {
		a.printWords(a.Err, mnemonic)
		if _, err := a.ReadLine("Press Enter when you have written them down. "); err != nil {
			return err
		}
		fmt.Fprint(a.Err, clearScreen) // so the words do not linger
		if a.wordsBack(strings.Fields(mnemonic), 3, "Word", "seed words") {
			return nil
		}
		ans, err := a.ReadLine("Show the words again to correct your copy? [y/N] ")
		if err != nil {
			return err
		}
		if a := strings.ToLower(strings.TrimSpace(ans)); a != "y" && a != "yes" {
			return usagef("backup_check_failed", "the seed words you typed did not match three times; nothing was written: run create again")
		}
	}
}

// clearScreen clears a terminal and its scrollback, so seed words shown there do not linger.
const clearScreen = "\033[H\033[2J\033[3J"

// eraseTypedLine removes the line a word was just typed on (the prompt and the echoed answer),
// so words typed back do not stay on screen.
func (a *App) eraseTypedLine() {
	if a.ErrTerm {
		fmt.Fprint(a.Err, "\033[1A\r\033[2K")
	}
}

// wordsBack asks n words at random positions of ws back (prompts "PREFIX #N: "), up to three
// times, and says whether one round was all right. A read error counts as a failed round.
func (a *App) wordsBack(ws []string, n int, prefix, what string) bool {
	positions := pickPositions(len(ws), n)
	for tries := 0; tries < 3; tries++ {
		ok := true
		for _, p := range positions {
			ans, err := a.ReadLine(fmt.Sprintf("%s #%d: ", prefix, p+1))
			if err != nil {
				return false
			}
			a.eraseTypedLine()
			if !wordMatches(strings.TrimSpace(ans), ws[p]) {
				ok = false
			}
		}
		if ok {
			return true
		}
		fmt.Fprintf(a.Err, "That does not match your %s. Check your copy and try again.\n", what)
	}
	return false
}

func wordMatches(typed, word string) bool {
	typed = strings.ToLower(typed)
	return typed == word || (len(typed) >= 4 && strings.HasPrefix(word, typed))
}

// pickPositions draws n distinct positions below max from the system's random source.
func pickPositions(max, n int) []int {
	var out []int
	seen := map[int]bool{}
	for len(out) < n {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(max)))
		if err != nil {
			panic(errors.New("system random source failed: " + err.Error()))
		}
		if i := int(v.Int64()); !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}
