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
		In: strings.NewReader(""), Out: &out, Err: &errb, InTerm: true, ErrTerm: true,
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
