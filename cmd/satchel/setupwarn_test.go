package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A member restored (once the wallet is made) or a coordinator made (before) from a setup file
// sees M of N and the cosigners' fingerprints, and a warning when the file's threshold of 1 lets a foreign key spend alone.
func TestRestoreFromSetupShowsThreshold(t *testing.T) {
	c := newCLI(t)
	var ks []string
	for i, s := range []string{abandon, seedB} {
		w := []string{"s1", "s2"}[i]
		c.mustRun(s+"\n", "restore", "--offline", "--wallet", w)
		ks = append(ks, strings.TrimSpace(c.mustRun("", "export", "xpub", "--multisig", "--wallet", w).out))
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		m    string
		warn bool
	}{
		{"2 of 2", "2", false},
		{"1 of 2", "1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.m+".txt")
			desc := "wsh(sortedmulti(" + tc.m + "," + ks[0] + "/<0;1>/*," + ks[1] + "/<0;1>/*))\n"
			if err := os.WriteFile(file, []byte(desc), 0o600); err != nil {
				t.Fatal(err)
			}
			r := c.mustRun(seedB+"\n", "restore", "--offline", "--multisig-setup", file, "--wallet", "m"+tc.m)
			if !strings.Contains(r.err, "multisig setup: "+tc.m+" of 2: 73c5da0a, ") {
				t.Fatalf("stderr does not show the setup: %q", r.err)
			}
			if got := strings.Contains(r.err, "each of its 2 keys alone spends"); got != tc.warn {
				t.Fatalf("1-of-N warning %v, want %v: %q", got, tc.warn, r.err)
			}
			// A coordinator made from the same file is told the same.
			r = c.mustRun("", "create", "--watch-only", "--setup", file, "--wallet", "coord"+tc.m)
			if got := strings.Contains(r.err, "each of its 2 keys alone spends"); !strings.Contains(r.err, "multisig setup: "+tc.m+" of 2") || got != tc.warn {
				t.Fatalf("coordinator: stderr %q", r.err)
			}
		})
	}
}
