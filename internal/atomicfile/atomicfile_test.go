package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// onlyFiles lists dir and fails the test if anything but want is there (no leftovers).
func onlyFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if len(got) != len(want) {
		t.Fatalf("folder holds %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("folder holds %v, want %v", got, want)
		}
	}
}

func checkFile(t *testing.T, path string, data []byte, perm os.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("%s holds %q, want %q", path, got, data)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != perm {
		t.Fatalf("%s mode %v, want %v", path, st.Mode().Perm(), perm)
	}
}

func TestWriteCreatesWithExactPermIgnoringUmask(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	for _, perm := range []os.FileMode{0o600, 0o640, 0o666} {
		if err := Write(p, []byte("x"), perm); err != nil {
			t.Fatal(err)
		}
		checkFile(t, p, []byte("x"), perm)
	}
	onlyFiles(t, dir, "f")
}

func TestWriteReplacesExistingContent(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old content that is longer"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	checkFile(t, p, []byte("new"), 0o600)
	onlyFiles(t, dir, "f")
}

func TestWriteIntoMissingFolderFails(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope", "f")
	if err := Write(p, []byte("x"), 0o600); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want fs.ErrNotExist", err)
	}
}

func TestWriteVerifyFailureLeavesOldFileAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	var sawTemp []byte
	err := WriteVerify(p, []byte("new"), 0o600, func(tmp string) error {
		if filepath.Dir(tmp) != dir {
			t.Errorf("temporary file %s not in %s", tmp, dir)
		}
		b, err := os.ReadFile(tmp)
		if err != nil {
			return err
		}
		sawTemp = b
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the verify error", err)
	}
	if string(sawTemp) != "new" {
		t.Fatalf("verify saw %q, want the new data", sawTemp)
	}
	checkFile(t, p, []byte("old"), 0o600)
	onlyFiles(t, dir, "f")
}

func TestWriteVerifySuccessReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	called := false
	if err := WriteVerify(p, []byte("new"), 0o600, func(string) error { called = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if !called {
		t.Fatal("verify was not called")
	}
	checkFile(t, p, []byte("new"), 0o600)
	onlyFiles(t, dir, "f")
}

func TestCreateExclusiveNewFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := CreateExclusive(p, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	checkFile(t, p, []byte("data"), 0o600)
	onlyFiles(t, dir, "f")
}

func TestCreateExclusiveNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CreateExclusive(p, []byte("new"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("got %v, want fs.ErrExist", err)
	}
	checkFile(t, p, []byte("old"), 0o600)
	onlyFiles(t, dir, "f")
}

func TestCreateExclusiveRefusesDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.Symlink(filepath.Join(dir, "target"), p); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := CreateExclusive(p, []byte("new"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("got %v, want fs.ErrExist", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "target")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("symlink target was created: %v", err)
	}
}

func TestCreateExclusiveRaceHasOneWinner(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = CreateExclusive(p, []byte{byte('a' + i)}, 0o600)
		}()
	}
	wg.Wait()
	wins := 0
	var winner byte
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
			winner = byte('a' + i)
		case !errors.Is(err, fs.ErrExist):
			t.Fatalf("loser %d: %v, want fs.ErrExist", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d callers won, want 1", wins)
	}
	checkFile(t, p, []byte{winner}, 0o600)
	onlyFiles(t, dir, "f")
}

// An error names the file asked for, never the temporary file beside it, and keeps its cause.
func TestErrorsNameTheFileNotTheTemporary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-folder", "backup")
	for name, write := range map[string]func() error{
		"Write":           func() error { return Write(path, []byte("x"), 0o600) },
		"CreateExclusive": func() error { return CreateExclusive(path, []byte("x"), 0o600) },
	} {
		err := write()
		if err == nil || strings.Contains(err.Error(), ".tmp-") || !strings.Contains(err.Error(), path) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The rename at the end fails (a folder is in the way): still the file asked for.
	dir := filepath.Join(t.TempDir(), "taken")
	if err := os.MkdirAll(filepath.Join(dir, "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, []byte("x"), 0o600); err == nil || strings.Contains(err.Error(), ".tmp-") || !strings.Contains(err.Error(), dir) {
		t.Errorf("rename onto a folder: %v", err)
	}
	// A verify function that names the file it was given is told with the real name.
	target := filepath.Join(t.TempDir(), "keystore.json")
	cause := errors.New("bad")
	err := WriteVerify(target, []byte("x"), 0o600, func(tmp string) error { return fmt.Errorf("open %s: %w", tmp, cause) })
	if err == nil || strings.Contains(err.Error(), ".tmp-") || !strings.Contains(err.Error(), "open "+target+": bad") || !errors.Is(err, cause) {
		t.Errorf("verify: %v", err)
	}
}
