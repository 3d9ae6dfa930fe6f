package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backupWallet makes a wallet with handed-out addresses, labels, a frozen coin and a setting,
// and exports its backup.
func backupWallet(t *testing.T) (*cli, string) {
	t.Helper()
	c := newCLI(t)
	c.mustRun("", "create", "--type", "wpkh")
	c.mustRun("", "receive", "--label", "tips")
	c.mustRun("", "receive")
	c.mustRun("", "label", "f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd", "rent")
	c.mustRun(`{"type":"output","ref":"f91d0a8a78462bc59398f2c5d7a84fcff491c26ba54c4833478b202796c8aafd:1","spendable":false}`,
		"labels", "import", "-")
	c.mustRun("", "config", "set", "gap-limit", "30")
	file := filepath.Join(t.TempDir(), "wallet.backup")
	r := c.mustRun("", "backup", "export", file, "--json")
	c.golden("backup-export.json", strings.ReplaceAll(r.out, filepath.Dir(file), "$TMP"))
	return c, file
}

func TestBackupExportRestoreRoundTrip(t *testing.T) {
	c, file := backupWallet(t)
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	// It is never overwritten by accident.
	before, _ := os.ReadFile(file)
	r := c.run("", "backup", "export", file, "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "file_exists" {
		t.Fatalf("second export: exit %d %s", r.code, r.err)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Fatal("a refused export changed the file")
	}
	c.mustRun("", "backup", "export", file, "--force")

	r = c.mustRun("", "restore", "--from-backup", file, "--wallet", "copy", "--json")
	c.golden("restore-from-backup.json", r.out)
	dir, copyDir := filepath.Join(c.home, "regtest", "default"), filepath.Join(c.home, "regtest", "copy")
	ks1, _ := os.ReadFile(filepath.Join(dir, "keystore.json"))
	ks2, _ := os.ReadFile(filepath.Join(copyDir, "keystore.json"))
	if !bytes.Equal(ks1, ks2) {
		t.Fatal("the keystore was not restored byte for byte")
	}
	for _, args := range [][]string{{"labels", "export", "--json"}, {"config", "get", "gap-limit", "--json"}, {"export", "descriptors"}} {
		a := c.mustRun("", args...).out
		b := c.mustRun("", append(args, "--wallet", "copy")...).out
		if a != b {
			t.Errorf("%v differs after restore:\n%s\n%s", args, a, b)
		}
	}
	// The restored wallet hands out the next address, not one the original gave already.
	if got := decodeJSON[receiveJSON](t, c.mustRun("", "receive", "--json", "--wallet", "copy").out); got.Index != 2 {
		t.Fatalf("restored wallet handed out index %d, want 2", got.Index)
	}
	// And its passphrase is the original's.
	c.mustRun("", "seed", "show", "--json", "--wallet", "copy")
}

func TestRestoreFromBackupRefuses(t *testing.T) {
	c, file := backupWallet(t)
	data, _ := os.ReadFile(file)
	write := func(name string, b []byte) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	var env struct {
		Format  string          `json:"format"`
		Version int             `json:"version"`
		SHA256  string          `json:"sha256"`
		HMAC    string          `json:"hmac_sha256,omitempty"`
		Body    json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	// A keystore edited inside a backup whose checksum was redone: the keystore's own
	// integrity check refuses it.
	var body map[string]any
	json.Unmarshal(env.Body, &body)
	ks, _ := base64.StdEncoding.DecodeString(body["keystore"].(string))
	ks[len(ks)/3] ^= 0x20
	body["keystore"] = base64.StdEncoding.EncodeToString(ks)
	env.Body, _ = json.Marshal(body)
	sum := sha256.Sum256(env.Body)
	env.SHA256 = hex.EncodeToString(sum[:])
	forged, _ := json.Marshal(env)
	// What the review did: the backend and fee target edited and the checksum redone. Only the
	// passphrase could redo the authentication code.
	json.Unmarshal(data, &env)
	json.Unmarshal(env.Body, &body)
	body["files"] = map[string]any{"config.toml": "backend = \"https://evil.example/api\"\nfee-target = 1\n"}
	env.Body, _ = json.Marshal(body)
	sum = sha256.Sum256(env.Body)
	env.SHA256 = hex.EncodeToString(sum[:])
	settings, _ := json.Marshal(env)

	for _, tc := range []struct {
		name, file string
		env        map[string]string
		args       []string
		exit       int
		code       string
	}{
		{"wrong passphrase", file, map[string]string{"SATCHEL_PASSPHRASE": "wrong"}, nil, exitPassphrase, "wrong_passphrase"},
		{"truncated", write("t", data[:len(data)-200]), nil, nil, exitUsage, "bad_backup"},
		{"edited label", write("e", bytes.Replace(data, []byte("tips"), []byte("tipz"), 1)), nil, nil, exitUsage, "bad_backup"},
		{"keystore edited inside", write("k", bytes.Replace(data, []byte(body["keystore"].(string)[:40]), []byte(strings.Repeat("A", 40)), 1)), nil, nil, exitUsage, "bad_backup"},
		{"keystore edited, checksum redone", write("f", forged), nil, nil, exitError, "keystore_damaged"},
		{"settings edited, checksum redone", write("s", settings), nil, nil, exitUsage, "bad_backup"},
		{"not a backup", write("n", []byte("hello")), nil, nil, exitUsage, "bad_backup"},
		{"missing file", filepath.Join(t.TempDir(), "nope"), nil, nil, exitUsage, "bad_backup"},
		{"other network", file, nil, []string{"--network", "testnet"}, exitUsage, "wrong_network"},
		{"with --type", file, nil, []string{"--type", "tr"}, exitUsage, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				old := c.env[k]
				c.env[k] = v
				defer func() { c.env[k] = old }()
			}
			r := c.run("", append([]string{"restore", "--from-backup", tc.file, "--wallet", "copy", "--json"}, tc.args...)...)
			if r.code != tc.exit {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.exit, r.err)
			}
			if code, msg := jsonError(t, r.err); code != tc.code {
				t.Fatalf("code %s, want %s: %s", code, tc.code, msg)
			}
			for _, net := range []string{"regtest", "testnet"} {
				if _, err := os.Stat(filepath.Join(c.home, net, "copy")); err == nil {
					t.Fatal("a refused restore wrote a wallet")
				}
			}
		})
	}
	// Into an existing wallet: refused, and the existing one is untouched.
	r := c.run("", "restore", "--from-backup", file, "--json")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "wallet_exists" {
		t.Fatalf("restore over a wallet: exit %d %s", r.code, r.err)
	}
}

// A watch-only wallet has no keystore: its backup holds none and restores without a passphrase.
func TestBackupWatchOnlyRoundTrip(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--type", "wpkh", "--wallet", "hot")
	vpub := decodeJSON[xpubOut](t, c.mustRun("", "export", "xpub", "--slip132", "--json", "--wallet", "hot").out).Xpub
	c.mustRun("", "create", "--watch-only", "--xpub", vpub, "--fingerprint", "73c5da0a", "--wallet", "watch")
	c.mustRun("", "receive", "--label", "watched", "--wallet", "watch")
	file := filepath.Join(t.TempDir(), "watch.backup")
	c.mustRun("", "backup", "export", file, "--wallet", "watch")
	delete(c.env, "SATCHEL_PASSPHRASE")
	c.mustRun("", "restore", "--from-backup", file, "--wallet", "watch2")
	a := c.mustRun("", "labels", "export", "--wallet", "watch").out
	b := c.mustRun("", "labels", "export", "--wallet", "watch2").out
	if a != b || !strings.Contains(b, "watched") {
		t.Fatalf("labels %q vs %q", a, b)
	}
	if _, err := os.Stat(filepath.Join(c.home, "regtest", "watch2", "keystore.json")); err == nil {
		t.Fatal("a watch-only restore wrote a keystore")
	}
}

// A backup leaves out the password of a backend URL unless --with-secrets, says so, and keeps
// everything else of the config; a version 1 backup restores with a warning that nothing
// vouches for it.
func TestBackupSecretsAndOldFormat(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create", "--type", "wpkh")
	c.mustRun("", "config", "set", "backend", "btcd://alice:hunter2@127.0.0.1:18334")
	c.mustRun("", "config", "set", "gap-limit", "30")
	dir := t.TempDir()
	plain, secret := filepath.Join(dir, "plain.backup"), filepath.Join(dir, "secret.backup")
	r := c.mustRun("", "backup", "export", plain, "--json")
	if !strings.Contains(r.err, "secrets_left_out") || !strings.Contains(r.err, "backend") {
		t.Fatalf("no warning about the password: %s", r.err)
	}
	if data, _ := os.ReadFile(plain); bytes.Contains(data, []byte("hunter2")) {
		t.Fatal("the password is in the backup")
	}
	c.mustRun("", "backup", "export", secret, "--with-secrets")
	if data, _ := os.ReadFile(secret); !bytes.Contains(data, []byte("hunter2")) {
		t.Fatal("--with-secrets left the password out")
	}
	r = c.mustRun("", "restore", "--from-backup", plain, "--wallet", "copy", "--json")
	if strings.Contains(r.err, "unauthenticated_backup") {
		t.Fatalf("a fresh backup restored with a warning: %s", r.err)
	}
	if got := c.mustRun("", "config", "get", "gap-limit", "--wallet", "copy").out; strings.TrimSpace(got) != "30" {
		t.Fatalf("gap-limit after restore %q", got)
	}

	// The same file as version 1 (no authentication code): restored, with a warning.
	data, _ := os.ReadFile(plain)
	var env map[string]json.RawMessage
	json.Unmarshal(data, &env)
	delete(env, "hmac_sha256")
	env["version"] = json.RawMessage("1")
	old, _ := json.Marshal(env)
	oldFile := filepath.Join(dir, "old.backup")
	os.WriteFile(oldFile, old, 0o600)
	r = c.mustRun("", "restore", "--from-backup", oldFile, "--wallet", "old", "--json")
	if !strings.Contains(r.err, "unauthenticated_backup") || !strings.Contains(r.err, "version 1") {
		t.Fatalf("no warning for a version 1 backup: %s", r.err)
	}
}

// FuzzStripURLPasswords: what a backup keeps of a config.toml never holds a URL with a
// password, still reads as TOML, and stripping again changes nothing.
func FuzzStripURLPasswords(f *testing.F) {
	f.Add("backend = \"btcd://u:hunter2@127.0.0.1:8334\"\ngap-limit = 30\n")
	f.Add("proxy = \"socks5://a:b@127.0.0.1:9050\"\n")
	f.Add("backend = \"https://example.com/api\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		out, dropped, err := stripURLPasswords(in)
		if err != nil {
			return
		}
		if len(dropped) == 0 && out != in {
			t.Fatal("a file without passwords changed")
		}
		again, more, err := stripURLPasswords(out)
		if err != nil || len(more) != 0 || again != out {
			t.Fatalf("not idempotent: %v %v", more, err)
		}
	})
}
