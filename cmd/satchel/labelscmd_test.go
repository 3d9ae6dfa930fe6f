package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tx1 = "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd"

func TestLabelsExportImportRoundTrip(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.mustRun("", "receive", "--label", "tips from the blog")
	c.mustRun("", "label", tx1, "rent")
	in := strings.Join([]string{
		`{"type":"output","ref":"` + tx1 + `:1","label":"cold storage","spendable":false}`,
		`{"type":"output","ref":"` + tx1 + `:2","spendable":false}`,
		`{"type":"input","ref":"` + tx1 + `:0","label":"ignored"}`,
		`{"type":"something-new","ref":"x","label":"ignored"}`,
	}, "\n")
	r := c.mustRun(in, "labels", "import", "-", "--json")
	c.golden("labels-import.json", r.out)
	if !strings.Contains(r.err, "line 3: input record skipped") || !strings.Contains(r.err, "line 4: something-new record skipped") {
		t.Fatalf("no warnings for skipped records: %q", r.err)
	}
	lines := c.mustRun("", "labels", "export").out
	c.golden("labels-export.jsonl", lines)
	c.golden("labels-export.json", c.mustRun("", "labels", "export", "--json").out)

	file := filepath.Join(t.TempDir(), "labels.jsonl")
	c.mustRun("", "labels", "export", file)
	if b, _ := os.ReadFile(file); string(b) != lines {
		t.Fatalf("file %q differs from stdout %q", b, lines)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %o", fi.Mode().Perm())
	}
	if r := c.run("", "labels", "export", file, "--json"); r.code != exitUsage {
		t.Fatalf("overwrite without --force: exit %d", r.code)
	}
	c.mustRun("", "labels", "export", file, "--force")

	// Another wallet of the same seed takes the file and exports the same lines.
	c.mustRun("", "create", "--wallet", "other")
	c.receiveAddr("other")
	c.mustRun("", "labels", "import", file, "--wallet", "other")
	if got := c.mustRun("", "labels", "export", "--wallet", "other").out; got != lines {
		t.Fatalf("round trip differs:\n%s\nwant\n%s", got, lines)
	}
	// Frozen coins came across: the utxos view and balance use the frozen flags.
	if !strings.Contains(lines, `"spendable":false`) {
		t.Fatal("frozen coins are not exported")
	}
}

func TestLabelsImportAllOrNothing(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	db := filepath.Join(c.home, "regtest", "default", "wallet.db")
	for _, tc := range []struct{ name, bad, msg string }{
		{"not JSON", `{"type":"tx",`, "line 3"},
		{"spendable as text", `{"type":"output","ref":"` + tx1 + `:1","spendable":"false"}`, "true or false"},
		{"mainnet address", `{"type":"addr","ref":"bc1q34aq5drpuwy3wgl9lhup9892qp6svr8ldzyy7c","label":"x"}`, "line 3"},
		{"short txid", `{"type":"tx","ref":"abc","label":"x"}`, "64-digit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(db)
			in := `{"type":"tx","ref":"` + tx1 + `","label":"rent"}` + "\n\n" + tc.bad + "\n"
			r := c.run(in, "labels", "import", "-", "--json")
			if r.code != exitUsage || r.out != "" {
				t.Fatalf("exit %d %q %s", r.code, r.out, r.err)
			}
			code, msg := jsonError(t, r.err)
			if code != "bad_labels" || !strings.Contains(msg, "line 3") || !strings.Contains(msg, tc.msg) || !strings.Contains(msg, "nothing was imported") {
				t.Fatalf("%s: %s", code, msg)
			}
			if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
				t.Fatal("a refused import changed wallet.db")
			}
		})
	}
	if r := c.run("", "labels", "import", filepath.Join(t.TempDir(), "missing"), "--json"); r.code != exitUsage {
		t.Fatalf("missing file: exit %d", r.code)
	}
	if out := c.mustRun("", "labels", "export", "--json").out; strings.TrimSpace(out) != "[]" {
		t.Fatalf("labels after refused imports: %s", out)
	}
}

// A record whose origin names another wallet's account (a Sparrow file of several wallets) is
// skipped with a warning that names its line, the rest applies; every exported record says
// which account it belongs to.
func TestLabelsImportSkipsAnotherAccount(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	in := strings.Join([]string{
		`{"type":"tx","ref":"` + tx1 + `","label":"theirs","origin":"wpkh([d34db33f/84'/0'/0'])"}`,
		`{"type":"output","ref":"` + tx1 + `:1","label":"ours","origin":"tr([73c5da0a/86'/1'/0'])","spendable":false}`,
		`{"type":"output","ref":"` + tx1 + `:2","label":"no origin"}`,
	}, "\n")
	r := c.mustRun(in, "labels", "import", "-")
	if !strings.Contains(r.err, "warning: line 1: tx record skipped: its origin wpkh([d34db33f/84'/0'/0']) is another wallet's account") {
		t.Fatalf("no warning for the other account's record: %q", r.err)
	}
	r = c.mustRun(in, "labels", "import", "-", "--json")
	if !strings.Contains(r.err, `"code":"label_skipped"`) {
		t.Fatalf("--json warning: %q", r.err)
	}
	out := c.mustRun("", "labels", "export").out
	if strings.Contains(out, "theirs") || !strings.Contains(out, `"label":"ours"`) || !strings.Contains(out, `"label":"no origin"`) {
		t.Fatalf("export after import:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.Contains(l, `"origin":"tr([73c5da0a/86h/1h/0h])"`) {
			t.Errorf("a record without this wallet's origin: %s", l)
		}
	}
}

// A multisig wallet's records name all its keys (BIP329's origin for wsh(sortedmulti)), and an
// import matches them whatever the order of the cosigners or the spelling of hardened steps.
func TestLabelsMultisigOrigin(t *testing.T) {
	c := newCLI(t)
	ks := c.multisig3()
	c.mustRun("", "create", "--multisig", "2", "--cosigner", ks[1], "--cosigner", ks[2], "--wallet", "mc", "--json")
	c.mustRun("", "receive", "--label", "shop", "--wallet", "mc")
	c.mustRun("", "label", tx1, "rent", "--wallet", "mc")
	const origin = "wsh(sortedmulti(2,[b8688df1/48h/1h/0h/2h],[28645006/48h/1h/0h/2h],[73c5da0a/48h/1h/0h/2h]))"
	out := c.mustRun("", "labels", "export", "--wallet", "mc").out
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if !strings.Contains(l, `"origin":"`+origin+`"`) {
			t.Errorf("record without the multisig's origin: %s", l)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("export:\n%s", out)
	}
	in := strings.Join([]string{
		`{"type":"tx","ref":"` + tx1 + `","label":"reordered","origin":"wsh(sortedmulti(2,[73C5DA0A/48'/1'/0'/2'],[b8688df1/48'/1'/0'/2'],[28645006/48'/1'/0'/2']))"}`,
		`{"type":"tx","ref":"` + tx1 + `","label":"other keys","origin":"wsh(sortedmulti(2,[73c5da0a/48h/1h/0h/2h],[b8688df1/48h/1h/0h/2h]))"}`,
	}, "\n")
	r := c.mustRun(in, "labels", "import", "-", "--wallet", "mc")
	if !strings.Contains(r.err, "line 2: tx record skipped") || strings.Contains(r.err, "line 1:") {
		t.Fatalf("import warnings: %q", r.err)
	}
	if got := c.mustRun("", "labels", "export", "--wallet", "mc").out; !strings.Contains(got, `"label":"reordered"`) {
		t.Fatalf("the reordered origin did not apply:\n%s", got)
	}
}

// A watch-only wallet made from the bare xpub (no --fingerprint) takes the seed wallet's
// labels: its unknown fingerprint (00000000) matches any, the path must still.
func TestLabelsImportIntoWatchOnlyWithoutFingerprint(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	xpub := strings.TrimSpace(c.mustRun("", "export", "xpub").out)
	c.mustRun("", "label", tx1, "rent")
	labels := c.mustRun("", "labels", "export").out
	c.mustRun("", "create", "--watch-only", "--xpub", xpub, "--type", "tr", "--wallet", "wo")
	r := c.mustRun(labels, "labels", "import", "-", "--wallet", "wo")
	if strings.Contains(r.err, "skipped") || !strings.Contains(c.mustRun("", "labels", "export", "--wallet", "wo").out, `"label":"rent"`) {
		t.Fatalf("import into the watch-only wallet: %q", r.err)
	}
	other := `{"type":"tx","ref":"` + tx1 + `","label":"elsewhere","origin":"tr([73c5da0a/86h/1h/5h])"}`
	if r := c.mustRun(other, "labels", "import", "-", "--wallet", "wo"); !strings.Contains(r.err, "line 1: tx record skipped") {
		t.Fatalf("another account's path applied: %q", r.err)
	}
}
