package main

import (
	"bufio"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/slip39"
)

// shamirIterationExponent is the SLIP-39 passphrase cost satchel writes: 10000 x 2^1 PBKDF2
// rounds, as Trezor does.
const shamirIterationExponent = 1

// shamirOptions are create's Shamir flags.
type shamirOptions struct {
	spec           string
	groupThreshold int
	strength       int
	// noExtendable makes shares without SLIP-39's extendable flag, for readers that predate
	// it (Electrum 4.3.4, embit 0.8).
	noExtendable bool
}

func addShamirCreateFlags(c *cobra.Command, o *shamirOptions) {
	c.Flags().StringVar(&o.spec, "shamir", "", "make a SLIP-39 Shamir backup instead of seed words: T-of-N shares (2-of-3), or groups 2-of-3,1-of-1 with --group-threshold")
	c.Flags().IntVar(&o.groupThreshold, "group-threshold", 0, "with several --shamir groups: how many groups it takes to restore")
	c.Flags().IntVar(&o.strength, "strength", 0, "with --shamir: master secret bits, 128 (20-word shares, the default) or 256 (33-word shares; also --words 24)")
	c.Flags().BoolVar(&o.noExtendable, "no-extendable", false, "with --shamir: shares without the SLIP-39 extendable flag, which Electrum 4.3.4 and embit 0.8 need to read them")
}

// used says whether any Shamir flag was given, so create takes the Shamir path.
func (o *shamirOptions) used(cmd *cobra.Command) bool {
	f := cmd.Flags()
	return f.Changed("shamir") || f.Changed("group-threshold") || f.Changed("strength") || f.Changed("no-extendable")
}

// shamirScheme is a parsed --shamir and --group-threshold.
type shamirScheme struct {
	groupThreshold int
	groups         []slip39.Group
}

// parseShamirSpec reads "T-of-N" groups separated by commas, checking SLIP-39's limits so a bad
// scheme is refused before any passphrase is asked.
func parseShamirSpec(spec string, groupThreshold int) (shamirScheme, error) {
	bad := func(why string) (shamirScheme, error) {
		// A one-group spec is its own part: name it once ("--shamir "5-of-3": the threshold...").
		why = strings.TrimPrefix(strings.TrimPrefix(why, strconv.Quote(spec)+": "), strconv.Quote(spec)+" is ")
		return shamirScheme{}, usagef("bad_shamir", fmt.Sprintf("--shamir %q: %s", spec, why))
	}
	var s shamirScheme
	if strings.TrimSpace(spec) == "" {
		return bad("give shares as T-of-N, like 2-of-3 (any 2 of 3 shares restore the wallet)")
	}
	for _, part := range strings.Split(spec, ",") {
		t, n, ok := strings.Cut(strings.ToLower(strings.TrimSpace(part)), "-of-")
		if !ok {
			t, n, ok = strings.Cut(strings.ToLower(strings.TrimSpace(part)), "of")
		}
		ti, err1 := strconv.Atoi(t)
		ni, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil {
			return bad(fmt.Sprintf("%q is not T-of-N, like 2-of-3", part))
		}
		switch {
		case ni < 1 || ni > 16:
			return bad(fmt.Sprintf("%q: a group has 1 to 16 shares", part))
		case ti < 1 || ti > ni:
			return bad(fmt.Sprintf("%q: the threshold must be 1 to %d", part, ni))
		case ti == 1 && ni > 1:
			return bad(fmt.Sprintf("%q: with a threshold of 1 every share would be the same secret; use 1-of-1 and copy it, or a threshold of 2 or more", part))
		}
		s.groups = append(s.groups, slip39.Group{Threshold: ti, Count: ni})
	}
	if len(s.groups) > 16 {
		return bad("a backup has at most 16 groups")
	}
	s.groupThreshold = groupThreshold
	switch {
	case groupThreshold == 0 && len(s.groups) == 1:
		s.groupThreshold = 1
	case groupThreshold == 0:
		return bad(fmt.Sprintf("%d groups: say how many of them restore the wallet with --group-threshold", len(s.groups)))
	case groupThreshold < 1 || groupThreshold > len(s.groups):
		return bad(fmt.Sprintf("--group-threshold %d: must be 1 to %d", groupThreshold, len(s.groups)))
	}
	return s, nil
}

// describe says in words what restores the wallet.
func (s shamirScheme) describe() string {
	if len(s.groups) == 1 {
		g := s.groups[0]
		return fmt.Sprintf("any %d of the %d shares restore the wallet", g.Threshold, g.Count)
	}
	var parts []string
	for i, g := range s.groups {
		parts = append(parts, fmt.Sprintf("group %d: %d of %d", i+1, g.Threshold, g.Count))
	}
	return fmt.Sprintf("shares from any %d of the %d groups restore the wallet (%s)", s.groupThreshold, len(s.groups), strings.Join(parts, ", "))
}

// checkSLIP39Passphrase refuses what SLIP-39 cannot encode, before anything is written.
func checkSLIP39Passphrase(p []byte) error {
	for _, b := range p {
		if b < 32 || b > 126 {
			return usagef("bad_passphrase", "a SLIP-39 passphrase must be printable ASCII (letters, digits, punctuation, spaces)")
		}
	}
	return nil
}

type shamirGroupJSON struct {
	Threshold int `json:"threshold"`
	Count     int `json:"count"`
}

// shamirCreateJSON is what create --shamir --json prints: the usual wallet fields, no mnemonic,
// and the shares by group.
type shamirCreateJSON struct {
	walletJSON
	Shares            [][]string        `json:"shares"`
	GroupThreshold    int               `json:"group_threshold"`
	Groups            []shamirGroupJSON `json:"groups"`
	SecretBits        int               `json:"secret_bits"`
	IterationExponent int               `json:"iteration_exponent"`
	Extendable        bool              `json:"extendable"`
}

// createShamir is create --shamir: a SLIP-39 backup whose master secret is the BIP32 seed, as
// Trezor makes them.
func (a *App) createShamir(cmd *cobra.Command, o shamirOptions) error {
	f := cmd.Flags()
	scheme, err := parseShamirSpec(o.spec, o.groupThreshold)
	if err != nil {
		return err
	}
	words, _ := f.GetInt("words")
	bits := 128
	switch {
	case f.Changed("strength") && o.strength != 128 && o.strength != 256:
		return usagef("bad_strength", "--strength must be 128 or 256")
	case f.Changed("strength") && f.Changed("words") && (o.strength == 256) != (words == 24):
		return usagef("bad_strength", "--strength and --words disagree: give one of them")
	case f.Changed("strength"):
		bits = o.strength
	case words == 24:
		bits = 256
	case words != 12:
		return usagef("bad_words", "--words must be 12 or 24")
	}
	typ, _ := f.GetString("type")
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
	pass, err := a.passphrase(true)
	if err != nil {
		return err
	}
	defer wipe(pass)
	a.warnShortPassphrase(pass)
	ask, _ := f.GetBool("bip39-passphrase")
	sp, err := a.bip39Passphrase(ask, true)
	if err != nil {
		return err
	}
	defer wipe(sp)
	if err := checkSLIP39Passphrase(sp); err != nil {
		return err
	}
	secret := make([]byte, bits/8)
	defer wipe(secret)
	if _, err := io.ReadFull(a.Entropy, secret); err != nil {
		return fmt.Errorf("read random master secret: %w", err)
	}
	shares, err := slip39.Split(secret, sp, scheme.groupThreshold, scheme.groups, shamirIterationExponent, !o.noExtendable, a.Entropy)
	if err != nil {
		return err
	}
	interactive := !a.flags.json && a.canPrompt()
	if interactive {
		if err := a.showShares(shares, scheme); err != nil {
			return err
		}
	}
	done := a.encrypting()
	res, err := wallet.Create(cmd.Context(), wallet.CreateOptions{
		Dir: dir, Network: a.flags.network, Type: st, Seed: secret,
		BIP39Passphrase: sp, Passphrase: pass, Keystore: a.Keystore, Now: a.Now(),
	})
	done()
	if err != nil {
		return err
	}
	out := a.walletOut(res)
	if a.flags.json {
		j := shamirCreateJSON{walletJSON: out, Shares: shares, GroupThreshold: scheme.groupThreshold,
			SecretBits: bits, IterationExponent: shamirIterationExponent, Extendable: !o.noExtendable}
		for _, g := range scheme.groups {
			j.Groups = append(j.Groups, shamirGroupJSON{Threshold: g.Threshold, Count: g.Count})
		}
		return a.printJSON(j)
	}
	if !interactive {
		fmt.Fprintf(a.Out, "SLIP-39 shares: %s. Write each down and keep them in different places:\n", scheme.describe())
		for gi, g := range shares {
			for mi, m := range g {
				fmt.Fprintf(a.Out, "%s\n", shareTitle(scheme, gi, mi))
				printShareWords(a.Out, m)
			}
		}
	}
	a.printWalletText("Created", dir, out)
	fmt.Fprintln(a.Out, "Check your written shares at any time with: satchel seed verify --shamir")
	return nil
}

func shareTitle(s shamirScheme, gi, mi int) string {
	if len(s.groups) == 1 {
		return fmt.Sprintf("Share %d of %d:", mi+1, s.groups[0].Count)
	}
	return fmt.Sprintf("Group %d of %d, share %d of %d:", gi+1, len(s.groups), mi+1, s.groups[gi].Count)
}

// printShareWords writes a share's words numbered, four to a line.
func printShareWords(w io.Writer, share string) {
	writeWordGrid(w, strings.Fields(share))
}

// showShares shows the shares one at a time on the terminal, clearing the screen (and its
// scrollback) between them so that no two shares are ever on screen together, and asks two
// words of each back. After three failed rounds it offers to show that share again, as create
// does for seed words: a miscopied word is better fixed than a whole backup written again.
func (a *App) showShares(shares [][]string, s shamirScheme) error {
	fmt.Fprintf(a.Err, "%sYour wallet is backed up as SLIP-39 shares: %s.\n", clearScreen, s.describe())
	fmt.Fprintln(a.Err, "You will see each share on its own. Write each one down in order and keep them in different")
	fmt.Fprintln(a.Err, "places: anyone who gets enough of them can take your money, and with too few you cannot restore.")
	if _, err := a.ReadLine("Press Enter to see the first share. "); err != nil {
		return err
	}
	for gi, g := range shares {
		for mi, m := range g {
			title := strings.TrimSuffix(shareTitle(s, gi, mi), ":")
			for {
				fmt.Fprint(a.Err, clearScreen)
				fmt.Fprintln(a.Err, shareTitle(s, gi, mi))
				printShareWords(a.Err, m)
				if _, err := a.ReadLine("Press Enter when you have written this share down. "); err != nil {
					return err
				}
				// Two words of the share, asked back with the share off the screen: a share
				// copied wrong is found now, not at restore time.
				fmt.Fprint(a.Err, clearScreen)
				if a.wordsBack(strings.Fields(m), 2, title+", word", "copy of this share") {
					break
				}
				ans, err := a.ReadLine("Show this share again to correct your copy? [y/N] ")
				if err != nil {
					return err
				}
				if ans := strings.ToLower(strings.TrimSpace(ans)); ans != "y" && ans != "yes" {
					return usagef("backup_check_failed", fmt.Sprintf(
						"the words you typed did not match %s three times; nothing was written: run create again", strings.ToLower(title[:1])+title[1:]))
				}
			}
		}
	}
	fmt.Fprint(a.Err, clearScreen)
	return nil
}

// readShares gathers shares into set until it can recover the secret: from a file or stdin, one
// share per line, all of them read (so a share from another backup anywhere in the input is
// caught), or from no-echo prompts on a terminal until there are enough. From a file or stdin a
// share that cannot be used stops everything (exit 2, naming it); at a prompt it is explained
// and another is asked for.
func (a *App) readShares(file string, set *wallet.ShareSet) error {
	if file == "" && a.InTerm && a.ReadSecret != nil {
		return a.promptShares(set)
	}
	var r io.Reader
	switch {
	case file != "":
		fh, err := openInput("bad_shares_file", "--mnemonic-file", file)
		if err != nil {
			return err
		}
		defer fh.Close()
		r = fh
	case !a.InTerm:
		r = a.In
	default:
		return usagef("shares_needed", "no shares: give --mnemonic-file FILE or pipe them on stdin, one per line")
	}
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	sc.Buffer(make([]byte, 4096), 4096)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		added, err := set.Add(text)
		if err != nil {
			return fmt.Errorf("%w (line %d)%s", err, line, shareHint(err))
		}
		a.noteShare(added, set, line)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return usagef("bad_share", fmt.Sprintf("line %d is longer than a share can be", line+1))
		}
		if r == a.In {
			return stdinError("bad_shares_file", err)
		}
		return fmt.Errorf("read shares: %w", err)
	}
	if set.Complete() {
		return nil
	}
	return set.NotEnough()
}

// noteShare warns about a share that was read but not used.
func (a *App) noteShare(added wallet.ShareAdded, set *wallet.ShareSet, line int) {
	switch {
	case added.Repeat:
		a.warn("repeated_share", fmt.Sprintf("share %d (line %d) was given before; it is used once", set.Given(), line))
	case added.Unneeded:
		a.warn("unneeded_share", fmt.Sprintf("share %d (line %d) is not needed: group %d already has its %d shares",
			set.Given(), line, added.Group, added.MemberThreshold))
	}
}

func (a *App) promptShares(set *wallet.ShareSet) error {
	fmt.Fprintln(a.Err, "Type your SLIP-39 shares one at a time (input is hidden; four letters of each word are enough).")
	for !set.Complete() {
		prompt := "Share (hidden): "
		if n, more := set.Needed(); set.Given() > 0 && !more {
			prompt = fmt.Sprintf("Share (hidden; %d more needed): ", n)
		}
		raw, err := a.ReadSecret(prompt)
		if err != nil {
			return err
		}
		text := strings.TrimSpace(string(raw))
		wipe(raw)
		if text == "" {
			return set.NotEnough()
		}
		added, err := set.Add(text)
		for {
			// A word not in the list is asked for again on its own, as restore does for seed
			// words: twenty words typed again for one slip is how more slips happen.
			var we *slip39.WordError
			fields := strings.Fields(text)
			// (Only for a share of a share's length: a line of anything else is not one.)
			if !errors.As(err, &we) || we.Position < 1 || we.Position > len(fields) || len(fields) < 20 {
				break
			}
			hint := ""
			if s := slip39Suggestions(we.Word); len(s) > 0 {
				hint = "; did you mean " + strings.Join(s, " or ") + "?"
			}
			fmt.Fprintf(a.Err, "Word #%d of that share is not a SLIP-39 word%s\n", we.Position, hint)
			again, rerr := a.ReadSecret(fmt.Sprintf("Word #%d (hidden, Enter to type the whole share again): ", we.Position))
			if rerr != nil {
				return rerr
			}
			w := strings.TrimSpace(string(again))
			wipe(again)
			if w == "" || strings.ContainsAny(w, " \t") {
				break
			}
			fields[we.Position-1] = w
			text = strings.Join(fields, " ")
			added, err = set.Add(text)
		}
		switch {
		case err != nil:
			fmt.Fprintf(a.Err, "That share was not used: %s\n", oneLine(err.Error()))
		case added.Repeat:
			fmt.Fprintln(a.Err, "You gave that share already.")
		case added.Unneeded:
			fmt.Fprintf(a.Err, "Group %d already has enough shares; that one is not needed.\n", added.Group)
		default:
			fmt.Fprintf(a.Err, "Share %d of group %d accepted. %s.\n", added.Member, added.Group, upperFirst(set.Progress()))
		}
	}
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// restoreShamir is restore --shamir: collect shares, combine them with the SLIP-39 passphrase,
// and make a wallet whose BIP32 seed is the master secret.
func (a *App) restoreShamir(cmd *cobra.Command, file string) error {
	f := cmd.Flags()
	typ, _ := f.GetString("type")
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
	var set wallet.ShareSet
	if err := a.readShares(file, &set); err != nil {
		return err
	}
	pass, err := a.passphrase(true)
	if err != nil {
		return err
	}
	defer wipe(pass)
	a.warnShortPassphrase(pass)
	ask, _ := f.GetBool("bip39-passphrase")
	sp, err := a.bip39Passphrase(ask, false)
	if err != nil {
		return err
	}
	defer wipe(sp)
	if err := checkSLIP39Passphrase(sp); err != nil {
		return err
	}
	secret, err := set.Recover(sp)
	if err != nil {
		return err
	}
	defer wipe(secret)
	done := a.encrypting()
	res, err := wallet.Create(cmd.Context(), wallet.CreateOptions{
		Dir: dir, Network: a.flags.network, Type: st, Seed: secret,
		BIP39Passphrase: sp, Passphrase: pass, Restored: true, Keystore: a.Keystore, Now: a.Now(),
	})
	done()
	if err != nil {
		return err
	}
	out := a.walletOut(res)
	if a.flags.json {
		return a.printJSON(out)
	}
	a.printWalletText("Restored", dir, out)
	fmt.Fprintln(a.Out, "The next sync also looks for funds on the seed's other standard paths.")
	if len(sp) == 0 {
		fmt.Fprintln(a.Out, "No SLIP-39 passphrase was given: if your shares were made with one, this is another wallet.")
	}
	return nil
}

// verifyShamir is seed verify --shamir: combine written shares with the wallet's SLIP-39
// passphrase and compare the secret with the keystore's. The shares themselves are not stored
// (a new split would give other shares), so this is how a Shamir backup is checked.
func (a *App) verifyShamir(file string) error {
	w, err := a.openWallet(true)
	if err != nil {
		return err
	}
	if err := needsSeed(w, "seed verify"); err != nil {
		w.Close()
		return err
	}
	w.Close()
	var set wallet.ShareSet
	if err := a.readShares(file, &set); err != nil {
		return err
	}
	sec, pass, err := a.unlockSecret(w)
	if err != nil {
		return err
	}
	defer wipe(pass)
	defer sec.Wipe()
	if sec.Kind != wallet.SecretSeed {
		return usagef("not_shamir", "this wallet's backup is BIP39 seed words, not SLIP-39 shares: run satchel seed verify without --shamir")
	}
	secret, err := set.Recover(sec.BIP39Passphrase)
	if err != nil {
		return err
	}
	defer wipe(secret)
	ok := subtle.ConstantTimeCompare(secret, sec.Seed) == 1
	return a.reportBackupMatch(ok)
}

// reportBackupMatch prints the result of a backup check and fails with exit 1 on a mismatch.
func (a *App) reportBackupMatch(ok bool) error {
	if a.flags.json {
		if err := a.printJSON(map[string]bool{"match": ok}); err != nil {
			return err
		}
	} else if ok {
		fmt.Fprintln(a.Out, "The backup matches this wallet's seed.")
	}
	if !ok {
		return &codedError{exit: exitError, code: "backup_mismatch", err: fmt.Errorf("the backup does not match this wallet's seed")}
	}
	return nil
}

// errShamirSeed is seed show's answer for a wallet made from SLIP-39 shares.
var errShamirSeed = &codedError{exit: exitUsage, code: "no_seed_words", err: errors.New("this wallet was made from a " +
	"SLIP-39 Shamir backup, so it has no seed words to show; its shares are not stored (satchel keeps only the master " +
	"secret, and splitting it again would give different shares). Check your written shares with: satchel seed verify --shamir")}

// shareHint says what to do about a share that does not read: a word to correct (with the
// likely ones), a share cut or run into another, or a word wrong or out of place.
func shareHint(err error) string {
	var we *slip39.WordError
	switch {
	case errors.As(err, &we):
		if s := slip39Suggestions(we.Word); len(s) > 0 {
			return ": did you mean " + strings.Join(s, " or ") + "?"
		}
		return ": check its spelling on the written share"
	case errors.Is(err, slip39.ErrSeedWords):
		return ": leave out --shamir"
	case errors.Is(err, slip39.ErrShareLength):
		return ": give each share whole, one share a line"
	case errors.Is(err, slip39.ErrBadChecksum):
		return ": compare each word, in order, with the written share"
	}
	return ""
}
