package main

import (
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

func TestVersionReadsBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info at all", nil, false, "satchel (devel), commit unknown"},
		{"built with -buildvcs=false", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true,
			"satchel (devel), commit unknown (built without VCS information: -buildvcs=false, or a git worktree), go1.26.8"},
		{"tagged and clean", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-01T10:00:00Z"}, {Key: "vcs.modified", Value: "false"}}}, true,
			"satchel v1.2.3, commit 0123456789ab (2026-11-01T10:00:00Z), go1.26.8"},
		{"local changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}, true,
			"satchel (devel), commit abc with local changes, go1.26.8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readBuildVersion(func() (*debug.BuildInfo, bool) { return tc.info, tc.ok }).String()
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestVersionFlagAndCommandAgree(t *testing.T) {
	c := newCLI(t)
	flag := c.mustRun("", "--version")
	cmd := c.mustRun("", "version")
	if flag.out != cmd.out || !strings.HasPrefix(flag.out, "satchel ") {
		t.Fatalf("--version %q, version %q", flag.out, cmd.out)
	}
	j := c.mustRun("", "version", "--json")
	if !strings.Contains(j.out, `"version": `) || !strings.Contains(j.out, `"go": "go`) {
		t.Fatalf("version --json: %s", j.out)
	}
	// --version --json is the same JSON, whichever side the flags are on.
	for _, args := range [][]string{{"--version", "--json"}, {"--json", "--version"}} {
		if r := c.mustRun("", args...); r.out != j.out {
			t.Errorf("%v: %q, version --json %q", args, r.out, j.out)
		}
	}
}

func TestChainCommandsWithoutBackendOnRegtest(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, cmd := range []string{"balance", "history", "utxos"} {
		r := c.run("", cmd)
		if r.code != exitUsage || !strings.Contains(r.err, "--backend") || !strings.Contains(r.err, "config set backend") || r.out != "" {
			t.Errorf("%s with no backend: exit %d, out %q, err %q", cmd, r.code, r.out, r.err)
		}
		r = c.run("", cmd, "--json")
		if code, _ := jsonError(t, r.err); code != "no_backend" {
			t.Errorf("%s --json: code %q", cmd, code)
		}
		if r := c.run("", cmd, "--offline"); r.code != 0 {
			t.Errorf("%s --offline: exit %d %s", cmd, r.code, r.err)
		}
	}
}

// Commands that only make sense online (they sync, send or ask the chain) stop the same way
// with no backend on regtest: exit 2, naming --backend and config set backend, nothing on stdout.
func TestOnlineOnlyCommandsWithoutBackendOnRegtest(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	addr := strings.TrimSpace(c.mustRun("", "receive", "--jq", ".address").out)
	txid := strings.Repeat("0", 63) + "1"
	c.mustRun("", "tip", "add", addr, "2100")
	for _, args := range [][]string{
		{"sync"},
		{"send", addr, "2100", "--fee-rate", "2", "--yes"},
		{"tip", "flush", "--fee-rate", "2", "--yes"},
		{"consolidate", "--yes"},
		{"bump-fee", txid, "--fee-rate", "5", "--yes"},
		{"fees"},
		{"wait", "--txid", txid},
	} {
		r := c.run("", args...)
		if r.code != exitUsage || !strings.Contains(r.err, "--backend") || !strings.Contains(r.err, "config set backend") || r.out != "" {
			t.Errorf("%v with no backend: exit %d, out %q, err %q", args, r.code, r.out, r.err)
		}
		r = c.run("", append(args, "--json")...)
		if code, _ := jsonError(t, r.err); code != "no_backend" {
			t.Errorf("%v --json: code %q", args, code)
		}
	}
}

// tip flush compares the batch's fee with the tips sent one by one only when there are two
// or more: for one tip "saves 0 sat" says nothing.
func TestTipFlushSummary(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Coinbase(regtestScript(t, c.receiveAddr("default")), 5_000_000_000, 1))
	fc.Mine(100)
	c.mustRun("", "create", "--wallet", "bob", "--type", "wpkh")
	c.mustRun("", "tip", "add", c.receiveAddr("bob"), "2100")
	r := c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes")
	if !regexp.MustCompile(`(?m)^1 tip: [0-9,]+ sat in fees$`).MatchString(r.err) || strings.Contains(r.err, "one by one") {
		t.Fatalf("one tip: %q", r.err)
	}
	c.mustRun("", "tip", "add", c.receiveAddr("bob"), "2100")
	c.mustRun("", "tip", "add", c.receiveAddr("bob"), "3000")
	r = c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes")
	if !regexp.MustCompile(`(?m)^2 tips in one transaction: [0-9,]+ sat in fees instead of [0-9,]+ sat sent one by one \(saves [1-9][0-9,]* sat\)$`).MatchString(r.err) {
		t.Fatalf("two tips: %q", r.err)
	}
}

// The offline warning says how old the last sync is as a person would ("3 days"), and a sync
// dated after the computer's clock as that, not as "-993h53m19s ago".
func TestOfflineWarningSaysTheSyncsAge(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	fc.Mine(1)
	synced := c.now
	c.mustRun("", "sync")
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{synced.Add(40 * time.Second), "(height 1, 40 seconds ago)"},
		{synced.Add(61 * time.Minute), "(height 1, 1 hour ago)"},
		{synced.Add(3*24*time.Hour + 5*time.Hour), "(height 1, 3 days ago)"},
		{synced.Add(-2 * time.Hour), "later than this computer's clock: check the clock)"},
	} {
		c.now = tc.now
		r := c.mustRun("", "history", "--offline")
		if !strings.Contains(r.err, tc.want) || strings.Count(r.err, "\n") != 1 {
			t.Errorf("at sync%+v: %q, want %q", tc.now.Sub(synced), r.err, tc.want)
		}
	}
}
