package keystore

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileLines splits a keystore into its seven canonical lines.
func fileLines(t *testing.T, p string) []string {
	t.Helper()
	l := strings.Split(string(readFile(t, p)), "\n")
	if len(l) != 8 {
		t.Fatalf("%d lines", len(l))
	}
	return l
}

func TestChangePassphrase(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	before := fileLines(t, p)
	if err := ChangePassphrase(p, []byte(testPass), []byte("new pass"), WithKDF(cheap)); err != nil {
		t.Fatal(err)
	}
	_, _, err := Open(p, []byte(testPass))
	wantErr(t, err, ErrWrongPassphrase, p)
	s, info, err := Open(p, []byte("new pass"))
	if err != nil {
		t.Fatal(err)
	}
	sameSecret(t, s, bip39Secret())
	if info.Network != bip39Meta.Network || info.Fingerprint != bip39Meta.Fingerprint || info.KDFParams != cheap {
		t.Fatalf("info %+v", info)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after change, want 0600", st.Mode().Perm())
	}
	after := fileLines(t, p)
	// Only the KDF object (new salt), the wrapped key and the checksum may change.
	for i, changes := range []bool{false, false, true, true, false, true, false, false} {
		if (before[i] != after[i]) != changes {
			t.Errorf("line %d changed=%v, want %v:\n%s\n%s", i+1, before[i] != after[i], changes, before[i], after[i])
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Fatalf("leftovers in folder: %v", ents)
	}
}

func TestChangePassphraseKeepsOrSetsKDFCost(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	if err := ChangePassphrase(p, []byte(testPass), []byte("two")); err != nil {
		t.Fatal(err)
	}
	if info, _ := ReadInfo(p); info.KDFParams != cheap {
		t.Fatalf("without WithKDF the cost became %v, want the file's %v", info.KDFParams, cheap)
	}
	stronger := KDFParams{Time: 2, MemoryKiB: 128, Threads: 2}
	if err := ChangePassphrase(p, []byte("two"), []byte("three"), WithKDF(stronger)); err != nil {
		t.Fatal(err)
	}
	if info, _ := ReadInfo(p); info.KDFParams != stronger {
		t.Fatalf("cost %v, want %v", info.KDFParams, stronger)
	}
	if _, _, err := Open(p, []byte("three")); err != nil {
		t.Fatal(err)
	}
}

func TestChangePassphraseFailuresLeaveFileUntouched(t *testing.T) {
	tests := []struct {
		name  string
		old   string
		new   string
		opts  []Option
		class error
		frag  string
	}{
		{"wrong old passphrase", "nope", "new", nil, ErrWrongPassphrase, "wrong passphrase, or the keystore file"},
		{"empty new passphrase", testPass, "", nil, ErrInvalidInput, "empty new passphrase"},
		// The first line of a binary file given to --new-passphrase-file: no one could type it.
		{"binary new passphrase", testPass, "\x8f\xc3(\x01k", nil, ErrInvalidInput, "the new passphrase is not text (a binary file?)"},
		{"new passphrase with NUL", testPass, "pass\x00word", nil, ErrInvalidInput, "the new passphrase holds a control character"},
		{"new passphrase with escape", testPass, "pass\x1b[0mword", nil, ErrInvalidInput, "control character"},
		{"new cost too high", testPass, "new", []Option{WithKDF(KDFParams{Time: 1, MemoryKiB: 4 << 20, Threads: 1})}, ErrCostTooHigh, "exceeds"},
		{"new cost below minimum", testPass, "new", []Option{WithKDF(KDFParams{Time: 0, MemoryKiB: 64, Threads: 1})}, ErrInvalidInput, "time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newKeystore(t, bip39Meta, bip39Secret())
			old := readFile(t, p)
			err := ChangePassphrase(p, []byte(tt.old), []byte(tt.new), tt.opts...)
			wantErr(t, err, tt.class, tt.frag, p)
			if !bytes.Equal(readFile(t, p), old) {
				t.Fatal("the file changed")
			}
		})
	}
}

// TestChangePassphraseVerifiesBeforeReplacing sabotages the key derivation used when
// reopening the new file, as a disk or memory fault might: the verification must catch
// it, and the old file must stay as it was with no temporary file left behind.
func TestChangePassphraseVerifiesBeforeReplacing(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	old := readFile(t, p)
	calls := 0
	sabotage := withDerive(func(pass, salt []byte, kp KDFParams) []byte {
		calls++
		k := argon2id(pass, salt, kp)
		if calls == 3 { // 1: unwrap old, 2: wrap new, 3: verify the temporary file
			k[0] ^= 1
		}
		return k
	})
	err := ChangePassphrase(p, []byte(testPass), []byte("new"), WithKDF(cheap), sabotage)
	if err == nil || !strings.Contains(err.Error(), "keystore unchanged") {
		t.Fatalf("got %v, want a verification failure", err)
	}
	if calls != 3 {
		t.Fatalf("KDF ran %d times, want 3", calls)
	}
	if !bytes.Equal(readFile(t, p), old) {
		t.Fatal("the file changed")
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Fatalf("leftovers in folder: %v", ents)
	}
	if _, _, err := Open(p, []byte(testPass)); err != nil {
		t.Fatalf("old passphrase no longer opens: %v", err)
	}
}

func TestChangePassphraseFollowsSymlink(t *testing.T) {
	p := newKeystore(t, bip39Meta, bip39Secret())
	link := filepath.Join(privateDir(t), "link.json")
	if err := os.Symlink(p, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := ChangePassphrase(link, []byte(testPass), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced (%v)", err)
	}
	if _, _, err := Open(p, []byte("new")); err != nil {
		t.Fatalf("target not rewritten: %v", err)
	}
}

// What a person types is still a passphrase: any script, spaces, tabs, emoji.
func TestNewPassphraseAcceptsText(t *testing.T) {
	for _, p := range []string{"correct horse", "tab\tseparated", "пароль 密码 🔑", "x"} {
		if msg := checkNewPassphrase([]byte(p)); msg != "" {
			t.Errorf("%q refused: %s", p, msg)
		}
	}
}
