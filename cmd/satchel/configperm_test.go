//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A config file another local user could have written is refused, with the chmod that fixes
// it, until it and its folder are the user's alone; a sticky folder (like /tmp) is fine.
func TestConfigOthersCanWriteIsRefused(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	dir := filepath.Join(t.TempDir(), "cfg")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	global := filepath.Join(dir, "config.toml")
	os.WriteFile(global, []byte("gap-limit = 25\n"), 0o600)
	c.env["SATCHEL_CONFIG"] = global
	wallet := filepath.Join(c.home, "regtest", "default", "config.toml")
	for _, tc := range []struct {
		name     string
		file     string
		fileMode os.FileMode
		dirMode  os.FileMode
		want     string // "" = accepted
	}{
		{"global 0666 in a 0777 folder", global, 0o666, 0o777, "chmod go-w " + global},
		{"global 0644 in a 0777 folder", global, 0o644, 0o777, "chmod go-w " + dir},
		{"global 0620 (group can write)", global, 0o620, 0o700, "chmod go-w " + global},
		{"global 0644 in a sticky 1777 folder", global, 0o644, os.ModeSticky | 0o777, ""},
		{"global 0600 in 0700", global, 0o600, 0o700, ""},
		{"wallet config 0666", wallet, 0o666, 0o700, "chmod go-w " + wallet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.file == wallet {
				os.WriteFile(wallet, []byte("gap-limit = 30\n"), 0o600)
				defer os.Remove(wallet)
			}
			if err := os.Chmod(tc.file, tc.fileMode); err != nil {
				t.Fatal(err)
			}
			if tc.file == global {
				if err := os.Chmod(dir, tc.dirMode); err != nil {
					t.Fatal(err)
				}
			}
			defer os.Chmod(dir, 0o700)
			defer os.Chmod(tc.file, 0o600)
			r := c.run("", "balance", "--offline", "--json")
			if tc.want == "" {
				if r.code != 0 {
					t.Fatalf("exit %d: %s", r.code, r.err)
				}
				return
			}
			code, msg := jsonError(t, r.err)
			if r.code != exitError || code != "insecure_permissions" || !strings.Contains(msg, tc.want) {
				t.Fatalf("exit %d %s %q, want insecure_permissions saying %q", r.code, code, msg, tc.want)
			}
		})
	}
}
