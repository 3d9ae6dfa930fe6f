package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

var update = flag.Bool("update", false, "rewrite golden files")

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// zeroReader gives all-zero entropy, so create makes the "abandon ... about" wallet.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	return len(p), nil
}

type cli struct {
	t    *testing.T
	home string
	env  map[string]string
	dial func(ctx context.Context, url string) (chain.Backend, error)
	now  time.Time
	// watch registers scripts with a test Esplora or Electrum server (nil for btcd).
	watch   func(scripts ...[]byte)
	watched map[string]bool
	// outTerm makes term() runs see stdout as a terminal too.
	outTerm bool
	// dnsAnchors is the trust anchor of a test DNS hierarchy (BIP353 tests).
	dnsAnchors []string
}

func newCLI(t *testing.T) *cli {
	home := filepath.Join(t.TempDir(), "home")
	c := &cli{t: t, home: home, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), env: map[string]string{
		"SATCHEL_HOME": home, "SATCHEL_NETWORK": "regtest", "SATCHEL_PASSPHRASE": "test pass",
	}}
	t.Cleanup(c.checkFiles)
	return c
}

type result struct {
	out, err string
	code     int
}

// run runs satchel in-process with no terminal, the given stdin, and cheap keystore cost.
func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	return c.runIn(strings.NewReader(stdin), args...)
}

// runIn is run with standard input read from in.
func (c *cli) runIn(in io.Reader, args ...string) result {
	c.t.Helper()
	c.registerScripts()
	var out, errb bytes.Buffer
	a := &App{
		In: in, Out: &out, Err: &errb,
		Getenv:     func(k string) string { return c.env[k] },
		Now:        func() time.Time { return c.now },
		Entropy:    zeroReader{},
		Dial:       c.dial,
		DNSAnchors: c.dnsAnchors,
		Keystore:   []keystore.Option{keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})},
	}
	code := run(a, args)
	c.checkOutput(args, out.String(), errb.String())
	return result{out: out.String(), err: errb.String(), code: code}
}

func (c *cli) mustRun(stdin string, args ...string) result {
	c.t.Helper()
	r := c.run(stdin, args...)
	if r.code != 0 {
		c.t.Fatalf("satchel %v: exit %d, stderr %s", args, r.code, r.err)
	}
	return r
}

// golden compares got with testdata/golden/name, after replacing the test's temporary folder.
func (c *cli) golden(name, got string) {
	c.t.Helper()
	got = strings.ReplaceAll(got, c.home, "$SATCHEL_HOME")
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatalf("golden %s: %v (run go test -update)", name, err)
	}
	if got != string(want) {
		c.t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// jsonError decodes a --json error from stderr.
func jsonError(t *testing.T, stderr string) (code, msg string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &e); err != nil {
		t.Fatalf("stderr is not a JSON error: %q", stderr)
	}
	return e.Error.Code, e.Error.Message
}

func TestCreateJSONGolden(t *testing.T) {
	c := newCLI(t)
	r := c.mustRun("", "create", "--json")
	c.golden("create.json", r.out)
	if r.err != "" {
		t.Errorf("stderr not empty: %q", r.err)
	}
	dir := filepath.Join(c.home, "regtest", "default")
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "keystore.json"): 0o600, filepath.Join(dir, "wallet.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %o, want %o", path, fi.Mode().Perm(), want)
		}
	}
	// A second create never overwrites.
	before, _ := os.ReadFile(filepath.Join(dir, "keystore.json"))
	r = c.run("", "create", "--json")
	if r.code != exitUsage || !strings.Contains(r.err, dir) {
		t.Fatalf("second create: exit %d, %s", r.code, r.err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "keystore.json"))
	if !bytes.Equal(before, after) {
		t.Fatal("second create changed the keystore")
	}
}

func TestRestoreJSONGolden(t *testing.T) {
	c := newCLI(t)
	r := c.mustRun(abandon+"\n", "restore", "--json", "--type", "wpkh")
	c.golden("restore-wpkh.json", r.out)
	if strings.Contains(r.out, "abandon") {
		t.Fatal("restore printed the mnemonic")
	}
}

func TestRestoreInputs(t *testing.T) {
	for _, tc := range []struct {
		name, words string
		code        int
		errCode     string
		msgHas      []string
	}{
		{"four-letter prefixes", "aban aban aban aban aban aban aban aban aban aban aban abou", 0, "", nil},
		{"upper case and extra spaces", "  ABANDON abandon\tabandon abandon abandon abandon abandon abandon abandon abandon abandon About ", 0, "", nil},
		{"mistyped word", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abuot", exitUsage, "unknown_word", []string{"12", "check it against your backup"}},
		{"bad checksum", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon", exitUsage, "bad_checksum", []string{"checksum"}},
		{"too few words", "abandon abandon abandon", exitUsage, "bad_mnemonic", nil},
		{"empty", "", exitUsage, "bad_mnemonic", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			r := c.run(tc.words, "restore", "--json")
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", r.code, tc.code, r.err)
			}
			if tc.code == 0 {
				var out struct{ Fingerprint string }
				if err := json.Unmarshal([]byte(r.out), &out); err != nil || out.Fingerprint != "73c5da0a" {
					t.Fatalf("fingerprint %q (%v), want 73c5da0a", out.Fingerprint, err)
				}
				return
			}
			code, msg := jsonError(t, r.err)
			if code != tc.errCode {
				t.Errorf("error code %q, want %q (%s)", code, tc.errCode, msg)
			}
			for _, s := range tc.msgHas {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			// Off a terminal no word is suggested: the nearest list word is often the real one,
			// and stderr goes to logs (the terminal case is TestInteractiveRestoreAsksAgain...).
			if strings.Contains(msg, "did you mean") || strings.Contains(msg, "about") {
				t.Errorf("message %q suggests a word off a terminal", msg)
			}
			if _, err := os.Stat(filepath.Join(c.home, "regtest", "default")); err == nil {
				t.Error("a refused restore wrote a wallet")
			}
		})
	}
}

func TestNoPassphraseNoTerminalExits2Fast(t *testing.T) {
	c := newCLI(t)
	delete(c.env, "SATCHEL_PASSPHRASE")
	start := time.Now()
	r := c.run("", "create")
	if r.code != exitUsage {
		t.Fatalf("exit %d, want 2; %s", r.code, r.err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %s", d)
	}
	for _, s := range []string{"--passphrase-file", "SATCHEL_PASSPHRASE", "terminal"} {
		if !strings.Contains(r.err, s) {
			t.Errorf("message %q does not name %s", r.err, s)
		}
	}
}

func TestPassphraseFileAndWrongPassphrase(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("test pass\n"), 0o600)
	delete(c.env, "SATCHEL_PASSPHRASE")
	r := c.mustRun("", "seed", "show", "--json", "--passphrase-file", pf)
	if !strings.Contains(r.out, abandon) {
		t.Fatalf("seed show = %s", r.out)
	}
	os.WriteFile(pf, []byte("wrong\n"), 0o600)
	dir := filepath.Join(c.home, "regtest", "default")
	before, _ := os.ReadFile(filepath.Join(dir, "keystore.json"))
	r = c.run("", "seed", "show", "--json", "--passphrase-file", pf)
	if r.code != exitPassphrase {
		t.Fatalf("wrong passphrase: exit %d, want 3: %s", r.code, r.err)
	}
	if code, _ := jsonError(t, r.err); code != "wrong_passphrase" {
		t.Fatalf("code %s", code)
	}
	if strings.Contains(r.out+r.err, "abandon") {
		t.Fatal("seed leaked on a wrong passphrase")
	}
	after, _ := os.ReadFile(filepath.Join(dir, "keystore.json"))
	if !bytes.Equal(before, after) {
		t.Fatal("wrong passphrase changed the keystore")
	}
}

func TestSeedVerify(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	if r := c.run(abandon, "seed", "verify", "--json"); r.code != 0 || !strings.Contains(r.out, `"match": true`) {
		t.Fatalf("matching backup: exit %d %s %s", r.code, r.out, r.err)
	}
	other := "legal winner thank year wave sausage worth useful legal winner thank yellow"
	r := c.run(other, "seed", "verify", "--json")
	if r.code != exitError || strings.Contains(r.out+r.err, "abandon") || strings.Contains(r.err, "#") {
		t.Fatalf("other backup: exit %d %s %s", r.code, r.out, r.err)
	}
	// A valid mnemonic two words off the wallet's (both in the checksum's reach): those two
	// are named, and neither the typed nor the right words are shown.
	near := strings.Replace(abandon, "abandon about", "ability absurd", 1)
	if _, err := keys.ParseMnemonic(near); err != nil {
		t.Fatalf("test mnemonic: %v", err)
	}
	r = c.run(near, "seed", "verify")
	if r.code != exitError || !strings.Contains(r.err, "words #11 and #12 do not match") || strings.Contains(r.err, "absurd") || strings.Contains(r.err, "about") {
		t.Fatalf("near backup: exit %d %q", r.code, r.err)
	}
	// One list word miscopied breaks the checksum: the word is still found and named (four
	// letters of the others are enough, as everywhere).
	typo := strings.Replace(abandon, "abandon abandon about", "abandon ability abou", 1)
	r = c.run(typo, "seed", "verify", "--json")
	if code, msg := jsonError(t, r.err); r.code != exitError || code != "backup_mismatch" || !strings.Contains(msg, "word #11 does not match") {
		t.Fatalf("checksum broken by one word: exit %d %q", r.code, r.err)
	}
	// Many words off and a broken checksum: the checksum is what is reported, exit 2.
	far := "legal winner thank year wave sausage worth useful legal winner thank zoo"
	if _, err := keys.ParseMnemonic(far); !errors.Is(err, keys.ErrBadChecksum) {
		t.Fatalf("test mnemonic: %v", err)
	}
	r = c.run(far, "seed", "verify", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_checksum" {
		t.Fatalf("another seed, bad checksum: exit %d %q", r.code, r.err)
	}
	// With no passphrase to unlock the wallet, a broken checksum is reported as such.
	delete(c.env, "SATCHEL_PASSPHRASE")
	r = c.run(typo, "seed", "verify", "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_checksum" {
		t.Fatalf("bad checksum without a passphrase: exit %d %q", r.code, r.err)
	}
}

func TestPassphraseChange(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["SATCHEL_NEW_PASSPHRASE"] = "new pass"
	c.mustRun("", "passphrase", "change")
	if r := c.run("", "seed", "show", "--json"); r.code != exitPassphrase {
		t.Fatalf("old passphrase still works: exit %d", r.code)
	}
	c.env["SATCHEL_PASSPHRASE"] = "new pass"
	c.mustRun("", "seed", "show", "--json")
	fi, _ := os.Stat(filepath.Join(c.home, "regtest", "default", "keystore.json"))
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode after change %o", fi.Mode().Perm())
	}
}

func TestReceiveAndInfoGolden(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.mustRun("", "receive", "--json", "--label", "coffee", "--amount", "2100")
	c.golden("receive.json", r.out)
	r = c.mustRun("", "receive", "--json")
	var second struct{ Index int }
	json.Unmarshal([]byte(r.out), &second)
	if second.Index != 1 {
		t.Fatalf("second receive index %d, want 1", second.Index)
	}
	r = c.mustRun("", "info", "--json")
	c.golden("info.json", r.out)
	if strings.Contains(r.out, "abandon") || strings.Contains(r.out, "prv") {
		t.Fatal("info shows a secret")
	}
	r = c.mustRun("", "balance", "--json", "--offline")
	c.golden("balance-never-synced.json", r.out)
}

func TestWrongNetworkIsClear(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	// Same folder, other network name: move it to look like a testnet wallet.
	os.MkdirAll(filepath.Join(c.home, "testnet"), 0o700)
	if err := os.Rename(filepath.Join(c.home, "regtest", "default"), filepath.Join(c.home, "testnet", "default")); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "info", "--network", "testnet", "--json")
	if r.code != exitUsage {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if _, msg := jsonError(t, r.err); !strings.Contains(msg, "regtest") {
		t.Fatalf("message %q does not say the wallet's network", msg)
	}
}

func TestBadInputs(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"receive", "--amount", "0.001"}, exitUsage},
		{[]string{"receive", "--amount", "-5"}, exitUsage},
		{[]string{"receive", "--amount", "21000001btc"}, exitUsage},
		{[]string{"receive", "--amount", "1,000"}, exitUsage},
		{[]string{"create", "--words", "13"}, exitUsage},
		{[]string{"create", "--type", "sh"}, exitUsage},
		{[]string{"info", "--network", "moonnet"}, exitUsage},
		{[]string{"info", "--wallet", "../x"}, exitUsage},
		{[]string{"freeze", "nothex:0"}, exitUsage},
		{[]string{"label", "notanything", "x"}, exitUsage},
		{[]string{"nosuchcommand"}, exitUsage},
		{[]string{"info", "--wallet", "missing"}, exitError},
	} {
		dir := filepath.Join(c.home, "regtest", "default")
		before, _ := os.ReadFile(filepath.Join(dir, "wallet.db"))
		r := c.run("", append(tc.args, "--json")...)
		if r.code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, r.code, tc.code, r.err)
			continue
		}
		if r.out != "" {
			t.Errorf("%v: stdout %q on error", tc.args, r.out)
		}
		jsonError(t, r.err)
		after, _ := os.ReadFile(filepath.Join(dir, "wallet.db"))
		if !bytes.Equal(before, after) {
			t.Errorf("%v changed wallet.db", tc.args)
		}
	}
}

func TestDataFolderOthersCanWriteIsRefused(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	if err := os.Chmod(c.home, 0o777); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(c.home, 0o700)
	r := c.run("", "balance", "--offline", "--json")
	if r.code != exitError {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if code, msg := jsonError(t, r.err); code != "insecure_permissions" || !strings.Contains(msg, "chmod go-w "+c.home) {
		t.Fatalf("%s %q", code, msg)
	}
}

// A new passphrase from a file or the environment that no one could type is refused before
// the old one is even tried (unlocking takes seconds): with a wrong old passphrase too, the
// new one's fault is what is said, exit 2, and the keystore is left as it was.
func TestPassphraseChangeChecksTheNewOneFirst(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	bin := filepath.Join(t.TempDir(), "new")
	if err := os.WriteFile(bin, []byte("ab\x00\xff\xfe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, c.home)
	c.env["SATCHEL_PASSPHRASE"] = "not the passphrase"
	for _, tc := range []struct {
		name string
		args []string
		env  string
		want string
	}{
		{"binary file", []string{"--new-passphrase-file", bin}, "", "the new passphrase is not text"},
		{"control character in the environment", nil, "a\x1bb", "the new passphrase holds a control character"},
	} {
		c.env["SATCHEL_NEW_PASSPHRASE"] = tc.env
		r := c.run("", append([]string{"passphrase", "change"}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.err, tc.want) {
			t.Errorf("%s: exit %d %q, want exit 2 saying %q", tc.name, r.code, r.err, tc.want)
		}
	}
	if after := snapshot(t, c.home); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused passphrase change changed files")
	}
}
