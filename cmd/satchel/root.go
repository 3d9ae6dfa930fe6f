package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// run executes one satchel command line and returns its exit code.
func run(a *App, args []string) int {
	root := newRootCmdFor(a, args)
	root.SetArgs(args)
	root.SetIn(a.In)
	root.SetOut(a.Out)
	root.SetErr(a.Err)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	if isCobraUsage(err) {
		err = usageForPeople(cmd, err)
	}
	err = a.busyMessage(err)
	err = humanError(err)
	err = a.inUnit(err)
	code, name := classify(err)
	msg := oneLine(err.Error())
	// An error quoting a huge argument stays readable: a message is one line of sane length.
	if r := []rune(msg); len(r) > 2000 {
		msg = string(r[:2000]) + "... (cut)"
	}
	if !a.flags.json {
		// Cobra fails before parsing flags when the command itself is unknown.
		for _, arg := range args {
			if arg == "--json" || arg == "--json=true" || arg == "--jq" || strings.HasPrefix(arg, "--jq=") {
				a.flags.json = true
			}
		}
	}
	if a.flags.json {
		b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": name, "message": msg}})
		fmt.Fprintln(a.Err, string(b))
	} else {
		fmt.Fprintln(a.Err, "satchel: "+msg)
	}
	return code
}

// plainASCII says whether s is printable ASCII only, the common case printable answers
// without decoding runes (it is called for every cell of a 100,000-row history).
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// oneLine keeps an error on one line, as scripts read stderr line by line.
func oneLine(s string) string {
	return printable(strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " "))
}

// printable shows control characters (a terminal escape sequence in a label or a file name,
// a stray NUL) as \xNN, and invisible or text-reordering ones (clip.Hides) as \uNNNN, so that
// nothing satchel prints can drive the terminal or disguise what stands beside it.
func printable(s string) string {
	if plainASCII(s) || !strings.ContainsFunc(s, clip.Hides) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r <= 0xff && unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		if clip.Hides(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCobraUsage recognises cobra's own argument and flag errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least",
		"requires at most", "invalid argument", "flag needs an argument", "bad flag syntax", "required flag"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// newRootCmd builds the whole command tree: every command with its flags.
func newRootCmd(a *App) *cobra.Command { return newRootCmdFor(a, nil) }

// newRootCmdFor builds the root with what args need of the tree (see treeFor): the one command
// they name, stubs for the root's help, or, for anything else, every command. args nil means
// every command.
func newRootCmdFor(a *App, args []string) *cobra.Command {
	root := &cobra.Command{
		Use:   "satchel",
		Short: "A command-line Bitcoin wallet for tips and small payments",
		Long: `satchel is a Bitcoin HD wallet for everyday small payments from a terminal:
tips and dust-sized sends, with honest fees, scriptable JSON output and an encrypted seed.

` + exitStatusHelp,
		Example:       "  satchel create\n  satchel receive --qr\n  satchel send bc1p... 2100",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.resolveGlobals(cmd)
		},
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	// --version prints the same line as satchel version (cobra adds the flag when Version is set).
	// The build info is read only when asked for, not on every start.
	root.Version = "see satchel version"
	root.SetVersionTemplate("{{satchelVersion .}}\n")
	f := root.PersistentFlags()
	f.StringVar(&a.flags.datadir, "datadir", "", "data folder (default $SATCHEL_HOME, else $XDG_DATA_HOME/satchel, else ~/.local/share/satchel)")
	f.StringVar(&a.flags.network, "network", "", "mainnet, testnet, testnet4, signet or regtest (env SATCHEL_NETWORK; default mainnet)")
	f.StringVar(&a.flags.wallet, "wallet", "", "wallet name (env SATCHEL_WALLET; default \"default\")")
	f.BoolVar(&a.flags.json, "json", false, "print machine-readable JSON on stdout; errors as JSON on stderr")
	f.StringVar(&a.flags.passphraseFile, "passphrase-file", "", "read the wallet passphrase from the first line of FILE")
	f.BoolVar(&a.flags.yes, "yes", false, "answer yes to confirmations (needed without a terminal)")
	f.BoolVar(&a.flags.offline, "offline", false, "answer from local state; never touch the network")
	f.StringVar(&a.flags.backend, "backend", "", "chain backend URL, e.g. btcd://user:pass@127.0.0.1:18334 (env SATCHEL_BACKEND)")
	f.StringVar(&a.flags.proxy, "proxy", "", "SOCKS5 proxy for Esplora and Electrum backends, e.g. socks5://127.0.0.1:9050 for Tor (env SATCHEL_PROXY)")
	f.StringVar(&a.flags.spServer, "sp-server", "", "BIP352 tweak server (BlindBit Oracle) for silent payments over Esplora or Electrum (env SATCHEL_SP_SERVER)")
	f.IntVar(&a.flags.gapLimit, "gap-limit", 0, "unused addresses in a row that end the search for used ones (default 20)")
	f.StringVar(&a.flags.unit, "unit", "", "show amounts in sat or btc (env SATCHEL_UNIT, config unit; default sat); --json is always in sat")
	f.BoolVar(&a.flags.utc, "utc", false, "show times in UTC instead of local time")
	f.StringVar(&a.flags.jq, "jq", "", "filter the JSON output with a jq expression (implies --json; strings print raw)")

	need := treeNeed{}
	if args != nil {
		need = treeFor(args, persistentFlags{root})
	}
	for i := range topCommands {
		tc := &topCommands[i]
		switch {
		case need.listing:
			root.AddCommand(listingStub(tc))
			continue
		case need.only != nil && need.only != tc:
			continue
		}
		c := tc.build(a)
		c.Long = strings.TrimSpace(c.Long) + "\n\n" + exitStatusHelp
		root.AddCommand(c)
	}
	a.installCompletions(root)
	refuseUnknownSubcommands(root)
	strictHelp(root)
	onceFlags(root)
	return root
}

// strictHelp makes "satchel help TOPIC" for a command that does not exist fail with exit 2,
// as "satchel TOPIC" does: cobra prints "Unknown help topic" and the root's usage, exit 0.
func strictHelp(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, h := range root.Commands() {
		if h.Name() != "help" || h.Run == nil {
			continue
		}
		show := h.Run
		h.Run = nil
		h.RunE = func(c *cobra.Command, args []string) error {
			if target, rest, err := c.Root().Find(args); err != nil || target == nil || len(rest) > 0 {
				return usagef("usage", fmt.Sprintf("there is no help topic %q: see satchel --help for the commands", strings.Join(args, " ")))
			}
			show(c, args)
			return nil
		}
	}
}

// refuseUnknownSubcommands makes a group command (tip, psbt, config...) given a word that is
// none of its subcommands fail with exit 2, as an unknown top-level command does: cobra would
// print the group's help and exit 0, so a typo in a cron line would look like success.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if c.Parent() == nil || !c.HasSubCommands() || c.Run != nil || c.RunE != nil {
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("usage", fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath()))
		}
		// Under --json stdout is a JSON document or nothing: no help text there.
		if j, _ := cmd.Flags().GetBool("json"); j || cmd.Flags().Changed("jq") {
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return usagef("usage", fmt.Sprintf("%s needs a subcommand: %s (see --help)", cmd.CommandPath(), strings.Join(names, ", ")))
		}
		return cmd.Help()
	}
}

// resolveGlobals fills the global settings the user gave no flag for, from the environment
// and the config files (see config.go), and checks them.
func (a *App) resolveGlobals(cmd *cobra.Command) error {
	if cmd.Name() == cobra.ShellCompRequestCmd || cmd.Name() == cobra.ShellCompNoDescRequestCmd {
		return nil // completions resolve what they need themselves, quietly (completion.go)
	}
	// A flag given with no value is a mistake (an unset variable in a script), not a request
	// for the default: --fee-rate "" must not quietly become the backend's estimate.
	if name := emptyFlag(cmd); name != "" {
		return usagef("bad_flag", fmt.Sprintf("--%s was given an empty value: give a value, or leave the flag out", name))
	}
	if f := cmd.Flags().Lookup("gap-limit"); f != nil && f.Changed && a.flags.gapLimit <= 0 {
		return usagef("bad_flag", "--gap-limit must be at least 1")
	}
	// The config commands must work to repair a config file that does not parse.
	for p := cmd; p != nil; p = p.Parent() {
		if p.Name() == "config" && p.Parent() != nil && p.Parent().Parent() == nil {
			a.lenientConfig = true
		}
	}
	// A variable with a bad value stops every command, as the same value in a config file
	// does, named in the words config set uses (SATCHEL_FIAT "XYZ": is not a currency code...):
	// read only where it is used, a typo such as SATCHEL_FIAT=XYZ went unnoticed (no fiat
	// shown, and no word why). The config commands still run, to show and change the files.
	settingsFree := readsNoSetting(cmd)
	if !a.lenientConfig && !settingsFree {
		for _, d := range settings {
			if v := a.Getenv(d.env); v != "" && (d.flag == "" || a.settingFlag(d.key) == "") {
				if _, _, err := a.lookupSetting("", d.key); err != nil {
					return err
				}
			}
		}
	}
	// Units are case-blind, as amounts are (2100SAT, 0.1BTC): --unit BTC is --unit btc.
	a.flags.unit = strings.ToLower(a.flags.unit)
	for _, key := range []string{"network", "wallet", "gap-limit", "unit"} {
		if settingsFree {
			break
		}
		v, _, err := a.lookupSetting("", key)
		if err != nil {
			return err
		}
		switch key {
		case "network":
			a.flags.network = v
		case "wallet":
			a.flags.wallet = v
		case "unit":
			a.flags.unit = strings.ToLower(v)
		}
	}
	// A passphrase file that cannot be read fails now, before a sync or a plan is made, not
	// after (the passphrase itself is read only when it is needed).
	if f := a.flags.passphraseFile; f != "" {
		if fi, err := os.Stat(f); err != nil {
			return inputFileError("bad_passphrase_file", "--passphrase-file", f, err)
		} else if fi.IsDir() {
			return usagef("bad_passphrase_file", fmt.Sprintf("--passphrase-file %s is a folder: give the file", f))
		} else if err := checkSecretFileMode("--passphrase-file", f, fi); err != nil {
			return err
		}
	}
	if a.flags.jq != "" {
		a.flags.json = true
		code, err := compileJQ(a.flags.jq)
		if err != nil {
			return err
		}
		a.flags.jqCode = code
	}
	return nil
}

// readsNoSetting says whether cmd works without the settings: version, help, completion
// scripts and man pages are what one reaches for when something is wrong, so a bad value in a
// config file or a variable must not stop them.
func readsNoSetting(cmd *cobra.Command) bool {
	for c := cmd; c != nil && c.Parent() != nil; c = c.Parent() {
		if c.Parent().Parent() == nil {
			switch c.Name() {
			case "version", "help", "completion", "gen-man":
				return true
			}
		}
	}
	return false
}

// humanError says in a person's words what a few errors from below mean; the exit code and
// JSON code stay those of the original (it is wrapped, not replaced).
func humanError(err error) error {
	// "bad input: " is the wallet's sentinel for a mistake in what was given; the exit code
	// and JSON code say that already, and a person reads the rest better without it.
	// Wrapped after a flag's name ("--every: bad input: ..."), it goes too.
	if msg := err.Error(); strings.Contains(msg, wallet.ErrBadInput.Error()+": ") {
		return &wrappedMessage{msg: inputWhy(err), err: err}
	}
	// A damaged file: say what gets the wallet back.
	if errors.Is(err, wallet.ErrKeystoreCorrupt) || errors.Is(err, wallet.ErrStoreDamaged) {
		return &wrappedMessage{msg: err.Error() + "; get the wallet back with satchel restore (from its seed words or a backup file) under a new --wallet name", err: err}
	}
	if msg, ok := unreachableInWords(err); ok {
		// A broadcast that got no answer may have gone out: that matters more than where
		// the backend is, and the words above would hide it.
		var unsure *wallet.BroadcastUnsureError
		if errors.As(err, &unsure) {
			msg += "; " + unsure.Note()
		}
		return &wrappedMessage{msg: msg, err: err}
	}
	// One the wallet found in a block already says which block, in its own words.
	var conf *wallet.AlreadyConfirmedError
	if errors.As(err, &conf) {
		return err
	}
	var be *chain.BroadcastError
	if errors.As(err, &be) && be.Cause == chain.CauseAlreadyInChain {
		// Nodes say "already in block chain" or "outputs already in utxo set" for a confirmed
		// one, "already have" or "already known" for one in their mempool.
		m := strings.ToLower(be.Message)
		what := "the backend already has this transaction (in its mempool or in a block)"
		if strings.Contains(m, "block chain") || strings.Contains(m, "blockchain") || strings.Contains(m, "utxo set") || strings.Contains(m, "in block") {
			what = "this transaction is already confirmed in a block"
		}
		return &wrappedMessage{msg: what + ": there is nothing to broadcast again (the backend said: " + be.Message + ")", err: err}
	}
	return err
}

// unreachableInWords says that no connection to the backend could be made, where and why in
// a few words, and what to check, instead of the chain of Go's dial errors.
func unreachableInWords(err error) (string, bool) {
	if _, _, ok := netutil.DialFailure(err); !ok {
		return "", false
	}
	return backendTrouble(err) + ": is it running and listening there? check --backend (or satchel config set backend)", true
}

// backendTrouble is a backend failure in a few words for a warning: where and why when no
// connection could be made, else the error on one line.
func backendTrouble(err error) string {
	addr, reason, ok := netutil.DialFailure(err)
	if !ok {
		return oneLine(err.Error())
	}
	at := ""
	if addr != "" {
		at = " at " + addr
	}
	return "cannot reach the backend" + at + " (" + reason + ")"
}

// inUnit writes the amounts of a not-enough-money error in the unit the person chose (--unit,
// SATCHEL_UNIT, config unit), as the rest of the text output is; JSON stays in satoshis.
func (a *App) inUnit(err error) error {
	var ins *txbuilder.InsufficientFundsError
	if a.flags.json || a.flags.unit != "btc" || !errors.As(err, &ins) {
		return err
	}
	was, now := ins.Error(), ins.Error()
	if ins.Available != 0 || ins.Needed != 0 {
		now = fmt.Sprintf("not enough money: %s spendable after the fee of spending each coin, %s needed with the fee",
			a.fmtAmount(int64(ins.Available)), a.fmtAmount(int64(ins.Needed)))
	}
	// Whatever context came before the sentence stays.
	msg := strings.Replace(err.Error(), was, now, 1)
	var nc *wallet.NotCountedError
	if errors.As(err, &nc) {
		msg = strings.Replace(msg, strings.TrimPrefix(nc.Error(), nc.Err.Error()+"; "), nc.Note(a.fmtAmount), 1)
	}
	return &wrappedMessage{msg: msg, err: err}
}

// wrappedMessage replaces an error's text and keeps it for errors.Is and errors.As.
type wrappedMessage struct {
	msg string
	err error
}

func (e *wrappedMessage) Error() string { return e.msg }
func (e *wrappedMessage) Unwrap() error { return e.err }
