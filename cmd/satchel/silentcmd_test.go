package main

import (
	"strings"
	"testing"
)

// receive --silent never hands out an address that sync would not scan: without a backend
// that serves whole blocks it exits 2, says what it needs, prints nothing and writes nothing.
func TestReceiveSilentRefusesBackendsThatCannotScan(t *testing.T) {
	for _, tc := range []struct{ name, backend, want string }{
		{"esplora", "https://esplora.invalid/api", "cannot scan blocks"},
		{"electrum", "electrum://electrum.invalid:50001", "cannot scan blocks"},
		{"none on regtest", "", "no backend is configured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.mustRun("", "create", "--wallet", "w")
			if tc.backend != "" {
				c.env["SATCHEL_BACKEND"] = tc.backend
			}
			r := c.run("", "receive", "--silent", "--json", "--wallet", "w")
			if r.code != 2 || r.out != "" {
				t.Fatalf("exit %d, stdout %q", r.code, r.out)
			}
			code, msg := jsonError(t, r.err)
			if code != "silent_needs_node" || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "btcd") {
				t.Fatalf("error %s: %s", code, msg)
			}
		})
	}
}

func TestReceiveSilentTakesNoAmount(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--wallet", "w")
	if r := c.run("", "receive", "--silent", "--amount", "1000", "--wallet", "w"); r.code != 2 {
		t.Fatalf("exit %d", r.code)
	}
}

func TestParseBirthday(t *testing.T) {
	for _, tc := range []struct {
		in     string
		height int32
		date   string
		bad    bool
	}{
		{in: "840000", height: 840000},
		{in: "0", height: 0},
		{in: "2024-04-20", date: "2024-04-20"},
		{in: "-5", bad: true},
		{in: "2024-13-01", bad: true},
		{in: "yesterday", bad: true},
		{in: "99999999999", bad: true},
	} {
		h, d, err := parseBirthday(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("%q: error %v", tc.in, err)
			continue
		}
		if tc.bad {
			continue
		}
		if h != tc.height || (tc.date != "" && d.Format("2006-01-02") != tc.date) || (tc.date == "" && !d.IsZero()) {
			t.Errorf("%q: %d %v", tc.in, h, d)
		}
	}
}

// FuzzParseBirthday: any text gives a height >= 0 or a date, or a usage error; never both.
func FuzzParseBirthday(f *testing.F) {
	for _, s := range []string{"840000", "0", "2024-04-20", "-1", "2024-02-30", "", "1e6", " 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, d, err := parseBirthday(s)
		if err != nil {
			if h != 0 || !d.IsZero() {
				t.Fatalf("%q: error %v with %d %v", s, err, h, d)
			}
			return
		}
		if h < 0 || (h != 0 && !d.IsZero()) {
			t.Fatalf("%q: height %d, date %v", s, h, d)
		}
	})
}

func TestRestoreBirthdayRefusedWithOtherSources(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"--shamir"}, {"--from-backup", "x.backup"}} {
		r := c.run("", append([]string{"restore", "--birthday", "100", "--wallet", "w"}, args...)...)
		if r.code != 2 || !strings.Contains(r.err, "--birthday") {
			t.Errorf("%v: exit %d %s", args, r.code, r.err)
		}
	}
	if r := c.run("", "restore", "--birthday", "soon", "--wallet", "w"); r.code != 2 || !strings.Contains(r.err, "block height") {
		t.Errorf("bad birthday: exit %d %s", r.code, r.err)
	}
}

func TestConfigSPServer(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--wallet", "w")
	if r := c.run("", "config", "set", "sp-server", "ftp://tweaks.invalid", "--wallet", "w"); r.code != 2 {
		t.Fatalf("ftp tweak server accepted: exit %d %s", r.code, r.err)
	}
	c.mustRun("", "config", "set", "sp-server", "https://tweaks.invalid/api", "--wallet", "w")
	if got := strings.TrimSpace(c.mustRun("", "config", "get", "sp-server", "--wallet", "w").out); got != "https://tweaks.invalid/api" {
		t.Fatalf("config get sp-server: %q", got)
	}
	// With a tweak server, an Esplora backend scans: receive --silent asks it for the tip (here
	// unreachable: exit 5, not a refusal).
	c.env["SATCHEL_BACKEND"] = "https://esplora.invalid/api"
	if r := c.run("", "receive", "--silent", "--wallet", "w"); r.code == 2 || r.out != "" {
		t.Fatalf("receive --silent with a tweak server: exit %d %s", r.code, r.err)
	}
}

// The first receive --silent opens the keystore: a passphrase mistyped at the prompt can be
// typed again, as for every other command that asks for it.
func TestReceiveSilentPassphraseRetyped(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1)
	delete(c.env, "SATCHEL_PASSPHRASE")
	r := c.term([]string{"wrong", "test pass"}, func(string) string { return "" }, "receive", "--silent")
	if r.code != 0 || strings.Count(r.err, "Wrong passphrase; try again.") != 1 || !strings.HasPrefix(r.out, "tsp1") {
		t.Fatalf("exit %d, out %q, err %q", r.code, r.out, r.err)
	}
}

// sync's silent payment line groups the height as the line above it does, and counts blocks.
func TestSyncSilentLineGroupsTheHeight(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1200)
	c.mustRun("", "receive", "--silent")
	fc.Mine(1)
	out := c.mustRun("", "sync").out
	if !strings.Contains(out, "synced to height 1,201: ") || !strings.Contains(out, "silent payments: scanned through height 1,201 (") ||
		!strings.Contains(out, " this time), 0 outputs found\n") {
		t.Errorf("sync:\n%s", out)
	}
}
