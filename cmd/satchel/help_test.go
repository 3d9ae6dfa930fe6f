package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command a user can run has an example and the exit status table in its help.
func TestEveryCommandHasExampleAndExitStatus(t *testing.T) {
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub)
		}
		if c.Runnable() {
			n++
			if strings.TrimSpace(c.Example) == "" {
				t.Errorf("%s has no example", c.CommandPath())
			}
			if !strings.Contains(c.Long, "EXIT STATUS") {
				t.Errorf("%s help has no EXIT STATUS section", c.CommandPath())
			}
			if c.Short == "" || strings.Contains(c.Short, "\n") {
				t.Errorf("%s: short help must be one line", c.CommandPath())
			}
		}
	}
	walk(root)
	if n < 15 {
		t.Fatalf("only %d runnable commands found", n)
	}
}

func TestHelpListsCommandsOneLineEach(t *testing.T) {
	c := newCLI(t)
	r := c.mustRun("", "--help")
	for _, cmd := range []string{"create", "restore", "receive", "info", "seed", "passphrase", "sync", "balance", "history", "utxos", "send", "bump-fee", "consolidate"} {
		if !strings.Contains(r.out, "\n  "+cmd+" ") {
			t.Errorf("--help does not list %s", cmd)
		}
	}
	if !strings.Contains(r.out, "EXIT STATUS") {
		t.Error("--help lacks the exit codes")
	}
}
