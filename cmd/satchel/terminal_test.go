package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/keystore"
)

// term runs satchel as if on a terminal: secrets come from secrets in order, and visible
// prompts are answered by answer.
func (c *cli) term(secrets []string, answer func(prompt string) string, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	a := &App{
		In: strings.NewReader(""), Out: &out, Err: &errb, InTerm: true, ErrTerm: true, OutTerm: c.outTerm,
		Getenv:   func(k string) string { return c.env[k] },
		Now:      func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
		Entropy:  zeroReader{},
		Keystore: []keystore.Option{keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})},
		Dial:     c.dial,
	}
	a.ReadSecret = func(prompt string) ([]byte, error) {
		if len(secrets) == 0 {
			return nil, fmt.Errorf("unexpected secret prompt %q", prompt)
		}
		s := secrets[0]
		secrets = secrets[1:]
		return []byte(s), nil
	}
	a.ReadLine = func(prompt string) (string, error) { return answer(prompt), nil }
	code := run(a, args)
	c.checkOutput(args, out.String(), errb.String())
	return result{out: out.String(), err: errb.String(), code: code}
}

// wordAnswer answers "Word #N: " prompts from a mnemonic, and anything else with "".
func wordAnswer(mnemonic string, wrong bool) func(string) string {
	words := strings.Fields(mnemonic)
	return func(p string) string {
		var n int
		if _, err := fmt.Sscanf(p, "Word #%d:", &n); err == nil {
			if wrong {
				return "zoo"
			}
			return words[n-1][:4] // four letters are enough
		}
		return ""
	}
}

func TestInteractiveCreateChecksTheBackup(t *testing.T) {
	c := newCLI(t)
	delete(c.env, "SATCHEL_PASSPHRASE")
	dir := filepath.Join(c.home, "regtest", "default")

	r := c.term([]string{"pw1", "pw1"}, wordAnswer(abandon, true), "create")
	if r.code != exitUsage || !strings.Contains(r.err, "nothing was written") {
		t.Fatalf("wrong words: exit %d %s", r.code, r.err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("a failed backup check wrote the wallet")
	}
	if !strings.Contains(r.err, " 1. abandon") || strings.Contains(r.out, "abandon") {
		t.Fatalf("words must be shown numbered on the terminal (stderr), not on stdout: %q / %q", r.err, r.out)
	}

	r = c.term([]string{"pw1", "different", "pw1", "pw1"}, wordAnswer(abandon, false), "create")
	if r.code != 0 {
		t.Fatalf("right words: exit %d %s", r.code, r.err)
	}
	if !strings.Contains(r.err, "differ") {
		t.Fatal("mismatched passphrase entries were not reported")
	}
	// The passphrase typed at the prompt opens the keystore.
	c.env["SATCHEL_PASSPHRASE"] = "pw1"
	c.mustRun("", "seed", "show", "--json")
}

func TestSeedShowAsksOnATerminal(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	r := c.term(nil, func(string) string { return "n" }, "seed", "show")
	if r.code != exitError || strings.Contains(r.out+r.err, "abandon") {
		t.Fatalf("declined: exit %d %q", r.code, r.out)
	}
	r = c.term(nil, func(string) string { return "y" }, "seed", "show")
	if r.code != 0 || !strings.Contains(r.out, " 1. abandon") {
		t.Fatalf("accepted: exit %d %q %q", r.code, r.out, r.err)
	}
}

func TestSeedVerifyAsksFourWords(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	asked := 0
	r := c.term(nil, func(p string) string { asked++; return wordAnswer(abandon, false)(p) }, "seed", "verify")
	if r.code != 0 || asked != 4 {
		t.Fatalf("exit %d after %d questions: %s", r.code, asked, r.err)
	}
	r = c.term(nil, wordAnswer(abandon, true), "seed", "verify")
	if r.code != exitError {
		t.Fatalf("wrong words: exit %d", r.code)
	}
}

// shareAnswer answers "Share M of N, word #K: " prompts (and the group form) from the shares
// that --json printed for the same entropy, and anything else with "".
func shareAnswer(shares [][]string, wrongShare int) func(string) string {
	return func(p string) string {
		i := strings.Index(p, ", word #")
		if i < 0 {
			return ""
		}
		var k, m, n, g, gn int
		if _, err := fmt.Sscanf(p[i:], ", word #%d:", &k); err != nil {
			return ""
		}
		gi := 0
		if _, err := fmt.Sscanf(p, "Group %d of %d, share %d of %d", &g, &gn, &m, &n); err == nil {
			gi = g - 1
		} else if _, err := fmt.Sscanf(p, "Share %d of %d", &m, &n); err != nil {
			return ""
		}
		if m == wrongShare {
			return "zoo"
		}
		return strings.Fields(shares[gi][m-1])[k-1]
	}
}

func TestInteractiveCreateShamirAsksEachShareBack(t *testing.T) {
	c := newCLI(t)
	// The same (zero) entropy gives the same shares: --json shows what the terminal will.
	created := decodeJSON[shamirOut](t, c.mustRun("", "create", "--shamir", "2-of-3,1-of-1", "--group-threshold", "1", "--json", "--wallet", "shown").out)
	delete(c.env, "SATCHEL_PASSPHRASE")
	dir := filepath.Join(c.home, "regtest", "default")

	asked := 0
	count := func(f func(string) string) func(string) string {
		return func(p string) string {
			if strings.Contains(p, "word #") {
				asked++
			}
			return f(p)
		}
	}
	r := c.term([]string{"pw1", "pw1"}, count(shareAnswer(created.Shares, 2)), "create", "--shamir", "2-of-3,1-of-1", "--group-threshold", "1")
	if r.code != exitUsage || !strings.Contains(r.err, "group 1 of 2, share 2 of 3 three times; nothing was written") {
		t.Fatalf("a share copied wrong: exit %d %s", r.code, r.err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("a failed share check wrote the wallet")
	}
	// Share 1 passed (2 words), share 2 failed three times (6).
	if asked != 8 {
		t.Fatalf("%d words asked before giving up, want 8", asked)
	}

	// Asked to see it again, the share is shown once more and checked anew; right words then
	// write the wallet: 2 words of share 1, 6 failed and 2 right of share 2, 2 each of the
	// last two.
	asked, offered := 0, 0
	wrong, right := shareAnswer(created.Shares, 2), shareAnswer(created.Shares, 0)
	r = c.term([]string{"pw1", "pw1"}, func(p string) string {
		switch {
		case strings.HasPrefix(p, "Show this share again"):
			offered++
			return "y"
		case offered == 0:
			return count(wrong)(p)
		}
		return count(right)(p)
	}, "create", "--shamir", "2-of-3,1-of-1", "--group-threshold", "1")
	if r.code != 0 || offered != 1 || asked != 14 || strings.Count(r.err, "Group 1 of 2, share 2 of 3:") != 2 {
		t.Fatalf("shown again: exit %d, offered %d, %d words asked: %s", r.code, offered, asked, r.err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}

	asked = 0
	r = c.term([]string{"pw1", "pw1"}, count(shareAnswer(created.Shares, 0)), "create", "--shamir", "2-of-3,1-of-1", "--group-threshold", "1")
	if r.code != 0 || asked != 8 {
		t.Fatalf("right words: exit %d after %d words: %s", r.code, asked, r.err)
	}
	if strings.Contains(r.out, created.Shares[0][0]) {
		t.Fatal("shares shown on a terminal must not reach stdout")
	}
	// The wallet written is the one the shares restore.
	c.env["SATCHEL_PASSPHRASE"] = "pw1"
	if r := c.run(created.Shares[1][0], "seed", "verify", "--shamir", "--json"); r.code != 0 || !strings.Contains(r.out, `"match": true`) {
		t.Fatalf("seed verify with group 2's share: exit %d %s %s", r.code, r.out, r.err)
	}
}
