package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/keys"
)

func TestWrongPassphraseOnATerminalCanBeRetyped(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	delete(c.env, "SATCHEL_PASSPHRASE")
	yes := func(string) string { return "y" }
	for _, tc := range []struct {
		name    string
		secrets []string
		code    int
		retries int
	}{
		{"right the first time", []string{"test pass"}, 0, 0},
		{"right the third time", []string{"wrong", "wrong again", "test pass"}, 0, 2},
		{"wrong three times", []string{"wrong", "wrong", "wrong"}, exitPassphrase, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.term(tc.secrets, yes, "seed", "show")
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.err)
			}
			if n := strings.Count(r.err, "Wrong passphrase; try again."); n != tc.retries {
				t.Errorf("%d retries announced, want %d: %q", n, tc.retries, r.err)
			}
			if !strings.Contains(r.err, "unlocking...") || !strings.Contains(r.err, "\r\033[K") {
				t.Errorf("no unlocking... shown (and erased) while the KDF runs: %q", r.err)
			}
			if tc.code == exitPassphrase && !strings.Contains(r.err, "(tried 3 times)") {
				t.Errorf("final error: %q", r.err)
			}
		})
	}
	// A passphrase from the environment is not asked again: a script gets exit 3 at once.
	c.env["SATCHEL_PASSPHRASE"] = "not it at all"
	r := c.term(nil, yes, "seed", "show")
	if r.code != exitPassphrase || strings.Contains(r.err, "try again") {
		t.Fatalf("env passphrase: exit %d %q", r.code, r.err)
	}
}

func TestSeedWordSuggestions(t *testing.T) {
	for _, tc := range []struct {
		typed string
		first string
	}{
		{"rakc", "rack"},       // a swap of the last two letters
		{"abadnon", "abandon"}, // a swap in the middle
	} {
		err := &keys.UnknownWordError{Position: 1, Word: tc.typed}
		got := wordSuggestions(err)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("%q: suggestions %v, want %q first", tc.typed, got, tc.first)
		}
	}
}

func TestSeedWordSuggestionsOnlyOnATerminal(t *testing.T) {
	c := newCLI(t)
	words := strings.Replace(abandon, "about", "abotu", 1)
	r := c.run(words, "restore", "--json")
	code, msg := jsonError(t, r.err)
	if r.code != exitUsage || code != "unknown_word" || strings.Contains(msg, "about") || strings.Contains(msg, "did you mean") {
		t.Fatalf("restore from stdin: exit %d %s", r.code, r.err)
	}
	if !strings.Contains(msg, "word 12 ") {
		t.Fatalf("the position is not named: %s", msg)
	}
}

func TestInteractiveRestoreAsksAgainForTheBadWordOnly(t *testing.T) {
	c := newCLI(t)
	delete(c.env, "SATCHEL_PASSPHRASE")
	typed := strings.Replace(abandon, "abandon", "abadnon", 1) // word 1
	r := c.term([]string{typed, "abandon", "long enough pass", "long enough pass"}, func(string) string { return "" }, "restore", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if !strings.Contains(r.err, "Word #1 is not a BIP39 English word; did you mean abandon") {
		t.Fatalf("no suggestion for the bad word: %q", r.err)
	}
	if !strings.Contains(r.out, `"fingerprint": "73c5da0a"`) {
		t.Fatalf("restored the wrong wallet: %s", r.out)
	}
	// Giving up (an empty answer) reports the word and writes nothing.
	c2 := newCLI(t)
	delete(c2.env, "SATCHEL_PASSPHRASE")
	r = c2.term([]string{typed, ""}, func(string) string { return "" }, "restore")
	if r.code != exitUsage || !strings.Contains(r.err, "word 1 is not a BIP39 English word") {
		t.Fatalf("given up: exit %d %q", r.code, r.err)
	}
	if _, err := os.Stat(filepath.Join(c2.home, "regtest", "default")); err == nil {
		t.Fatal("a restore given up wrote a wallet")
	}
}

func TestInteractiveSeedVerifyNamesTheBadWord(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.term(nil, wordAnswer(abandon, true), "seed", "verify")
	if r.code != exitError || !regexp.MustCompile(`words #\d+, #\d+, #\d+ and #\d+ do not match`).MatchString(r.err) {
		t.Fatalf("four wrong words: exit %d %q", r.code, r.err)
	}
	// One wrong word: the first word asked (its position is random) is typed wrong, the rest right.
	right := wordAnswer(abandon, false)
	bad := 0
	r = c.term(nil, func(p string) string {
		var n int
		if _, err := fmt.Sscanf(p, "Word #%d:", &n); err == nil && (bad == 0 || bad == n) {
			bad = n
			return "zoo"
		}
		return right(p)
	}, "seed", "verify")
	if want := fmt.Sprintf("word #%d does not match", bad); bad == 0 || r.code != exitError || !strings.Contains(r.err, want) {
		t.Fatalf("one wrong word (#%d): exit %d %q", bad, r.code, r.err)
	}
	if strings.Contains(r.err, "zoo") {
		t.Fatal("the typed word was repeated")
	}
}

func TestCreateOffersTheWordsAgainAfterThreeFailedChecks(t *testing.T) {
	c := newCLI(t)
	delete(c.env, "SATCHEL_PASSPHRASE")
	right, wrong := wordAnswer(abandon, false), wordAnswer(abandon, true)
	shown := 0
	offered := false
	r := c.term([]string{"long enough pass", "long enough pass"}, func(p string) string {
		switch {
		case strings.HasPrefix(p, "Press Enter"):
			shown++
			return ""
		case strings.HasPrefix(p, "Show the words again"):
			offered = true
			return "y"
		case shown < 2:
			return wrong(p)
		}
		return right(p)
	}, "create")
	if r.code != 0 || !offered || shown != 2 {
		t.Fatalf("exit %d, offered %v, shown %d times: %s", r.code, offered, shown, r.err)
	}
	// Every word typed back is erased from the screen: one erase per answer (3 rounds of 3
	// wrong, then 3 right).
	if n := strings.Count(r.err, "\033[1A\r\033[2K"); n != 12 {
		t.Errorf("%d typed lines erased, want 12", n)
	}
	if !strings.Contains(r.err, clearScreen) {
		t.Error("the words were not cleared after Enter")
	}
}

func TestSeedShowClearsTheWordsAfterEnter(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.outTerm = true
	enter := false
	r := c.term(nil, func(p string) string {
		if strings.HasPrefix(p, "Press Enter to clear") {
			enter = true
		}
		return "y"
	}, "seed", "show")
	if r.code != 0 || !enter || !strings.HasSuffix(r.out, clearScreen) {
		t.Fatalf("exit %d, asked %v, out %q", r.code, enter, r.out)
	}
	// Redirected to a file, the words stay (that is what the redirect is for).
	c.outTerm = false
	r = c.term(nil, func(string) string { return "y" }, "seed", "show")
	if strings.Contains(r.out, clearScreen) {
		t.Fatal("cleared a redirected stdout")
	}
}

func TestPassphraseFileOthersCanReadIsRefused(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	pf := filepath.Join(t.TempDir(), "pass.txt")
	for _, tc := range []struct {
		name string
		mode os.FileMode
		code int
	}{
		{"owner only", 0o600, 0},
		{"read-only for the owner", 0o400, 0},
		{"group can read", 0o640, exitUsage},
		{"everyone can read", 0o644, exitUsage},
		{"others can write", 0o602, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(pf)
			if err := os.WriteFile(pf, []byte("test pass\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(pf, tc.mode); err != nil {
				t.Fatal(err)
			}
			r := c.run("", "seed", "show", "--json", "--passphrase-file", pf)
			if r.code != tc.code {
				t.Fatalf("mode %o: exit %d %s", tc.mode, r.code, r.err)
			}
			if tc.code != 0 && !strings.Contains(r.err, "chmod 600 "+pf) {
				t.Fatalf("the fix is not named: %s", r.err)
			}
		})
	}
}

func TestShortPassphraseWarns(t *testing.T) {
	c := newCLI(t)
	c.env["SATCHEL_PASSPHRASE"] = "short"
	r := c.mustRun("", "create", "--json")
	if !strings.Contains(r.err, `"code":"short_passphrase"`) {
		t.Fatalf("create with a 5-character passphrase: %q", r.err)
	}
	c.env["SATCHEL_NEW_PASSPHRASE"] = "tiny"
	r = c.mustRun("", "passphrase", "change")
	if !strings.Contains(r.err, "only 4 characters") {
		t.Fatalf("change to a 4-character passphrase: %q", r.err)
	}
	c.env["SATCHEL_PASSPHRASE"] = "tiny"
	c.env["SATCHEL_NEW_PASSPHRASE"] = "a good long passphrase"
	if r := c.mustRun("", "passphrase", "change"); strings.Contains(r.err, "short") || strings.Contains(r.err, "characters") {
		t.Fatalf("a long passphrase drew a warning: %q", r.err)
	}
}

func TestErrorsNeverNameWorkFolders(t *testing.T) {
	c, file := backupWallet(t)
	c.env["SATCHEL_PASSPHRASE"] = "not the passphrase"
	r := c.run("", "restore", "--from-backup", file, "--wallet", "laptop")
	if r.code != exitPassphrase {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	if strings.Contains(r.err, ".laptop.new-") || strings.Contains(r.err, ".new-") {
		t.Fatalf("the error names a work folder: %s", r.err)
	}
	// Nor the wallet folder that was never written: the keystore is the backup's.
	if strings.Contains(r.err, "laptop") || !strings.Contains(r.err, "wrong passphrase for the keystore in "+file) {
		t.Fatalf("the error does not name the backup: %s", r.err)
	}
}

// Every command that opens the keystore lets a mistyped passphrase be typed again on a
// terminal, not only seed show (backup export and restore --from-backup read it themselves).
func TestWrongPassphraseRetypedByEveryUnlockingCommand(t *testing.T) {
	c, file := backupWallet(t)
	addr := strings.TrimSpace(c.mustRun("", "receive", "--jq", ".address").out)
	delete(c.env, "SATCHEL_PASSPHRASE")
	yes := func(string) string { return "y" }
	for _, tc := range []struct {
		name    string
		secrets []string
		args    []string
	}{
		{"backup export", []string{"wrong", "test pass"}, []string{"backup", "export", filepath.Join(t.TempDir(), "again.backup")}},
		{"restore --from-backup", []string{"wrong", "test pass"}, []string{"restore", "--from-backup", file, "--wallet", "laptop"}},
		{"message sign", []string{"wrong", "test pass"}, []string{"sign-message", addr, "hello"}},
		{"passphrase change", []string{"wrong", "test pass", "a new long passphrase", "a new long passphrase"}, []string{"passphrase", "change"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.term(tc.secrets, yes, tc.args...)
			if r.code != 0 || strings.Count(r.err, "Wrong passphrase; try again.") != 1 {
				t.Fatalf("exit %d: %q", r.code, r.err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(c.home, "regtest", "laptop", "keystore.json")); err != nil {
		t.Fatalf("the restore after a retry wrote no wallet: %v", err)
	}
}

func TestSLIP39WordSuggestions(t *testing.T) {
	for _, tc := range []struct{ typed, first string }{
		{"acdi", "acid"},         // a swap of neighbouring letters
		{"acadmic", "academic"},  // a letter dropped
		{"acodemic", "academic"}, // a letter changed
	} {
		got := slip39Suggestions(tc.typed)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("%q: suggestions %v, want %q first", tc.typed, got, tc.first)
		}
	}
	if got := slip39Suggestions("zzzzzzzz"); len(got) != 0 {
		t.Errorf("nonsense got suggestions %v", got)
	}
}

// Sealing a new keystore runs the KDF as long as unlocking does: a terminal is told, and the
// line erased afterwards; a pipe gets nothing.
func TestEncryptingShownWhileTheKeystoreIsSealed(t *testing.T) {
	c := newCLI(t)
	delete(c.env, "SATCHEL_PASSPHRASE")
	enter := func(string) string { return "" }
	for _, tc := range []struct {
		name    string
		secrets []string
		args    []string
	}{
		{"restore", []string{abandon, "long enough pass", "long enough pass"}, []string{"restore", "--wallet", "r"}},
		{"passphrase change", []string{"long enough pass", "another long one", "another long one"}, []string{"passphrase", "change", "--wallet", "r"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.term(tc.secrets, enter, tc.args...)
			if r.code != 0 || !strings.Contains(r.err, "encrypting the seed...\r\033[K") {
				t.Fatalf("exit %d, stderr %q", r.code, r.err)
			}
		})
	}
	c.env["SATCHEL_PASSPHRASE"] = "another long one"
	if r := c.mustRun("", "passphrase", "change", "--wallet", "r", "--new-passphrase-file", writeSecretFile(t, "a third long one")); strings.Contains(r.err, "encrypting") {
		t.Fatalf("a pipe was shown the status: %q", r.err)
	}
}

func writeSecretFile(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(s+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A wrong passphrase from SATCHEL_PASSPHRASE or --passphrase-file fails at once with exit 3,
// even on a terminal: it is never asked for again (the prompt would be a different source) nor
// retried, and the passphrase given is not shown.
func TestWrongPassphraseFromFileOrEnvFailsAtOnce(t *testing.T) {
	c, file := backupWallet(t)
	addr := strings.TrimSpace(c.mustRun("", "receive", "--jq", ".address").out)
	passFile := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(passFile, []byte("wrong from the file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	yes := func(string) string { return "y" }
	for _, cmd := range [][]string{
		{"backup", "export", filepath.Join(t.TempDir(), "again.backup")},
		{"restore", "--from-backup", file, "--wallet", "laptop"},
		{"sign-message", addr, "hello"},
		{"passphrase", "change"},
		{"seed", "show", "--yes"},
	} {
		for _, source := range []string{"env", "file"} {
			args := cmd
			if source == "env" {
				c.env["SATCHEL_PASSPHRASE"] = "wrong from the environment"
			} else {
				delete(c.env, "SATCHEL_PASSPHRASE")
				args = append(append([]string{}, cmd...), "--passphrase-file", passFile)
			}
			// No secrets to give: a prompt fails the run with another code.
			r := c.term(nil, yes, args...)
			if r.code != exitPassphrase || strings.Contains(r.err, "try again") || strings.Contains(r.err, "tried") ||
				strings.Contains(r.err, "wrong from") {
				t.Errorf("%v (%s): exit %d %q", cmd, source, r.code, r.err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(c.home, "regtest", "laptop")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed restore left a wallet folder: %v", err)
	}
}
