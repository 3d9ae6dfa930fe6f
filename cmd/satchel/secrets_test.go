package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every test that runs satchel goes through this check: no passphrase ever appears in its
// output, the test mnemonics only in the commands that exist to show them, private extended
// keys only in an explicit private export, and no file in the test's data folder holds any of
// them in clear.

var testMnemonics = []string{abandon, legal}

// showsSeed says whether a command line exists to print the seed words.
func showsSeed(args []string) bool {
	j := " " + strings.Join(args, " ") + " "
	return strings.Contains(j, " create ") || strings.Contains(j, " seed show ")
}

// showsPrivateKeys says whether a command line exists to print private keys.
func showsPrivateKeys(args []string) bool {
	j := " " + strings.Join(args, " ") + " "
	return strings.Contains(j, " --private")
}

func (c *cli) secrets() []string {
	var s []string
	for _, k := range []string{"SATCHEL_PASSPHRASE", "SATCHEL_NEW_PASSPHRASE", "SATCHEL_BIP39_PASSPHRASE"} {
		if v := c.env[k]; len(v) >= 6 { // short ones ("pw1") would match ordinary text
			s = append(s, v)
		}
	}
	return s
}

// checkOutput fails the test when a run printed a secret it should not have.
func (c *cli) checkOutput(args []string, out, errOut string) {
	c.t.Helper()
	all := out + errOut
	for _, p := range c.secrets() {
		if strings.Contains(all, p) {
			c.t.Errorf("satchel %v printed a passphrase", args)
		}
	}
	if !showsSeed(args) {
		for _, m := range testMnemonics {
			if strings.Contains(all, m) {
				c.t.Errorf("satchel %v printed a test mnemonic", args)
			}
		}
	}
	if !showsPrivateKeys(args) && (strings.Contains(all, "tprv8") || strings.Contains(all, "xprv9")) {
		c.t.Errorf("satchel %v printed a private extended key", args)
	}
}

// checkFiles fails the test when any file under the test's data folder holds a secret in clear.
func (c *cli) checkFiles() {
	c.t.Helper()
	needles := append([]string{"tprv8", "xprv9"}, c.secrets()...)
	needles = append(needles, testMnemonics...)
	_ = filepath.WalkDir(c.home, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				c.t.Errorf("%s holds a secret in clear (%.8q...)", path, n)
			}
		}
		return nil
	})
}

func TestSecretsCheckCatchesLeaks(t *testing.T) {
	ft := &testing.T{}
	c := &cli{t: ft, home: t.TempDir(), env: map[string]string{"SATCHEL_PASSPHRASE": "hunter22"}}
	c.checkOutput([]string{"balance"}, "the passphrase is hunter22", "")
	c.checkOutput([]string{"info"}, "", "words: "+abandon)
	os.WriteFile(filepath.Join(c.home, "leak"), []byte("tprv8ZgxMBicQKsPe..."), 0o600)
	c.checkFiles()
	if !ft.Failed() {
		t.Fatal("the secrets check let leaks through")
	}
	ok := &testing.T{}
	c.t = ok
	c.checkOutput([]string{"seed", "show"}, abandon, "")
	if ok.Failed() {
		t.Fatal("seed show must be allowed to print the words")
	}
}
