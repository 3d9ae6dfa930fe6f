package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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
	if why, ok := argCountWhy(cmd, msg); ok {
		return usagef("usage", why)
	}
	if why, ok := noArgsWhy(cmd, msg); ok {
		return usagef("usage", why)
	}
	if why, ok := unknownSubcommandWhy(cmd, msg); ok {
		return usagef("usage", why)
	}
	return usagef("usage", msg+" (see --help)")
}

// argCountWhy rewords cobra's "accepts at most 2 arg(s), received 4": which command, how many
// arguments it takes, the usage line, and for send, where several payees go.
func argCountWhy(cmd *cobra.Command, msg string) (string, bool) {
	var want string
	var a, b, got int
	switch {
	case scan(msg, "accepts at most %d arg(s), received %d", &a, &got):
		want = "at most " + count(a, "argument", "arguments")
	case scan(msg, "accepts between %d and %d arg(s), received %d", &a, &b, &got):
		want = fmt.Sprintf("%d to %d arguments", a, b)
	case scan(msg, "requires at least %d arg(s), only received %d", &a, &got):
		want = "at least " + count(a, "argument", "arguments")
	case scan(msg, "accepts %d arg(s), received %d", &a, &got):
		want = count(a, "argument", "arguments")
	default:
		return "", false
	}
	if cmd == nil {
		return "", false
	}
	use := strings.TrimSuffix(cmd.UseLine(), " [flags]")
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	why := fmt.Sprintf("%s takes %s, got %d (usage: %s)", name, want, got, use)
	if name == "send" && got > a {
		why += "; to pay several payees, give --to ADDRESS=AMOUNT for each, or --batch FILE"
	}
	return why, true
}

// unknownSubcommandWhy rewords cobra's "unknown command "lis" for "satchel tip"" (with its
// suggestions on lines of their own) as one line naming the likely command and, below the root,
// the commands there are.
func unknownSubcommandWhy(cmd *cobra.Command, msg string) (string, bool) {
	if cmd == nil || !cmd.HasSubCommands() || !strings.HasPrefix(msg, "unknown command ") {
		return "", false
	}
	quoted, err := strconv.QuotedPrefix(strings.TrimPrefix(msg, "unknown command "))
	if err != nil {
		return "", false
	}
	arg, _ := strconv.Unquote(quoted)
	why := fmt.Sprintf("unknown command %s for %s", quoted, cmd.CommandPath())
	if s := cmd.SuggestionsFor(arg); len(s) > 0 {
		why += ": did you mean " + strings.Join(s, " or ") + "?"
	}
	if !cmd.HasParent() {
		return why + " (see satchel --help)", true
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" {
			names = append(names, c.Name())
		}
	}
	return fmt.Sprintf("%s (%s commands: %s)", why, cmd.CommandPath(), strings.Join(names, ", ")), true
}

// noArgsWhy rewords cobra's "unknown command "x" for "satchel history"" for a command that
// has no subcommands: the word is not a command, the command takes no arguments.
func noArgsWhy(cmd *cobra.Command, msg string) (string, bool) {
	if cmd == nil || cmd.HasSubCommands() || !strings.HasPrefix(msg, "unknown command ") {
		return "", false
	}
	arg, err := strconv.QuotedPrefix(strings.TrimPrefix(msg, "unknown command "))
	if err != nil {
		return "", false
	}
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	return fmt.Sprintf("%s takes no arguments, got %s (usage: %s)", name, arg, strings.TrimSuffix(cmd.UseLine(), " [flags]")), true
}

// scan is fmt.Sscanf that must read the whole of s with format.
func scan(s, format string, args ...any) bool {
	n, err := fmt.Sscanf(s, format, args...)
	return err == nil && n == len(args) && fmt.Sprintf(format, deref(args)...) == s
}

// deref gives the values behind scan's *int arguments, to print the format back.
func deref(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = *(a.(*int))
	}
	return out
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
