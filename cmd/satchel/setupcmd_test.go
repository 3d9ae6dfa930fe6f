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
		{"2of3.descriptor", "bsms", "2of3.bsms", nil},
		{"2of3.caravan.json", "bsms", "2of3.bsms", nil},
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
	// stdin works as a file; a BSMS record's first address is checked, with no warning.
	r := c.mustRun(readSetupFile(t, "2of3.bsms"), "setup", "convert", "-", "--to", "descriptor")
	if r.err != "" || r.out != readSetupFile(t, "2of3.descriptor") {
		t.Fatalf("stdin: out %q err %q", r.out, r.err)
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
		{"BSMS first address mismatch", []string{write("b.bsms", strings.Replace(readSetupFile(t, "2of3.bsms"),
			"bcrt1qkpad42v3wkkt9hfww7vs7udr72pm32vyz5kgphkjm5m3z57pgz0swjhzs8", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", 1)), "--to", "descriptor"},
			exitUsage, "first_address_mismatch", "first address"},
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

// TestSetupConvertEncryptedBSMS opens BIP129's STANDARD-mode descriptor record with its TOKEN
// from a file, and refuses it without one or with another.
func TestSetupConvertEncryptedBSMS(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	tokenFile := func(name, token string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(token+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dat := setupData + "bip129-standard.dat"
	for _, token := range []string{"a54044308ceac9b7", "11907592390080907703"} {
		r := c.mustRun("", "setup", "convert", dat, "--to", "descriptor", "--token-file", tokenFile("t", token))
		if !strings.HasPrefix(r.out, "wsh(sortedmulti(2,[b7868815/48h/0h/0h/2h]xpub6FA5rfxJc94K1kNtxRby1hoHwi7YDyTWwx1KUR3FwskaF6HzCbZMz3zQwGnCqdiFeMTPV3YneTGS2YQPiuNYsSvtggWWMQpEJD4jXU7ZzEh/<0;1>/*,[eedff89a/48h/0h/0h/2h]") {
			t.Fatalf("token %s: %q", token, r.out)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no token", []string{dat, "--to", "descriptor"}, "give --token-file"},
		{"wrong token", []string{dat, "--to", "descriptor", "--token-file", tokenFile("w", "0000000000000001")}, "does not open"},
		{"bad token", []string{dat, "--to", "descriptor", "--token-file", tokenFile("b", "hello")}, "16 or 32 hex digits"},
		{"token for a plain file", []string{setupData + "2of3.descriptor", "--to", "caravan", "--token-file", tokenFile("p", "a54044308ceac9b7")}, "is for encrypted BSMS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run("", append([]string{"setup", "convert", "--json"}, tc.args...)...)
			if code, msg := jsonError(t, r.err); r.code != exitUsage || !strings.Contains(msg, tc.msg) || r.out != "" {
				t.Fatalf("exit %d %s %q", r.code, code, msg)
			}
		})
	}
}
