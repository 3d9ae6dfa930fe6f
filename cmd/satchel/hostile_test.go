package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// A bitcoin: URI's amount is what the payee asked for: another amount typed after it, or "all",
// stops the send (exit 2) instead of replacing it; the same amount, or none, pays the URI's.
func TestURIAmountIsNeverOverridden(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("a")))))
	dest := outsider
	u := "bitcoin:" + dest + "?amount=0.000021"
	for _, tc := range []struct {
		name string
		args []string
		want int64 // 0: refused
	}{
		{"URI alone", []string{u}, 2100},
		{"same amount typed", []string{u, "2100"}, 2100},
		{"another amount", []string{u, "5000"}, 0},
		{"all", []string{u, "all"}, 0},
		{"--to URI alone", []string{"--to", u}, 2100},
		{"--to URI=other", []string{"--to", u + "=5000"}, 0},
		{"--to URI=same", []string{"--to", u + "=2100"}, 2100},
		{"--to URI with a label, =AMOUNT", []string{"--to", "bitcoin:" + dest + "?label=Shop=3000"}, 3000},
		{"--to URI with amount and label, =other", []string{"--to", u + "&label=x=20000"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"send", "--dry-run", "--json", "--wallet", "a", "--fee-rate", "1"}, tc.args...)
			r := c.run("", args...)
			if tc.want == 0 {
				if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "amount_mismatch" || !strings.Contains(msg, "2,100 sat") {
					t.Fatalf("exit %d %s", r.code, r.err)
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("exit %d %s", r.code, r.err)
			}
			if p := decodeJSON[planJSON](t, r.out); p.Amount != tc.want {
				t.Fatalf("pays %d, want %d", p.Amount, tc.want)
			}
		})
	}
}

// Exports and PSBT outputs never land on the wallets' own files: nothing inside the data
// folder is written, whatever --force says, and --out replaces only a PSBT.
func TestOutputsNeverOverwriteWalletFiles(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("a")))))
	dir := filepath.Join(c.home, "regtest", "a")
	before := snapshot(t, c.home)
	link := filepath.Join(t.TempDir(), "inside")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"labels", "export", filepath.Join(dir, "keystore.json"), "--force"},
		{"backup", "export", filepath.Join(dir, "wallet.db"), "--force"},
		{"backup", "export", filepath.Join(link, "keystore.json"), "--force"},
		{"labels", "export", filepath.Join(c.home, "new.jsonl")},
	} {
		r := c.run("", append(args, "--json", "--wallet", "a")...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_file" {
			t.Fatalf("%v: exit %d %s", args, r.code, r.err)
		}
	}
	if after := snapshot(t, c.home); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused export changed the data folder")
	}

	// psbt --out: a PSBT may be replaced (signing in place), another file may not.
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 50_000)
	other := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(other, []byte("my notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "2", "--psbt-out", other)
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "file_exists" {
		t.Fatalf("--psbt-out onto a text file: exit %d %s", r.code, r.err)
	}
	if b, _ := os.ReadFile(other); string(b) != "my notes" {
		t.Fatal("the text file was changed")
	}
	file := filepath.Join(t.TempDir(), "tx.psbt")
	c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "2", "--psbt-out", file)
	c.mustRun("", "psbt", "sign", file, "--out", file, "--yes", "--json", "--wallet", "hot")
	if r := c.mustRun("", "psbt", "decode", file, "--json"); !strings.Contains(r.out, `"next": "finalizer"`) {
		t.Fatalf("signed in place: %s", r.out)
	}
}

// snapshot maps every file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Files that never end (/dev/zero) or are far too large are refused at a bound, never read
// whole: passphrase files, config files, PSBTs.
func TestEndlessFilesAreRefused(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code string
	}{
		{"passphrase file", nil, []string{"seed", "show", "--passphrase-file", "/dev/zero"}, "bad_passphrase_file"},
		{"new passphrase file", nil, []string{"passphrase", "change", "--new-passphrase-file", "/dev/zero"}, "bad_passphrase_file"},
		{"psbt", nil, []string{"psbt", "decode", "/dev/zero"}, "bad_psbt"},
		{"multisig setup", nil, []string{"setup", "convert", "/dev/zero", "--to", "descriptor"}, "bad_setup"},
		{"global config", map[string]string{"SATCHEL_CONFIG": "/dev/zero"}, []string{"balance", "--offline"}, "bad_config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				old, had := c.env[k]
				c.env[k] = v
				defer func() {
					if had {
						c.env[k] = old
					} else {
						delete(c.env, k)
					}
				}()
			}
			r := c.run("", append(tc.args, "--json")...)
			if code, _ := jsonError(t, r.err); r.code != exitUsage || code != tc.code {
				t.Fatalf("exit %d %s", r.code, r.err)
			}
		})
	}
}

// A backend URL is checked as its backend reads it when it is set or given, and its password
// never shows in the error, even when the URL does not parse.
func TestBackendURLsCheckedAndMasked(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, u := range []string{
		"btcd://u:hunter2%@127.0.0.1:1", "btcd://u:hunter2@[::1", "btcd://u:hun ter2@127.0.0.1:1",
		"http://u:hunter2%@x/api", "electrum://u:hunter2%@h:1", "ftp://x", "http://example.com",
		"btcd://u@h:1", "btcd://u:hunter2@h", "https://" + strings.Repeat("a", 3000) + ".com/api",
		"p2p://u:hunter2@h:1", "p2p://h:0", "p2p://h:1?start=x",
	} {
		for _, args := range [][]string{{"config", "set", "backend", u}, {"balance", "--backend", u}} {
			r := c.run("", append(args, "--json")...)
			if r.code != exitUsage || strings.Contains(r.err+r.out, "hunter2") || strings.Count(r.err, "\n") != 1 {
				t.Errorf("%v: exit %d %s", args, r.code, r.err)
			}
		}
	}
	if r := c.run("", "config", "get", "backend", "--json"); r.code != exitError || strings.Contains(r.out, "://") {
		t.Fatalf("a refused backend was saved: exit %d %s", r.code, r.out)
	}
	for _, u := range []string{"btcd://u:p@127.0.0.1:18334", "https://mempool.space/api", "electrums://h:50002", "http://127.0.0.1:3000", "p2p://[::1]:18444,127.0.0.1:18444", "p2p://"} {
		c.mustRun("", "config", "set", "backend", u)
	}
}

// Control characters never reach the terminal: labels with them are refused when typed, cleaned
// when they come from a payee's URI or a BIP329 file, and shown as \xNN if any are stored.
func TestControlCharactersNeverReachTheTerminal(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	addr := c.receiveAddr("default")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(50_000, scriptFor(t, addr))))
	c.mustRun("", "sync")
	osc := "imp\x1b]52;c;SGVsbG8=\x07\x1b[8mhidden"
	for _, args := range [][]string{
		{"label", addr, osc}, {"label", addr, "two\nlines"}, {"receive", "--label", osc},
		{"tip", "add", outsider, "2100", "--label", osc}, {"tip", "add", outsider, "2100", "--id", "\x1b[31m"},
		{"send", outsider, "2100", "--fee-rate", "1", "--dry-run", "--label", osc},
	} {
		r := c.run("", append(args, "--json")...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || (code != "bad_label" && code != "bad_id") || strings.ContainsRune(r.err, 0x1b) {
			t.Errorf("%q: exit %d %q", args, r.code, r.err)
		}
	}
	// From a file: cleaned, with a warning.
	file := filepath.Join(t.TempDir(), "in.jsonl")
	line := `{"type":"addr","ref":"` + addr + `","label":"imp\u001b]52;c;SGVsbG8=\u0007\u001b[8mhidden"}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.mustRun("", "labels", "import", file, "--json")
	if !strings.Contains(r.err, "label_cleaned") || !strings.Contains(r.out, `"cleaned": 1`) {
		t.Fatalf("import: %s %s", r.out, r.err)
	}
	for _, args := range [][]string{{"utxos"}, {"history"}} {
		out := c.mustRun("", args...).out
		if strings.ContainsFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' }) || !strings.Contains(out, "imp ]52;c;SGVsbG8=  [8mhidden") {
			t.Fatalf("%v shows %q", args, out)
		}
	}
	// In a payee's URI: refused by the URI parser.
	u := "bitcoin:" + outsider + "?amount=0.000021&label=a%1B%5B2Jb"
	if r := c.run("", "send", u, "--fee-rate", "1", "--dry-run", "--json"); r.code != exitUsage || strings.ContainsRune(r.err, 0x1b) {
		t.Fatalf("URI with an escape in its label: exit %d %q", r.code, r.err)
	}
	// A right-to-left override (U+202E) would make the text after it read backwards, and so
	// could disguise an address or an amount printed beside the label: refused when typed,
	// cleaned from a file, and escaped if one is already stored.
	rlo := "tip for \u202eeman"
	if r := c.run("", "label", addr, rlo, "--json"); r.code != exitUsage || !strings.Contains(r.err, "text-direction") {
		t.Fatalf("a typed override: exit %d %q", r.code, r.err)
	}
	line = `{"type":"addr","ref":"` + addr + `","label":"tip for \u202eeman\u200b"}` + "\n"
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := c.mustRun("", "labels", "import", file, "--json"); !strings.Contains(r.out, `"cleaned": 1`) {
		t.Fatalf("import of an override: %s %s", r.out, r.err)
	}
	if out := c.mustRun("", "utxos").out; strings.ContainsRune(out, '\u202e') || !strings.Contains(out, "tip for  eman") {
		t.Fatalf("utxos shows %q", out)
	}
	if got := printable(rlo + "\x1b"); got != `tip for \u202eeman\x1b` {
		t.Fatalf("printable: %q", got)
	}
	// An error quoting hostile input shows it escaped.
	r = c.run("", "label", "\x1b[2Jnot-a-target", "x")
	if r.code != exitUsage || strings.ContainsRune(r.err, 0x1b) || !strings.Contains(r.err, `\x1b`) {
		t.Fatalf("error: exit %d %q", r.code, r.err)
	}
}

// Commands that need the seed say at once, with exit 2 watch_only, that a watch-only wallet has
// none, before asking for a passphrase it could not use.
func TestWatchOnlyRefusesSeedCommandsAtOnce(t *testing.T) {
	c, _ := fakeCLI(t)
	watchPair(t, c, "wpkh")
	delete(c.env, "SATCHEL_PASSPHRASE")
	for _, args := range [][]string{
		{"seed", "show"}, {"seed", "verify"}, {"seed", "verify", "--shamir"}, {"passphrase", "change"},
		{"receive", "--silent"}, {"export", "descriptors", "--private"},
	} {
		r := c.run("", append(args, "--json", "--wallet", "cold")...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "watch_only" {
			t.Errorf("%v: exit %d %s", args, r.code, r.err)
		}
	}
}

// A restore that fails (a wrong passphrase) leaves no folder behind, not even the network
// folder it had to create in an empty data folder.
func TestFailedRestoreLeavesNoFolder(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	file := filepath.Join(t.TempDir(), "w.backup")
	c.mustRun("", "backup", "export", file)
	fresh := filepath.Join(t.TempDir(), "fresh")
	c.env["SATCHEL_HOME"] = fresh
	c.env["SATCHEL_PASSPHRASE"] = "not the passphrase"
	r := c.run("", "restore", "--from-backup", file, "--json")
	if code, _ := jsonError(t, r.err); r.code != exitPassphrase || code != "wrong_passphrase" {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(fresh)
		t.Fatalf("a failed restore left %s behind (%v)", fresh, entries)
	}
}

// A passphrase file that is not there stops a send before it syncs or plans: nothing is
// written and the error is the only line.
func TestMissingPassphraseFileFailsFirst(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("a")))))
	c.mustRun("", "sync", "--wallet", "a")
	before := snapshot(t, c.home)
	calls := fc.Calls["Tip"]
	r := c.run("", "send", outsider, "2100", "--fee-rate", "1", "--yes", "--wallet", "a", "--passphrase-file", filepath.Join(c.home, "missing"))
	if r.code != exitUsage || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, "passphrase-file") {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	if fc.Calls["Tip"] != calls {
		t.Fatal("the send synced before checking its passphrase file")
	}
	if after := snapshot(t, c.home); !reflect.DeepEqual(before, after) {
		t.Fatal("the failed send changed files")
	}
}

// A global flag given an empty value (an unset variable in a script) is refused, not read as
// "use the default", which could mean another wallet or network.
func TestEmptyGlobalFlagsAreRefused(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, args := range [][]string{
		{"--wallet", ""}, {"--network", ""}, {"--backend", ""}, {"--datadir", " "}, {"--gap-limit", "0"}, {"--passphrase-file", ""},
	} {
		r := c.run("", append([]string{"balance", "--offline", "--json"}, args...)...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_flag" {
			t.Errorf("%q: exit %d %s", args, r.code, r.err)
		}
	}
}

// The signing wallet's caps hold for a PSBT a watch-only wallet built: the hot wallet refuses
// to sign a payment above its per-payment cap.
func TestPSBTSigningHonoursCaps(t *testing.T) {
	c, fc := fakeCLI(t)
	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 100_000)
	c.mustRun("", "sync", "--wallet", "hot")
	c.mustRun("", "config", "set", "limit.per-payment", "10000", "--wallet", "hot")
	file := filepath.Join(t.TempDir(), "cap.psbt")
	c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "60000", "--fee-rate", "2", "--psbt-out", file)
	r := c.run("", "psbt", "sign", file, "--yes", "--json", "--wallet", "hot", "--out", file)
	if code, msg := jsonError(t, r.err); r.code != exitCannotPay || code != "limit_exceeded" || !strings.Contains(msg, "60,000 sat") {
		t.Fatalf("signing above the cap: exit %d %s", r.code, r.err)
	}
	if r := c.mustRun("", "psbt", "decode", file, "--json"); strings.Contains(r.out, `"next": "finalizer"`) {
		t.Fatal("the PSBT was signed anyway")
	}
	// Under the cap it signs, though the change (about 95,000 sat to an address the signer has
	// not stored yet) is far above it: change is known by the seed, not counted as a payment.
	small := filepath.Join(t.TempDir(), "small.psbt")
	c.mustRun("", "psbt", "abandon", file, "--wallet", "cold")
	c.mustRun("", "send", "--json", "--wallet", "cold", outsider, "5000", "--fee-rate", "2", "--psbt-out", small)
	c.mustRun("", "psbt", "sign", small, "--yes", "--json", "--wallet", "hot", "--out", small)
}

// A mistyped subcommand of a group (tip flsuh) fails with exit 2 like a mistyped command,
// instead of printing help and succeeding.
func TestUnknownSubcommandsFail(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"tip", "flsuh"}, {"psbt", "bogus"}, {"export", "bogus"}, {"config", "bogus"}, {"seed", "shwo"}} {
		r := c.run("", append(args, "--json")...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "usage" || r.out != "" {
			t.Errorf("%v: exit %d %q %s", args, r.code, r.out, r.err)
		}
	}
	if r := c.run("", "tip"); r.code != 0 || !strings.Contains(r.out, "Usage:") {
		t.Fatalf("a bare group command shows its help: exit %d", r.code)
	}
}

// Outputs never replace what is not a plain file (a device, a pipe, a symbolic link), --force
// or not; sign-message on a watch-only wallet says at once that it has no keys.
func TestOutputsOnlyReplacePlainFiles(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	dir := t.TempDir()
	target := filepath.Join(dir, "real.jsonl")
	if err := os.WriteFile(target, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{link, fifo, "/dev/null"} {
		for _, args := range [][]string{{"labels", "export", path, "--force"}, {"backup", "export", path, "--force"}} {
			r := c.run("", append(args, "--json")...)
			if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_file" {
				t.Errorf("%v: exit %d %s", args, r.code, r.err)
			}
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symbolic link was replaced")
	}
	if r := c.run("", "gen-man", filepath.Join(c.home, "man"), "--json"); r.code != exitUsage {
		t.Fatalf("gen-man into the data folder: exit %d %s", r.code, r.err)
	}
	watchPair(t, c, "wpkh")
	delete(c.env, "SATCHEL_PASSPHRASE")
	addr := c.receiveAddr("cold")
	if r := c.run("", "sign-message", addr, "hi", "--json", "--wallet", "cold"); r.code != exitUsage || !strings.Contains(r.err, "watch_only") {
		t.Fatalf("sign-message on a watch-only wallet: exit %d %s", r.code, r.err)
	}
}

// Caps in the corners: tips queued to one address add up at tip add (a flush pays them as one);
// payments to allowed destinations and to the wallet itself are exempt from the daily cap with
// their fees.
func TestCapsCorners(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(200_000, scriptFor(t, c.receiveAddr("a")))))
	c.mustRun("", "sync", "--wallet", "a")
	c.mustRun("", "config", "set", "limit.per-payment", "5000", "--wallet", "a")
	c.mustRun("", "tip", "add", outsider, "3000", "--wallet", "a")
	if r := c.run("", "tip", "add", outsider, "3100", "--json", "--wallet", "a"); r.code != exitCannotPay || !strings.Contains(r.err, "6,100 sat") {
		t.Fatalf("a second tip to the same address over the cap: exit %d %s", r.code, r.err)
	}
	c.mustRun("", "config", "set", "limit.daily", "5200", "--wallet", "a")
	if _, r := c.send("a", outsider, "5000", "--fee-rate", "1"); r.code != 0 {
		t.Fatalf("first payment: %s", r.err)
	}
	other := regtest.NewKey("caps-friend", txbuilder.P2WPKH).Address
	c.mustRun("", "config", "set", "limit.allow", other, "--wallet", "a")
	if _, r := c.send("a", other, "20000", "--fee-rate", "1"); r.code != 0 {
		t.Fatalf("an allowed destination is exempt, fee and all: %s", r.err)
	}
	if r := c.run("", "send", "--json", "--wallet", "a", c.receiveAddr("a"), "20000", "--fee-rate", "1", "--yes"); r.code != 0 {
		t.Fatalf("a payment to the wallet itself is exempt: exit %d %s", r.code, r.err)
	}
	if _, r := c.send("a", outsider, "100", "--fee-rate", "1"); r.code != exitCannotPay {
		t.Fatalf("the daily cap still holds for others: exit %d %s", r.code, r.err)
	}
}

// A single-valued flag given twice with different values is refused before anything is read
// or written (pflag would take the last one silently: a script appending --fee-rate 30 to a
// line with --fee-rate 2 pays 30). The same value twice and repeatable flags are taken.
func TestFlagGivenTwiceWithDifferentValuesIsRefused(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "default")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("default")))))
	c.mustRun("", "sync", "--wallet", "default")
	before := snapshot(t, c.home)
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"send", outsider, "2100", "--fee-rate", "2", "--fee-rate", "30", "--yes"}, "--fee-rate"},
		{[]string{"send", outsider, "2100", "--fee-rate", "2", "--max-fee", "500", "--max-fee=90000", "--yes"}, "--max-fee"},
		{[]string{"tip", "add", outsider, "2100", "--wallet", "default", "--wallet", "other"}, "--wallet"},
		{[]string{"balance", "--offline", "--json", "--json=false"}, "--json"},
	} {
		r := c.run("", tc.args...)
		if r.code != exitUsage || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, tc.flag) || !strings.Contains(r.err, "give the flag once") {
			t.Errorf("%q: exit %d %q", tc.args, r.code, r.err)
		}
	}
	if after := snapshot(t, c.home); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused command changed files")
	}
	// The same value twice, and repeatable flags, still work.
	c.mustRun("", "send", "--dry-run", "--fee-rate", "2", "--fee-rate", "2", "--yes", "--yes", "--to", outsider+"=2100", "--to", outsider+"=3000")
}
