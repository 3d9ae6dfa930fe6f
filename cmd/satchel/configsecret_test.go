package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A config value of the wrong type (a backend URL written in a list) is quoted in the error
// that names it, with its password masked as for a string value: errors reach logs.
func TestMistypedConfigValueHidesThePassword(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	file := filepath.Join(c.home, "regtest", "default", "config.toml")
	if err := os.WriteFile(file, []byte(`backend = ["btcd://u:hunter2@127.0.0.1:18334"]`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "tip", "list", "--json")
	code, msg := jsonError(t, r.err)
	if r.code != exitUsage || code != "bad_config" || !strings.Contains(msg, "backend = [btcd://u:***@127.0.0.1:18334] must be a string") {
		t.Errorf("exit %d %s %q", r.code, code, msg)
	}
	if r := c.run("", "config", "list"); strings.Contains(r.err, "hunter2") {
		t.Errorf("config list warning shows the password: %q", r.err)
	}
}

// config set of a key the file holds as another type repairs it even when the new value reads
// as the old one did (wallet = true, then config set wallet true): the file is written, with
// the value in quotes, and other commands run again.
func TestConfigSetRepairsAValueThatReadsTheSame(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	global := filepath.Join(t.TempDir(), "global.toml")
	c.env["SATCHEL_CONFIG"] = global
	if err := os.WriteFile(global, []byte("wallet = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := c.run("", "tip", "list"); r.code != exitUsage {
		t.Fatalf("the bad file went unnoticed: exit %d %q", r.code, r.err)
	}
	c.mustRun("", "config", "set", "--global", "wallet", "true")
	if b, _ := os.ReadFile(global); !strings.Contains(string(b), `wallet = "true"`) {
		t.Fatalf("config set did not repair the file:\n%s", b)
	}
}
