package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// The table the root's help and the one-command trees are built from says what the whole tree
// has: every top-level command, with its one-line help, hidden or not, and nothing else.
func TestTopCommandsAreTheTree(t *testing.T) {
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	var built []string
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		built = append(built, c.Name())
		i := slices.IndexFunc(topCommands[:], func(tc topCommand) bool { return tc.name == c.Name() })
		if i < 0 {
			t.Errorf("%s is in the tree but not in topCommands", c.Name())
			continue
		}
		if tc := topCommands[i]; tc.short != c.Short || tc.hidden != c.Hidden {
			t.Errorf("topCommands has %s as %q (hidden %v), the command says %q (hidden %v)", tc.name, tc.short, tc.hidden, c.Short, c.Hidden)
		}
	}
	if len(built) != len(topCommands) {
		t.Errorf("the tree has %d top-level commands, topCommands %d", len(built), len(topCommands))
	}
}

// treeRun executes one command line on a tree and returns what it printed and its error.
func treeRun(root *cobra.Command, args []string) string {
	var out, errb bytes.Buffer
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.Execute()
	msg := "<nil>"
	if err != nil {
		msg = err.Error()
	}
	return "stdout:\n" + out.String() + "\nstderr:\n" + errb.String() + "\nerror: " + msg
}

// sameAsWholeTree checks that a command line gets from the tree newRootCmdFor builds for it
// exactly what it gets from the whole tree.
func sameAsWholeTree(t *testing.T, args []string) {
	t.Helper()
	app := func() *App {
		return &App{Getenv: func(string) string { return "" }, Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
	}
	whole := treeRun(newRootCmd(app()), args)
	part := treeRun(newRootCmdFor(app(), args), args)
	if whole != part {
		t.Errorf("satchel %q: the tree built for it answers\n%s\nthe whole tree\n%s", args, part, whole)
	}
}

// The root's help, made from stubs, is the whole tree's, byte for byte.
func TestRootHelpFromStubsIsTheWholeTreesHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {}} {
		if need := treeFor(args, persistentFlags{newRootCmd(&App{})}); !need.listing {
			t.Fatalf("%q: want the listing stubs", args)
		}
		sameAsWholeTree(t, args)
	}
}

// Every command and subcommand, built alone, helps and refuses bad arguments as it does in the
// whole tree.
func TestEachCommandAloneAnswersAsInTheWholeTree(t *testing.T) {
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if len(path) > 0 {
			paths = append(paths, path)
		}
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub, append(slices.Clone(path), sub.Name()))
		}
	}
	walk(root, nil)
	if len(paths) < len(topCommands) {
		t.Fatalf("only %d command paths", len(paths))
	}
	for _, p := range paths {
		sameAsWholeTree(t, append(slices.Clone(p), "--help"))
		sameAsWholeTree(t, append([]string{"--offline", "--datadir", "/nonexistent"}, append(slices.Clone(p), "--no-such-flag")...))
	}
	tmp := t.TempDir()
	sameAsWholeTree(t, []string{"--datadir", tmp, "tip", "lsit"})
	sameAsWholeTree(t, []string{"--datadir", tmp, "--offline", "balance", "extra"})
}

func TestTreeFor(t *testing.T) {
	flags := persistentFlags{newRootCmd(&App{})}
	for _, tc := range []struct {
		args    []string
		only    string // "" for the whole tree
		listing bool
	}{
		{args: []string{}, listing: true},
		{args: []string{"--help"}, listing: true},
		{args: []string{"-h"}, listing: true},
		{args: []string{"help"}, listing: true},
		{args: []string{"balance", "--offline"}, only: "balance"},
		{args: []string{"--offline", "balance"}, only: "balance"},
		{args: []string{"--datadir", "/x", "--network", "regtest", "balance"}, only: "balance"},
		{args: []string{"--wallet", "balance", "history"}, only: "history"},
		{args: []string{"--wallet=balance", "history"}, only: "history"},
		{args: []string{"--json=false", "tip", "list"}, only: "tip"},
		{args: []string{"--gap-limit", "5", "sync"}, only: "sync"},
		{args: []string{"--wallet"}},
		{args: []string{"--version"}},
		{args: []string{"-v"}},
		{args: []string{"--bogus", "balance"}},
		{args: []string{"--", "balance"}},
		{args: []string{"-", "balance"}},
		{args: []string{"-h", "balance"}},
		{args: []string{"help", "balance"}},
		{args: []string{"completion", "bash"}},
		{args: []string{"__complete", "bal"}},
		{args: []string{"gen-man", "/tmp/x"}},
		{args: []string{"balanc"}},
		{args: []string{"--json"}},
	} {
		need := treeFor(tc.args, flags)
		got := ""
		if need.only != nil {
			got = need.only.name
		}
		if got != tc.only || need.listing != tc.listing {
			t.Errorf("treeFor(%q) = only %q listing %v, want only %q listing %v", tc.args, got, need.listing, tc.only, tc.listing)
		}
	}
}

// treeFor never panics, and names a command only when every word before it is a root flag
// it knows or such a flag's value.
func FuzzTreeFor(f *testing.F) {
	f.Add("--wallet\x00balance\x00history")
	f.Add("--datadir=/x\x00balance\x00--offline")
	f.Add("--\x00balance")
	f.Add("-h")
	flags := persistentFlags{newRootCmd(&App{})}
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		need := treeFor(args, flags)
		if need.only == nil {
			return
		}
		i := slices.Index(args, need.only.name)
		if i < 0 {
			t.Fatalf("%q: names %s, which is not among the words", args, need.only.name)
		}
		for j := 0; j < i; j++ {
			name, _, hasValue := strings.Cut(strings.TrimPrefix(args[j], "--"), "=")
			takes, known := flags.takesValue(name)
			if !strings.HasPrefix(args[j], "--") || !known {
				t.Fatalf("%q: names %s after %q, which is no root flag", args, need.only.name, args[j])
			}
			if takes && !hasValue {
				j++
			}
		}
	})
}
