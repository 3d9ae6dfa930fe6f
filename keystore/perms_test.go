package keystore

import (
	"os"
	"path/filepath"
	"testing"
)

func skipWithoutUnixModes(t *testing.T) {
	if !permsChecked {
		t.Skip("file modes are not checked on this OS")
	}
}

func TestGroupOrOtherAccessIsRefused(t *testing.T) {
	skipWithoutUnixModes(t)
	p := newKeystore(t, bip39Meta, bip39Secret())
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620, 0o602, 0o610, 0o601, 0o666} {
		t.Run(mode.String(), func(t *testing.T) {
			if err := os.Chmod(p, mode); err != nil {
				t.Fatal(err)
			}
			fix := "chmod 600 " + p
			_, _, err := Open(p, []byte(testPass))
			wantErr(t, err, ErrInsecurePermissions, fix)
			_, err = ReadInfo(p)
			wantErr(t, err, ErrInsecurePermissions, fix)
			err = ChangePassphrase(p, []byte(testPass), []byte("new"), WithKDF(cheap))
			wantErr(t, err, ErrInsecurePermissions, fix)
		})
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadInfo(p); err != nil {
			t.Errorf("mode %v: %v", mode, err)
		}
	}
}

func TestFixCommandQuotesAwkwardPaths(t *testing.T) {
	skipWithoutUnixModes(t)
	dir := filepath.Join(privateDir(t), "my wallet")
	if err := EnsureDir(dir); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, DefaultFileName)
	if err := Create(p, []byte(testPass), bip39Meta, bip39Secret(), WithKDF(cheap)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadInfo(p)
	wantErr(t, err, ErrInsecurePermissions, "chmod 600 '"+p+"'")
}

func TestCreateRefusesSharedFolder(t *testing.T) {
	skipWithoutUnixModes(t)
	dir := privateDir(t)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "k.json")
	err := Create(p, []byte(testPass), bip39Meta, bip39Secret(), WithKDF(cheap))
	wantErr(t, err, ErrInsecurePermissions, "chmod 700 "+dir, p)
	assertAbsent(t, p)
}

func TestDirectoryIsNotAKeystore(t *testing.T) {
	dir := privateDir(t)
	_, err := ReadInfo(dir)
	wantErr(t, err, ErrCorrupt, "not a regular file")
}

func TestEnsureDir(t *testing.T) {
	skipWithoutUnixModes(t)
	base := privateDir(t)
	nested := filepath.Join(base, "a", "b")
	if err := EnsureDir(nested); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{nested, filepath.Dir(nested)} {
		st, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o700 {
			t.Fatalf("%s has mode %v, want 0700", d, st.Mode().Perm())
		}
	}
	if err := EnsureDir(nested); err != nil {
		t.Fatalf("existing private folder: %v", err)
	}
	if err := os.Chmod(nested, 0o750); err != nil {
		t.Fatal(err)
	}
	wantErr(t, EnsureDir(nested), ErrInsecurePermissions, "chmod 700 "+nested)
	st, _ := os.Stat(nested)
	if st.Mode().Perm() != 0o750 {
		t.Fatal("EnsureDir changed an existing folder's mode")
	}
}
