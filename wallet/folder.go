package wallet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/satchel-wallet/satchel/internal/crash"
)

// newWalletDir prepares the making of wallet folder dir: it creates the missing folders above
// it (0700) and a hidden work folder beside it (".NAME.new-*", a name no wallet can have),
// where the caller writes the wallet. commit renames the work folder to dir, so dir appears
// whole or not at all: an interrupted create or restore (Ctrl-C, a crash) leaves no half
// wallet that blocks the next try. undo removes the work folder and the parents it made
// (while they are empty). An existing dir is ErrExists, before anything is written.
func newWalletDir(dir string) (work string, commit func() error, undo func(), err error) {
	exists := func() error {
		return fmt.Errorf("%w: %s: choose another --wallet name (that wallet is left as it is)", ErrExists, dir)
	}
	if _, err := os.Lstat(dir); err == nil {
		return "", nil, nil, exists()
	}
	var made []string
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		made = append(made, p)
	}
	undoParents := func() {
		for _, p := range made { // deepest first
			_ = os.Remove(p) // fails, as it should, once something else is in it
		}
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return "", nil, nil, fmt.Errorf("create %s: %w", filepath.Dir(dir), err)
	}
	// Work folders an interrupted run left (an hour old: no run takes that long) go now.
	if old, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".new-*")); len(old) > 0 {
		for _, p := range old {
			if fi, err := os.Lstat(p); err == nil && fi.IsDir() && time.Since(fi.ModTime()) > time.Hour {
				_ = os.RemoveAll(p)
			}
		}
	}
	work, err = os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".new-")
	if err != nil {
		undoParents()
		return "", nil, nil, fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(work, 0o700); err != nil {
		_ = os.RemoveAll(work)
		undoParents()
		return "", nil, nil, fmt.Errorf("create %s: %w", dir, err)
	}
	commit = func() error {
		crash.Point(crash.CreateBeforeCommit)
		// rename(2) would also replace an empty folder made meanwhile: look once more.
		if _, err := os.Lstat(dir); err == nil {
			return exists()
		}
		if err := os.Rename(work, dir); err != nil {
			if errors.Is(err, os.ErrExist) {
				return exists()
			}
			// The rename error names the work folder as well as dir: keep only its cause.
			var le *os.LinkError
			if errors.As(err, &le) {
				err = le.Err
			}
			return fmt.Errorf("create %s: %w", dir, err)
		}
		// The wallet is in place: a folder that cannot be synced (Windows refuses it) costs
		// durability at worst, and must not turn a done create into a reported failure.
		_ = syncDir(filepath.Dir(dir))
		return nil
	}
	undo = func() {
		_ = os.RemoveAll(work)
		undoParents()
	}
	return work, commit, undo, nil
}

// syncDir flushes a folder's entries (a rename) to disk.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// workDirError is an error from inside a work folder, told with the wallet's own folder: the
// user never made ".laptop.new-3635682222" and cannot act on its name. It unwraps to the
// original, so errors.Is still sees a wrong passphrase or a bad backup.
type workDirError struct {
	msg string
	err error
}

func (e *workDirError) Error() string { return e.msg }
func (e *workDirError) Unwrap() error { return e.err }

// hideWorkDir rewrites err's message to name dir where it names the work folder work.
func hideWorkDir(err error, work, dir string) error {
	if err == nil || work == "" || !strings.Contains(err.Error(), work) {
		return err
	}
	return &workDirError{msg: strings.ReplaceAll(err.Error(), work, dir), err: err}
}
