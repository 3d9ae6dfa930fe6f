package wallet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

var backupTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// backupOf makes a wallet with handed-out addresses, labels and a frozen coin, and its backup.
func backupOf(t testing.TB, dir string) (*Wallet, []byte) {
	t.Helper()
	_, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: txbuilder.P2WPKH,
		Mnemonic: []byte(abandon), Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}, Now: backupTime})
	if err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := w.Receive("tip jar"); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := chainhash.NewHashFromStr(labelTxid)
	if err := w.SetLabel(LabelKeyTx(h.String()), "rent <& \"quotes\">"); err != nil {
		t.Fatal(err)
	}
	if err := w.st.Update(func(tx *store.Txn) error { return tx.SetFrozen(wire.OutPoint{Hash: *h, Index: 3}, true) }); err != nil {
		t.Fatal(err)
	}
	b, err := w.Backup(map[string]string{"config.toml": "backend = \"btcd://u:p@127.0.0.1:1\"\n"}, backupTime)
	if err != nil {
		t.Fatal(err)
	}
	key, err := w.BackupKey(testPass, cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	b.Authenticate(key)
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return w, data
}

func TestBackupRoundTrip(t *testing.T) {
	root := t.TempDir()
	w, data := backupOf(t, filepath.Join(root, "regtest", "a"))
	defer w.Close()
	b, err := ParseBackup(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "regtest", "b")
	res, err := RestoreBackup(context.Background(), RestoreBackupOptions{Dir: dir, Network: "regtest", Backup: b,
		Passphrase: testPass})
	if err != nil {
		t.Fatal(err)
	}
	if res.Fingerprint != "73c5da0a" || res.Receive != w.Descriptors()[0].Receive {
		t.Fatalf("restored %+v", res)
	}
	ks1, _ := os.ReadFile(w.KeystorePath())
	ks2, _ := os.ReadFile(filepath.Join(dir, KeystoreFile))
	if !bytes.Equal(ks1, ks2) {
		t.Fatal("keystore not restored byte for byte")
	}
	for _, name := range []string{KeystoreFile, store.FileName, "config.toml"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", name, fi, err)
		}
	}
	w2, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	var a1, a2 []store.Account
	var l1, l2 map[string]string
	var f1, f2 map[wire.OutPoint]bool
	w.st.View(func(tx *store.Txn) error { a1, _ = tx.Accounts(); l1, _ = tx.Labels(); f1 = tx.FrozenSet(); return nil })
	w2.st.View(func(tx *store.Txn) error { a2, _ = tx.Accounts(); l2, _ = tx.Labels(); f2 = tx.FrozenSet(); return nil })
	if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(l1, l2) || !reflect.DeepEqual(f1, f2) || len(l2) != 4 || len(f2) != 1 {
		t.Fatalf("store differs:\n%v\n%v\n%v\n%v\n%v\n%v", a1, a2, l1, l2, f1, f2)
	}
	if next, _ := w2.Receive(""); next.Index != 3 {
		t.Fatalf("restored wallet hands out index %d again, want 3", next.Index)
	}
	// Marshal of the parsed backup writes the same file.
	again, err := b.Marshal()
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("re-marshal differs (%v)", err)
	}
}

// resign recomputes a backup file's checksum after an edit, as a forger would (who cannot
// recompute the authentication code without the passphrase). envEdits change the envelope.
func resign(t *testing.T, data []byte, edit func(body map[string]any), envEdits ...func(*backupEnvelope)) []byte {
	t.Helper()
	var env backupEnvelope
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	for _, e := range envEdits {
		e(&env)
	}
	var body map[string]any
	if err := json.Unmarshal(env.Body, &body); err != nil {
		t.Fatal(err)
	}
	edit(body)
	raw, _ := json.Marshal(body)
	sum := sha256.Sum256(raw)
	env.Body, env.SHA256 = raw, hex.EncodeToString(sum[:])
	out, _ := json.Marshal(env)
	return out
}

func TestBackupRefusesDamage(t *testing.T) {
	root := t.TempDir()
	w, data := backupOf(t, filepath.Join(root, "regtest", "a"))
	w.Close()
	flipKeystore := func(body map[string]any) {
		ks, _ := base64.StdEncoding.DecodeString(body["keystore"].(string))
		ks[len(ks)/2] ^= 1
		body["keystore"] = base64.StdEncoding.EncodeToString(ks)
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		atParse bool
		is      error
	}{
		{"truncated", data[:len(data)/2], true, ErrBadBackup},
		{"empty", nil, true, ErrBadBackup},
		{"edited label", bytes.Replace(data, []byte("tip jar"), []byte("tip jaR"), 1), true, ErrBadBackup},
		{"edited keystore inside", resignNot(t, data, flipKeystore), true, ErrBadBackup},
		{"other format", bytes.Replace(data, []byte(`"satchel-backup"`), []byte(`"other-backup"`), 1), true, ErrBadBackup},
		{"newer version", bytes.Replace(data, []byte(`"version": 2`), []byte(`"version": 3`), 1), true, ErrBadBackup},
		{"authentication code removed", resign(t, data, func(map[string]any) {}, dropMAC), true, ErrBadBackup},
		{"backend and fee target edited, checksum redone", resign(t, data, func(b map[string]any) {
			b["files"] = map[string]any{"config.toml": "backend = \"https://evil.example/api\"\nfee-target = 1\n"}
		}), false, ErrBadBackup},
		{"label edited, checksum redone", resign(t, data, func(b map[string]any) {
			b["labels"].(map[string]any)["addr:x"] = "pay here"
		}), false, ErrBadBackup},
		{"unknown field", resign(t, data, func(b map[string]any) { b["extra"] = 1 }), true, ErrBadBackup},
		{"descriptor edited, checksum redone", resign(t, data, func(b map[string]any) {
			b["descriptors"] = []any{}
		}), true, ErrBadBackup},
		{"file named keystore", resign(t, data, func(b map[string]any) {
			b["files"] = map[string]any{"keystore.json": "x"}
		}), true, ErrBadBackup},
		{"keystore edited, checksum redone", resign(t, data, flipKeystore), false, keystore.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ParseBackup(tc.data)
			if tc.atParse {
				if !errors.Is(err, tc.is) {
					t.Fatalf("parse: %v, want %v", err, tc.is)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			dir := filepath.Join(root, "regtest", "r")
			_, err = RestoreBackup(context.Background(), RestoreBackupOptions{Dir: dir, Network: "regtest", Backup: b, Passphrase: testPass})
			if !errors.Is(err, tc.is) {
				t.Fatalf("restore: %v, want %v", err, tc.is)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("a refused restore left files")
			}
		})
	}
}

// dropMAC removes the authentication code.
func dropMAC(env *backupEnvelope) { env.HMAC = "" }

// downgrade makes the file look like a version 1 backup, which had no authentication code.
func downgrade(env *backupEnvelope) { env.HMAC, env.Version = "", 1 }

// A version 1 backup (or a newer one made to look like it) still restores, but says it is not
// authenticated, so the caller can warn; and once restored, nothing marks it authenticated.
func TestVersionOneBackupIsUnauthenticated(t *testing.T) {
	root := t.TempDir()
	w, data := backupOf(t, filepath.Join(root, "regtest", "a"))
	w.Close()
	good, err := ParseBackup(data)
	if err != nil || !good.Authenticated() || good.Version != BackupVersion {
		t.Fatalf("a fresh backup: %v, authenticated %v, version %d", err, good != nil && good.Authenticated(), good.Version)
	}
	old := resign(t, data, func(map[string]any) {}, downgrade)
	b, err := ParseBackup(old)
	if err != nil {
		t.Fatal(err)
	}
	if b.Authenticated() || b.Version != 1 {
		t.Fatalf("a version 1 file: authenticated %v, version %d", b.Authenticated(), b.Version)
	}
	if again, err := b.Marshal(); err != nil || !bytes.Contains(again, []byte(`"version": 1`)) {
		t.Fatalf("a version 1 file written again: %v", err)
	}
	if _, err := RestoreBackup(context.Background(), RestoreBackupOptions{Dir: filepath.Join(root, "regtest", "b"),
		Network: "regtest", Backup: b, Passphrase: testPass}); err != nil {
		t.Fatal(err)
	}
}

// resignNot applies an edit without fixing the checksum.
func resignNot(t *testing.T, data []byte, edit func(body map[string]any)) []byte {
	t.Helper()
	var env backupEnvelope
	json.Unmarshal(data, &env)
	fixed := resign(t, data, edit)
	var env2 backupEnvelope
	json.Unmarshal(fixed, &env2)
	env2.SHA256 = env.SHA256
	out, _ := json.Marshal(env2)
	return out
}

func TestRestoreBackupWrongPassphraseAndNetwork(t *testing.T) {
	root := t.TempDir()
	w, data := backupOf(t, filepath.Join(root, "regtest", "a"))
	w.Close()
	b, err := ParseBackup(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "regtest", "b")
	_, err = RestoreBackup(context.Background(), RestoreBackupOptions{Dir: dir, Network: "regtest", Backup: b, Passphrase: []byte("wrong")})
	if !errors.Is(err, keystore.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a wrong passphrase left files")
	}
	_, err = RestoreBackup(context.Background(), RestoreBackupOptions{Dir: filepath.Join(root, "testnet", "b"), Network: "testnet",
		Backup: b, Passphrase: testPass})
	if !errors.Is(err, ErrWrongNetwork) || !strings.Contains(err.Error(), "--network regtest") {
		t.Fatalf("wrong network: %v", err)
	}
}

// FuzzParseBackup: ParseBackup never panics, refuses only with ErrBadBackup, and what it
// accepts marshals to a file that parses to the same backup. Each input is tried as a whole
// file and, wrapped with a correct checksum, as a body, so the body's checks are reached too.
func FuzzParseBackup(f *testing.F) {
	w, data := backupOf(f, filepath.Join(f.TempDir(), "regtest", "a"))
	w.Close()
	var env backupEnvelope
	if err := json.Unmarshal(data, &env); err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(env.Body))
	f.Add([]byte(`{"format":"satchel-backup","version":1,"sha256":"","body":{}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		check := func(in []byte) {
			b, err := ParseBackup(in)
			if err != nil {
				if !errors.Is(err, ErrBadBackup) {
					t.Fatalf("error %v is not ErrBadBackup", err)
				}
				return
			}
			out, err := b.Marshal()
			if err != nil {
				t.Fatalf("accepted backup does not marshal: %v", err)
			}
			b2, err := ParseBackup(out)
			if err != nil {
				t.Fatalf("marshalled backup does not parse: %v", err)
			}
			if !reflect.DeepEqual(b, b2) {
				t.Fatalf("round trip differs:\n%+v\n%+v", b, b2)
			}
		}
		check(in)
		var body bytes.Buffer
		if json.Compact(&body, in) == nil {
			sum := sha256.Sum256(body.Bytes())
			wrapped, err := json.Marshal(backupEnvelope{Format: BackupFormat, Version: BackupVersion,
				SHA256: hex.EncodeToString(sum[:]), Body: body.Bytes()})
			if err == nil {
				check(wrapped)
			}
		}
	})
}

// A backup file whose labels hold control characters (a hand-made or hostile file) restores
// them cleaned: nothing in the store can drive a terminal or break the BIP329 export.
func TestRestoreBackupCleansLabels(t *testing.T) {
	root := t.TempDir()
	w, data := backupOf(t, filepath.Join(root, "regtest", "a"))
	defer w.Close()
	b, err := ParseBackup(data)
	if err != nil {
		t.Fatal(err)
	}
	for k := range b.Labels {
		b.Labels[k] = "a\x1b]0;PWNED\x07\x1b[2Jb\nc"
	}
	dir := filepath.Join(root, "regtest", "b")
	if _, err := RestoreBackup(context.Background(), RestoreBackupOptions{Dir: dir, Network: "regtest", Backup: b, Passphrase: testPass}); err != nil {
		t.Fatal(err)
	}
	w2, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	var labels map[string]string
	w2.st.View(func(tx *store.Txn) error { labels, _ = tx.Labels(); return nil })
	for k, v := range labels {
		if err := CheckLabel(v); err != nil || v != "a ]0;PWNED  [2Jb c" {
			t.Fatalf("%s restored as %q: %v", k, v, err)
		}
	}
	recs, err := w2.LabelRecords()
	if err != nil || len(recs) < len(labels) {
		t.Fatalf("export keeps %d of %d labels: %v", len(recs), len(labels), err)
	}
}

// A backup is never written that restore would refuse for its size: with the limit just
// below a wallet's backup, Marshal refuses (naming the labels); at its size, the file it
// writes is read back.
func TestBackupTooLargeIsNotWritten(t *testing.T) {
	w, data := backupOf(t, filepath.Join(t.TempDir(), "regtest", "a"))
	defer w.Close()
	b, err := ParseBackup(data)
	if err != nil {
		t.Fatal(err)
	}
	old := backupLimit
	defer func() { backupLimit = old }()

	backupLimit = len(data) - 1
	out, err := b.Marshal()
	if !errors.Is(err, ErrBackupTooLarge) || out != nil || !strings.Contains(err.Error(), "4 labels: keep them apart with satchel labels export FILE") {
		t.Fatalf("Marshal over the limit: %d bytes, %v", len(out), err)
	}
	if _, err := ParseBackup(data); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("ParseBackup over the limit: %v", err)
	}

	backupLimit = len(data)
	if out, err = b.Marshal(); err != nil || !bytes.Equal(out, data) {
		t.Fatalf("Marshal at the limit: %v", err)
	}
	if _, err := ParseBackup(out); err != nil {
		t.Fatalf("ParseBackup at the limit: %v", err)
	}
}

type recordLabels struct{ keys, texts []string }

func (r *recordLabels) SetLabel(k, v string) error {
	r.keys, r.texts = append(r.keys, k), append(r.texts, v)
	return nil
}

// A restore writes a backup's labels in key order (in a map's order, 500,000 labels took
// bbolt two and a half minutes), cleaned of control characters.
func TestRestorePutsLabelsInKeyOrder(t *testing.T) {
	labels := map[string]string{}
	for i := range 200 {
		labels[fmt.Sprintf("tx:%064x", (i*7919)%200)] = fmt.Sprintf("l%d", i)
	}
	labels["addr:bcrt1qzzz"] = "two\nlines"
	var r recordLabels
	if err := putLabelsInOrder(&r, labels); err != nil {
		t.Fatal(err)
	}
	if len(r.keys) != len(labels) || !slices.IsSorted(r.keys) {
		t.Fatalf("%d labels put, in key order: %v", len(r.keys), slices.IsSorted(r.keys))
	}
	if got := r.texts[0]; r.keys[0] != "addr:bcrt1qzzz" || strings.ContainsAny(got, "\n") {
		t.Fatalf("first label %q = %q, want it cleaned", r.keys[0], got)
	}
}
