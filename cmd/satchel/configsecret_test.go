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
