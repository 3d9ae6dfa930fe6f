package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const setupData = "../../testdata/setupfile/"

func readSetupFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(setupData + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSetupConvert converts the library's golden files into one another through the command
// line: the output is the other golden file byte for byte (the regtest network comes from
// SATCHEL_NETWORK for formats that do not carry it, and the name from --name).
func TestSetupConvert(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		from, to, want string
		args           []string
	}{
		{"2of3.descriptor", "caravan", "2of3.caravan.json", []string{"--name", "tips vault"}},
		{"2of3.descriptor", "coldcard", "2of3.coldcard.txt", []string{"--name", "tips vault"}},
		{"2of3.caravan.json", "descriptor", "2of3.descriptor", nil},
		{"2of3.coldcard.txt", "caravan", "2of3.caravan.json", nil},
		{"2of3.bsms", "descriptor", "2of3.descriptor", nil},
		{"in-sparrow.txt", "descriptor", "2of3.descriptor", nil},
		{"in-two-descriptors.txt", "descriptor", "2of3.descriptor", nil},
	} {
		t.Run(tc.from+" to "+tc.to, func(t *testing.T) {
			args := append([]string{"setup", "convert", setupData + tc.from, "--to", tc.to}, tc.args...)
			r := c.mustRun("", args...)
			if want := readSetupFile(t, tc.want); r.out != want {
				t.Fatalf("got:\n%s\nwant:\n%s", r.out, want)
			}
		})
	}
	// stdin works as a file; a BSMS record read without the wallet's derivation warns.
	r := c.mustRun(readSetupFile(t, "2of3.bsms"), "setup", "convert", "-", "--to", "descriptor")
	if !strings.Contains(r.err, "was not checked") {
		t.Fatalf("no unchecked-address warning: %q", r.err)
	}
}

func TestSetupConvertJSONGolden(t *testing.T) {
	c := newCLI(t)
	r := c.mustRun("", "setup", "convert", setupData+"in-caravan.json", "--json")
	c.golden("setup-convert.json", r.out)
	r = c.mustRun("", "setup", "convert", setupData+"2of3.coldcard.txt", "--to", "descriptor", "--json")
	c.golden("setup-convert-to-descriptor.json", r.out)
}

func TestSetupConvertRefused(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	coldcard := readSetupFile(t, "2of3.coldcard.txt")
	for _, tc := range []struct {
		name      string
		args      []string
		exit      int
		code, msg string
	}{
		{"unknown --to", []string{setupData + "2of3.descriptor", "--to", "electrum"}, exitUsage, "usage", "use one of"},
		{"missing file", []string{filepath.Join(dir, "none"), "--to", "caravan"}, exitUsage, "bad_file", "cannot read"},
		{"not a setup", []string{write("x.txt", "hello world"), "--to", "caravan"}, exitUsage, "bad_setup", "not a descriptor"},
		{"threshold above n", []string{write("p.txt", strings.Replace(coldcard, "2 of 3", "4 of 3", 1)), "--to", "caravan"}, exitUsage, "bad_setup", "threshold 4 with 3 keys"},
		{"P2SH", []string{write("s.txt", strings.Replace(coldcard, "Format: P2WSH", "Format: P2SH", 1)), "--to", "caravan"}, exitUsage, "unsupported_setup", "only P2WSH"},
		{"newline in --name", []string{setupData + "2of3.descriptor", "--to", "caravan", "--name", "a\nb"}, exitUsage, "bad_setup", "control character"},
		{"to bsms without derivation", []string{setupData + "2of3.descriptor", "--to", "bsms"}, exitError, "no_derivation", "first address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run("", append([]string{"setup", "convert", "--json"}, tc.args...)...)
			code, msg := jsonError(t, r.err)
			if r.code != tc.exit || code != tc.code || !strings.Contains(msg, tc.msg) || r.out != "" {
				t.Fatalf("exit %d code %s msg %q out %q", r.code, code, msg, r.out)
			}
		})
	}
	if r := c.run("", "setup", "convert", setupData+"2of3.descriptor"); r.code != exitUsage || !strings.Contains(r.err, "give --to") {
		t.Fatalf("no --to: exit %d %q", r.code, r.err)
	}
}
