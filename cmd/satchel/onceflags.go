package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// onceValue is a single-valued flag that refuses a second, different value. pflag keeps the
// last of "--fee-rate 2 --fee-rate 30" without a word, so a script that appends a flag to a
// line that already has it pays what the later one says; the person meant one of them and
// must say which. The same value twice (--yes --yes) is harmless and taken.
type onceValue struct {
	pflag.Value
	given bool
	first string
}

// Set refuses a second value that differs from the first.
func (o *onceValue) Set(s string) error {
	if o.given && s != o.first {
		return fmt.Errorf("already given as %q: give the flag once", clipArg(o.first))
	}
	if err := o.Value.Set(s); err != nil {
		return err
	}
	o.given, o.first = true, s
	return nil
}

// onceFlags wraps every single-valued flag of c and its subcommands in onceValue. Repeatable
// flags (--to, --from: slices and arrays) and counters keep pflag's own behaviour.
func onceFlags(c *cobra.Command) {
	wrap := func(f *pflag.Flag) {
		if _, done := f.Value.(*onceValue); done {
			return
		}
		t := f.Value.Type()
		if strings.Contains(t, "Slice") || strings.Contains(t, "Array") || strings.Contains(t, "stringTo") || t == "count" {
			return
		}
		if _, many := f.Value.(pflag.SliceValue); many {
			return
		}
		f.Value = &onceValue{Value: f.Value}
	}
	// Before cobra parses, c.Flags() holds the flags c defines itself and c.PersistentFlags()
	// those it hands down; the parent's come in later as the same *pflag.Flag, already wrapped.
	// (LocalNonPersistentFlags would merge and copy flag sets on every command: 0.5 ms a start.)
	c.PersistentFlags().VisitAll(wrap)
	c.Flags().VisitAll(wrap)
	for _, sub := range c.Commands() {
		onceFlags(sub)
	}
}
