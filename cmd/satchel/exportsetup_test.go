package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zooSeed is the BIP39 English vector "zoo ... wrong": a seed that is none of the test 2-of-3's.
const zooSeed = "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong"

// exportSetupOut is the part of export setup --json the tests read.
type exportSetupOut struct {
	Format, Name, Network, Descriptor, Output, File string
	Threshold                                       int
	FirstAddress                                    string `json:"first_address"`
}

// TestExportSetupRoundTrip: a member's setup in each format makes a coordinator with the
// member's descriptor (same checksum) and the same first 5 addresses; Caravan and Coldcard
// files exported by that coordinator restore another member with the same descriptor again.
func TestExportSetupRoundTrip(t *testing.T) {
	c := newCLI(t)
	c.multisig3()
	dir := t.TempDir()
	m1 := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1").out)
	desc := m1.Multisig.Descriptor
	recv := satchelAddresses(t, m1.Descriptors.Receive, 5)
	c.golden("export-setup-bsms.json", c.mustRun("", "export", "setup", "--format", "bsms", "--wallet", "m1", "--json").out)
	for _, format := range []string{"descriptor", "bsms", "caravan", "coldcard"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(dir, "m1."+format)
			j := decodeJSON[exportSetupOut](t, c.mustRun("", "export", "setup", "--format", format, "--wallet", "m1",
				"--name", "vault", "--out", file, "--json").out)
			written, err := os.ReadFile(file)
			if err != nil || string(written) != j.Output || j.Descriptor != desc || j.FirstAddress != recv[0] || j.Threshold != 2 || j.Network != "regtest" {
				t.Fatalf("export %+v (file %q, %v), want descriptor %s first address %s", j, written, err, desc, recv[0])
			}
			if text := c.mustRun("", "export", "setup", "--format", format, "--wallet", "m1", "--name", "vault").out; text != j.Output {
				t.Fatalf("stdout %q, --out file %q", text, j.Output)
			}
			coord := "coord-" + format
			r := c.mustRun("", "create", "--watch-only", "--setup", file, "--wallet", coord)
			// A coordinator has no key of its own: its text says so rather than show 00000000.
			if !strings.Contains(r.out, "fingerprint:   none (a coordinator holds no key of its own)\n") ||
				!strings.Contains(c.mustRun("", "info", "--wallet", coord).out, "fingerprint:  none (a coordinator holds no key of its own)\n") {
				t.Fatalf("coordinator's fingerprint in text: %s", r.out)
			}
			co := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", coord).out)
			if !co.WatchOnly || co.Multisig == nil || co.Multisig.Descriptor != desc || co.Descriptors != m1.Descriptors {
				t.Fatalf("coordinator from %s: %+v, want %s", format, co, desc)
			}
			for i, want := range recv {
				if got := c.receiveAddr(coord); got != want {
					t.Fatalf("%s receive #%d = %s, member's %s", coord, i, got, want)
				}
			}
		})
	}
	// A coordinator's Caravan and Coldcard files restore members: seedB (m2's seed) and seedC.
	for i, tc := range []struct{ format, seed string }{{"caravan", seedB}, {"coldcard", seedC}} {
		t.Run("member from "+tc.format, func(t *testing.T) {
			file := filepath.Join(dir, "coord."+tc.format)
			c.mustRun("", "export", "setup", "--format", tc.format, "--wallet", "coord-descriptor", "--out", file)
			w := fmt.Sprintf("member-%d", i)
			c.mustRun(tc.seed+"\n", "restore", "--offline", "--multisig-setup", file, "--wallet", w)
			mi := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", w).out)
			if mi.WatchOnly || mi.Multisig == nil || mi.Multisig.Descriptor != desc {
				t.Fatalf("member from %s: %+v", tc.format, mi)
			}
			locals := 0
			for _, k := range mi.Multisig.Cosigners {
				if k.Local {
					locals++
				}
			}
			if locals != 1 {
				t.Fatalf("member from %s has %d own keys", tc.format, locals)
			}
			// Stdin as the setup: the coordinator reads a file piped in.
			c.mustRun(readFileT(t, file), "create", "--watch-only", "--setup", "-", "--wallet", "coord-stdin-"+tc.format)
		})
	}
}

// TestSetupEncryptedBSMS: an encrypted BSMS record (BIP129 STANDARD mode) makes a coordinator
// and restores a member with --token-file, and is refused without it.
func TestSetupEncryptedBSMS(t *testing.T) {
	c := newCLI(t)
	c.multisig3()
	dir := t.TempDir()
	token := filepath.Join(dir, "token.txt")
	if err := os.WriteFile(token, []byte("a54044308ceac9b7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "m1.bsms")
	c.mustRun("", "export", "setup", "--format", "bsms", "--wallet", "m1", "--out", plain)
	enc := filepath.Join(dir, "m1.dat")
	if err := os.WriteFile(enc, []byte(c.mustRun("", "setup", "convert", plain, "--to", "bsms", "--token-file", token).out), 0o600); err != nil {
		t.Fatal(err)
	}
	desc := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", "m1").out).Multisig.Descriptor
	if r := c.run("", "create", "--watch-only", "--setup", enc, "--wallet", "e0"); r.code != exitUsage || !strings.Contains(r.err, "--token-file") {
		t.Fatalf("without the token: exit %d %s", r.code, r.err)
	}
	c.mustRun("", "create", "--watch-only", "--setup", enc, "--token-file", token, "--wallet", "e1")
	c.mustRun(seedB+"\n", "restore", "--offline", "--multisig-setup", enc, "--token-file", token, "--wallet", "e2")
	for _, w := range []string{"e1", "e2"} {
		if mi := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", w).out); mi.Multisig == nil || mi.Multisig.Descriptor != desc {
			t.Fatalf("%s from the encrypted record: %+v", w, mi.Multisig)
		}
	}
}

func readFileT(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExportSetupRefused: a single-key wallet has no setup, a seed that is not a member is
// refused, flags that the file replaces are refused, a BSMS record with another first
// address is refused; nothing is created, and nothing but the error is printed.
func TestExportSetupRefused(t *testing.T) {
	c := newCLI(t)
	c.multisig3()
	dir := t.TempDir()
	bsms := filepath.Join(dir, "m1.bsms")
	c.mustRun("", "export", "setup", "--format", "bsms", "--wallet", "m1", "--out", bsms)
	record := readFileT(t, bsms)
	lines := strings.Split(strings.TrimSpace(record), "\n")
	other := c.receiveAddr("s1") // a regtest address that is not the multisig's
	tampered := filepath.Join(dir, "tampered.bsms")
	if err := os.WriteFile(tampered, []byte(strings.Replace(record, lines[3], other, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code, msg   string
	}{
		{"single-key export", "", []string{"export", "setup", "--wallet", "s1"}, "not_multisig", "one key"},
		{"unknown format", "", []string{"export", "setup", "--wallet", "m1", "--format", "electrum"}, "usage", "use one of"},
		{"existing --out", "", []string{"export", "setup", "--wallet", "m1", "--out", bsms}, "file_exists", "exists"},
		{"not a member", zooSeed + "\n", []string{"restore", "--offline", "--multisig-setup", bsms, "--wallet", "x1"}, "not_a_member", "is not one of the setup's 3 keys"},
		{"existing wallet", abandon + "\n", []string{"restore", "--offline", "--multisig-setup", bsms, "--wallet", "m1"}, "wallet_exists", "choose another --wallet name"},
		{"--multisig with a setup", abandon + "\n", []string{"restore", "--offline", "--multisig-setup", bsms, "--multisig", "2", "--wallet", "x2"}, "bad_flag", "gives M and the cosigners"},
		{"setup on stdin for restore", abandon + "\n", []string{"restore", "--offline", "--multisig-setup", "-", "--wallet", "x3"}, "usage", "not -"},
		{"first address mismatch", "", []string{"create", "--watch-only", "--setup", tampered, "--wallet", "x4"}, "first_address_mismatch", "first address"},
		{"first address mismatch, member", abandon + "\n", []string{"restore", "--offline", "--multisig-setup", tampered, "--wallet", "x5"}, "first_address_mismatch", "first address"},
		{"setup and descriptor", "", []string{"create", "--watch-only", "--setup", bsms, "--descriptor", "wsh(x)", "--wallet", "x6"}, "watch_only_key", "one of"},
		{"setup without --watch-only", "", []string{"create", "--setup", bsms, "--wallet", "x7"}, "watch_only_needed", "--watch-only"},
		{"another network", "", []string{"create", "--watch-only", "--setup", bsms, "--wallet", "x8", "--network", "signet"}, "wrong_network", "regtest"},
		{"token without an encrypted record", "", []string{"create", "--watch-only", "--setup", bsms, "--token-file", bsms, "--wallet", "x9"}, "usage", "encrypted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run(tc.stdin, append(tc.args, "--json")...)
			code, msg := jsonError(t, r.err)
			if r.code != exitUsage || code != tc.code || !strings.Contains(msg, tc.msg) || r.out != "" {
				t.Fatalf("exit %d code %s msg %q out %q", r.code, code, msg, r.out)
			}
			// A restore that fails says only why: the setup's summary is for a wallet that is made.
			if tc.args[0] == "restore" {
				r := c.run(tc.stdin, tc.args...)
				if r.out != "" || !strings.HasPrefix(r.err, "satchel: ") || strings.Count(r.err, "\n") != 1 {
					t.Fatalf("text: out %q err %q", r.out, r.err)
				}
			}
		})
	}
	if got := readFileT(t, bsms); got != record {
		t.Fatalf("--out over an existing file changed it")
	}
	for _, w := range []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"} {
		if r := c.run("", "info", "--wallet", w); r.code == 0 {
			t.Fatalf("wallet %s was created", w)
		}
	}
}

// TestCreateFromSetupGoldens: the setup library's golden files of one 2-of-3, in every format
// (and Sparrow's export), make coordinators whose descriptor is the golden descriptor, checksum
// included.
func TestCreateFromSetupGoldens(t *testing.T) {
	c := newCLI(t)
	want := strings.TrimSpace(readSetupFile(t, "2of3.descriptor"))
	for i, name := range []string{"2of3.descriptor", "2of3.bsms", "2of3.caravan.json", "2of3.coldcard.txt", "in-sparrow.txt", "in-two-descriptors.txt"} {
		t.Run(name, func(t *testing.T) {
			w := fmt.Sprintf("g%d", i)
			c.mustRun("", "create", "--watch-only", "--setup", setupData+name, "--wallet", w)
			co := decodeJSON[multisigInfo](t, c.mustRun("", "info", "--json", "--wallet", w).out)
			if co.Multisig == nil || co.Multisig.Descriptor != want {
				t.Fatalf("from %s: %+v, want %s", name, co.Multisig, want)
			}
		})
	}
}
