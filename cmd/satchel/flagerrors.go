package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/satchel-wallet/satchel/wallet/keys"
)

// usageForPeople turns cobra's and pflag's own parse errors into a person's words: a flag value
// that does not read ("strconv.ParseInt: parsing ..." is Go's, not the user's, vocabulary), and
// a negative number where an argument was expected, which the flag parser takes for a cluster
// of short flags ("unknown shorthand flag: '5' in -5"). cmd is the command cobra was running
// (nil when it found none). Anything else is a usage error as cobra words it, with a pointer
// to --help.
func usageForPeople(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if flag, value, cause, ok := splitInvalidFlagValue(msg); ok {
		return usagef("bad_flag", fmt.Sprintf("%s %q: %s", flag, clipArg(value), flagValueWhy(value, cause)))
	}
	if arg, ok := negativeNumberArg(msg); ok {
		path := ""
		if cmd != nil {
			path = cmd.CommandPath()
		}
		switch {
		case strings.HasSuffix(path, " config set"):
			return usagef("bad_config_value", fmt.Sprintf("%q: a setting is never negative (limits, counts and amounts are zero or more)", clipArg(arg)))
		case strings.HasSuffix(path, " send"), strings.HasSuffix(path, " tip add"), strings.HasSuffix(path, " tip schedule"):
			return usagef("bad_amount", fmt.Sprintf("%q is not an amount: amounts are positive (2100, 2100sat, 0.000021btc)", clipArg(arg)))
		}
		return usagef("usage", fmt.Sprintf("%q: a negative number is not an argument of this command (see --help)", clipArg(arg)))
	}
	if m, ok := argCountForPeople(cmd, msg); ok {
		if took, ok := flagTookAFlag(cmd); ok {
			return usagef("usage", took)
		}
		return usagef("usage", m)
	}
	if m, ok := flagForPeople(cmd, msg); ok {
		return usagef("usage", m)
	}
	return usagef("usage", msg+" (see --help)")
}

// flagForPeople words pflag's flag errors: a flag given no value, a flag the command does not
// have (with the nearest one it has), a short flag it does not have, and a dash too many.
func flagForPeople(cmd *cobra.Command, msg string) (string, bool) {
	if cmd == nil {
		return "", false
	}
	path := cmd.CommandPath()
	noFlag := strings.TrimPrefix(path, cmd.Root().Name()+" ") + " has no flag"
	if !cmd.HasParent() {
		noFlag = "there is no flag"
	}
	help := "see " + path + " --help"
	switch {
	case strings.HasPrefix(msg, "flag needs an argument: "):
		f := strings.TrimPrefix(msg, "flag needs an argument: ")
		if i := strings.LastIndex(f, " in "); i >= 0 { // "'x' in -x"
			f = f[i+len(" in "):]
		}
		return fmt.Sprintf("%s needs a value (%s)", f, help), true
	case strings.HasPrefix(msg, "unknown flag: "):
		f := strings.TrimPrefix(msg, "unknown flag: ")
		if near := nearestFlag(cmd, strings.TrimLeft(f, "-")); near != "" {
			return fmt.Sprintf("%s %s: did you mean --%s? (%s)", noFlag, f, near, help), true
		}
		return fmt.Sprintf("%s %s (%s)", noFlag, f, help), true
	case strings.HasPrefix(msg, "unknown shorthand flag: "):
		f := msg[strings.LastIndex(msg, " in ")+len(" in "):]
		if q := strings.TrimPrefix(msg, "unknown shorthand flag: "); len(q) >= 3 && q[0] == '\'' {
			f = "-" + q[1:strings.Index(q[1:], "'")+1]
		}
		return fmt.Sprintf("%s %s (long flags start with --; %s)", noFlag, f, help), true
	case strings.HasPrefix(msg, "bad flag syntax: "):
		f := strings.TrimPrefix(msg, "bad flag syntax: ")
		return fmt.Sprintf("%q is not a flag: write --name or --name=value (%s)", clipArg(f), help), true
	}
	return "", false
}

// nearestFlag is the flag of cmd (its own or inherited) closest to a mistyped name: one that
// starts with it, or within two edits of it; "" when none is that close.
func nearestFlag(cmd *cobra.Command, typed string) string {
	best, bestD := "", 3
	visit := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := keys.EditDistance(typed, f.Name)
		if strings.HasPrefix(f.Name, typed) && len(typed) >= 3 {
			d = 1
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	return best
}

// wordsAtPrompt are the commands that read seed words or SLIP-39 shares, at a prompt or on
// stdin: arguments given to them are likely the words themselves.
var wordsAtPrompt = map[string]bool{"restore": true, "seed verify": true}

// cobraArgCount reads cobra's argument-count errors: "accepts 2 arg(s), received 1",
// "requires at least 2 arg(s), only received 1", "accepts at most 1 arg(s), received 2",
// "accepts between 1 and 2 arg(s), received 3".
// It is compiled on first use: only a mistyped command line needs it, and compiling it at start
// cost every run of satchel about 0.2 ms (BENCHMARKS.md, "Start-up").
var cobraArgCount = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:accepts (\d+)|requires at least (\d+)|accepts at most (\d+)|accepts between (\d+) and (\d+)) arg\(s\), (?:only )?received (\d+)$`)
})

// mistypedSubcommand answers a command that takes arguments and has subcommands too (tip
// schedule DEST AMOUNT, tip schedule list), given one short word close to a subcommand's name:
// "tip schedule lst" is a typo of list, not an address to check for a typo. Anything that
// could be a payee (an address, a URI, a BIP353 name: long, or holding ':', '@' or '.') is
// left to the command.
func mistypedSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) != 1 || len(args[0]) > 12 || strings.ContainsAny(args[0], ":@.") {
		return nil
	}
	var sug []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" && (keys.EditDistance(strings.ToLower(args[0]), c.Name()) <= 2 || strings.HasPrefix(c.Name(), args[0])) {
			sug = append(sug, c.Name())
		}
	}
	if len(sug) == 0 {
		return nil
	}
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	return usagef("usage", fmt.Sprintf("%s has no command %q: did you mean %s? (see %s --help)", name, args[0], strings.Join(sug, " or "), cmd.CommandPath()))
}

// argCountForPeople says how many arguments a command takes, in words and with their shape
// from its usage line, instead of cobra's "accepts 2 arg(s), received 1". A command that takes
// none, to which cobra says "unknown command", says so too.
func argCountForPeople(cmd *cobra.Command, msg string) (string, bool) {
	if cmd == nil {
		return "", false
	}
	path := cmd.CommandPath()
	// The message follows "satchel: ", so the command is named without the root's name.
	name := strings.TrimPrefix(path, cmd.Root().Name()+" ")
	shape := ""
	if _, rest, ok := strings.Cut(cmd.Use, " "); ok {
		shape = " (" + rest + ")"
	}
	first, _, _ := strings.Cut(msg, "\n") // cobra may add "Did you mean this?" lines
	if arg, ok := strings.CutPrefix(first, "unknown command "); ok && strings.HasSuffix(arg, fmt.Sprintf(" for %q", path)) {
		arg = strings.TrimSuffix(arg, fmt.Sprintf(" for %q", path))
		if !cmd.HasSubCommands() {
			if wordsAtPrompt[name] {
				// Seed words or a share typed as arguments: not echoed into a log or a
				// JSON error (the first would be), and told where they go instead.
				return fmt.Sprintf("%s takes no arguments: seed words and shares are typed at its prompt or piped on stdin, "+
					"never put on the command line (the shell history keeps them: remove them there): see %s --help", name, path), true
			}
			return fmt.Sprintf("%s takes no arguments%s, and %s was given: see %s --help", name, shape, arg, path), true
		}
		none := name + " has no command " + arg
		if !cmd.HasParent() {
			none = "there is no command " + arg
		}
		if hint, ok := commandElsewhere[name+" "+strings.Trim(arg, `"`)]; ok {
			return fmt.Sprintf("%s: %s", none, hint), true
		}
		if sug := cmd.SuggestionsFor(strings.Trim(arg, `"`)); len(sug) > 0 {
			return fmt.Sprintf("%s: did you mean %s? (see %s --help)", none, strings.Join(sug, " or "), path), true
		}
		if !cmd.HasParent() {
			return fmt.Sprintf("%s: see %s --help", none, path), true
		}
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() && c.Name() != "help" {
				names = append(names, c.Name())
			}
		}
		return fmt.Sprintf("%s: use one of %s", none, strings.Join(names, ", ")), true
	}
	m := cobraArgCount().FindStringSubmatch(msg)
	if m == nil {
		return "", false
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	args := func(k int) string { return count(k, "argument", "arguments") }
	var want string
	switch {
	case m[1] != "":
		want = "needs " + args(n(m[1]))
	case m[2] != "":
		want = "needs at least " + args(n(m[2]))
	case m[3] != "":
		want = "takes at most " + args(n(m[3]))
	default:
		want = fmt.Sprintf("takes %d to %d arguments", n(m[4]), n(m[5]))
	}
	got := "none was given"
	if k := n(m[6]); k > 0 {
		got = fmt.Sprintf("%d %s given", k, map[bool]string{true: "was", false: "were"}[k == 1])
	}
	why := fmt.Sprintf("%s %s%s, and %s: see %s --help", name, want, shape, got, path)
	if name == "send" && m[3] != "" && n(m[6]) > n(m[3]) {
		why += "; to pay several payees, give --to ADDRESS=AMOUNT for each, or --batch FILE"
	}
	return why, true
}

// splitInvalidFlagValue reads pflag's `invalid argument "VALUE" for "--flag" flag: CAUSE`
// (the flag may be written "-f, --flag").
func splitInvalidFlagValue(msg string) (flag, value, cause string, ok bool) {
	const head = "invalid argument "
	if !strings.HasPrefix(msg, head) {
		return "", "", "", false
	}
	rest := msg[len(head):]
	quoted, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", "", false
	}
	value, err = strconv.Unquote(quoted)
	if err != nil {
		return "", "", "", false
	}
	rest = strings.TrimPrefix(rest[len(quoted):], " for ")
	quoted, err = strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", "", false
	}
	flag, err = strconv.Unquote(quoted)
	if err != nil {
		return "", "", "", false
	}
	if i := strings.LastIndex(flag, ", "); i >= 0 {
		flag = flag[i+2:]
	}
	cause, ok = strings.CutPrefix(rest[len(quoted):], " flag: ")
	return flag, value, cause, ok
}

// flagValueWhy says what a flag's value should have been, from the parse error's cause.
func flagValueWhy(value, cause string) string {
	switch {
	case strings.Contains(cause, "value out of range"):
		return "the number is too large"
	case strings.Contains(cause, "ParseUint") && strings.HasPrefix(strings.TrimSpace(value), "-"):
		return "it must not be negative"
	case strings.Contains(cause, "ParseInt"), strings.Contains(cause, "ParseUint"):
		return "give a whole number"
	case strings.Contains(cause, "ParseFloat"):
		return "give a number"
	case strings.Contains(cause, "ParseBool"):
		return "give true or false (or the flag alone)"
	case strings.HasPrefix(cause, "time: "):
		return "give a duration such as 30s, 10m or 2h"
	}
	return cause
}

// negativeNumberArg recognises pflag's "unknown shorthand flag: '5' in -5" for an argument
// that is a negative number (-5, -5sat, -0.1btc, -.5) and returns that argument.
func negativeNumberArg(msg string) (string, bool) {
	if !strings.HasPrefix(msg, "unknown shorthand flag: ") {
		return "", false
	}
	i := strings.LastIndex(msg, " in -")
	if i < 0 {
		return "", false
	}
	arg := msg[i+len(" in "):]
	if len(arg) < 2 || !(arg[1] >= '0' && arg[1] <= '9' || arg[1] == '.') {
		return "", false
	}
	return arg, true
}

// emptyFlag names the first text flag of cmd given an empty (or blank) value, or "".
func emptyFlag(cmd *cobra.Command) string {
	name := ""
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if name != "" || !f.Changed {
			return
		}
		switch f.Value.Type() {
		case "string":
			if strings.TrimSpace(f.Value.String()) == "" {
				name = f.Name
			}
		case "stringArray", "stringSlice":
			// GetStringArray goes through the flag's CSV text, where an empty item is lost.
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				for _, v := range sv.GetSlice() {
					if strings.TrimSpace(v) == "" {
						name = f.Name
					}
				}
			}
		}
	})
	return name
}

// commandElsewhere answers the subcommands people guess that live under another name.
var commandElsewhere = map[string]string{
	"backup import":  "to bring a backup back, use satchel restore --from-backup FILE",
	"backup restore": "to bring a backup back, use satchel restore --from-backup FILE",
	// export names what other wallets watch with; the rest lives under its own noun.
	"export labels": "labels are exported by satchel labels export [FILE] (BIP329)",
	"export backup": "a backup is written by satchel backup export FILE",
	"export seed":   "seed words are shown by satchel seed show",
	// Top-level guesses (cobra's nearest names would be wrong: "list" is not "dust").
	"satchel wallets": "each wallet is a folder of DATADIR/NETWORK (satchel info shows its folder); pick one with --wallet NAME, which the shell completion lists",
	"satchel wallet":  "each wallet is a folder of DATADIR/NETWORK (satchel info shows its folder); pick one with --wallet NAME, which the shell completion lists",
	"satchel list":    "payments are listed by satchel history, coins by satchel utxos, queued tips by satchel tip list",
	"satchel message": "use satchel sign-message or satchel verify-message",
	"satchel sign":    "a message is signed by satchel sign-message, a PSBT by satchel psbt sign",
	"satchel verify":  "satchel verify-message checks a message's signature, satchel seed verify your written seed words",
	"satchel man":     "satchel --help and satchel COMMAND --help show the manual; make install also installs man pages (man satchel-send)",
}

// flagTookAFlag finds a flag that needs a value and was given the next flag as it
// ("create --shamir --passphrase-file pp": --shamir took "--passphrase-file", and "pp" was left
// over as an argument): the argument count is then not the mistake to name.
func flagTookAFlag(cmd *cobra.Command) (string, bool) {
	if cmd == nil {
		return "", false
	}
	var msg string
	cmd.Flags().Visit(func(f *pflag.Flag) {
		v := f.Value.String()
		if msg != "" || f.Value.Type() != "string" || len(v) < 2 || v[0] != '-' {
			return
		}
		known := false
		if name, ok := strings.CutPrefix(v, "--"); ok {
			name, _, _ = strings.Cut(name, "=")
			known = cmd.Flags().Lookup(name) != nil
		} else if len(v) == 2 {
			known = cmd.Flags().ShorthandLookup(v[1:]) != nil
		}
		if known {
			msg = fmt.Sprintf("--%s needs a value, and took the flag %s as it: give --%s its value (see %s --help)", f.Name, v, f.Name, cmd.CommandPath())
		}
	})
	return msg, msg != ""
}
