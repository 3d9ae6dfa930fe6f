package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/ur"
)

// These tests check satchel's URs against Keystone's own implementation
// (@keystonehq/bc-ur-registry 0.8.0 on @ngraveio/bc-ur, from npm), run by node on
// testdata/ur-interop/keystone.js. scripts/need-node-ur.sh installs it under .cache/npm-ur
// (make test and .ci/run call it). In CI a missing install fails the test; elsewhere the
// test is skipped with the command to run.

// keystone runs keystone.js with args and stdin, and returns its stdout.
func keystone(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(root, ".cache", "npm-ur", "node_modules")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(modules, "@keystonehq", "bc-ur-registry", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Keystone's UR library is not installed (%v): run bash scripts/need-node-ur.sh (.ci/run does)", err)
		}
		t.Skipf("Keystone's UR library is not installed (%v): run bash scripts/need-node-ur.sh", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join("testdata", "ur-interop", "keystone.js")}, args...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node keystone.js %v: %v\nstderr: %s", args, err, errb.String())
	}
	return out.String()
}

// TestURInteropKeystoneReadsSatchel: Keystone's decoder reads the 20-input PSBT from a
// random subset of satchel's parts, out of order, and gets the same bytes.
func TestURInteropKeystoneReadsSatchel(t *testing.T) {
	c := newCLI(t)
	raw := bigPSBT(t, 20)
	file := filepath.Join(t.TempDir(), "big.psbt")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	parts := urLines(t, c.mustRun("", "psbt", "show", "--qr", "--parts", "80", "--fragment-size", "150", file).out)
	rng := rand.New(rand.NewPCG(7, 18))
	for trial := range 5 {
		subset := append([]string(nil), parts...)
		rng.Shuffle(len(subset), func(i, j int) { subset[i], subset[j] = subset[j], subset[i] })
		subset = subset[:60]
		if trial%2 == 1 {
			for i := range subset {
				subset[i] = strings.ToUpper(subset[i])
			}
		}
		var got struct {
			PSBTHex   string `json:"psbt_hex"`
			PartsUsed int    `json:"parts_used"`
		}
		if err := json.Unmarshal([]byte(keystone(t, strings.Join(subset, "\n")+"\n", "decode")), &got); err != nil {
			t.Fatal(err)
		}
		if got.PSBTHex != hex.EncodeToString(raw) {
			t.Fatalf("trial %d: Keystone decoded %s", trial, got.PSBTHex)
		}
	}
	// The single-part form too.
	small := bigPSBT(t, 1)
	os.WriteFile(file, small, 0o600)
	one := c.mustRun("", "psbt", "show", "--qr", file).out
	if !strings.Contains(keystone(t, one, "decode"), hex.EncodeToString(small)) {
		t.Fatal("Keystone did not decode satchel's single-part UR")
	}
}

// TestURInteropSatchelReadsKeystone: satchel reads the PSBT back from a random subset of
// Keystone's parts; and both sides cut and mix the same message into the very same parts.
func TestURInteropSatchelReadsKeystone(t *testing.T) {
	c := newCLI(t)
	raw := bigPSBT(t, 20)
	parts := urLines(t, keystone(t, hex.EncodeToString(raw), "encode", "150", "80"))
	want := base64.StdEncoding.EncodeToString(raw)
	rng := rand.New(rand.NewPCG(18, 7))
	for trial := range 5 {
		subset := append([]string(nil), parts...)
		rng.Shuffle(len(subset), func(i, j int) { subset[i], subset[j] = subset[j], subset[i] })
		r := c.run(strings.Join(subset[:60], "\n")+"\n", "psbt", "import", "--ur")
		if r.code != 0 || strings.TrimSpace(r.out) != want {
			t.Fatalf("trial %d: exit %d, %s, stderr %s", trial, r.code, r.out, r.err)
		}
	}
	enc, err := ur.EncodePSBT(raw, 150)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range parts {
		if got := enc.NextPart(); got != p {
			t.Fatalf("part %d: satchel %s\nKeystone %s", i+1, got, p)
		}
	}
	// Keystone's single-part UR.
	small := bigPSBT(t, 1)
	one := keystone(t, hex.EncodeToString(small), "encode", "10000", "1")
	r := c.mustRun(one, "psbt", "import", "--ur")
	if strings.TrimSpace(r.out) != base64.StdEncoding.EncodeToString(small) {
		t.Fatalf("imported %s", r.out)
	}
}
