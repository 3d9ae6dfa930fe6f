package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Write replaces (or creates) path with data, atomically: afterwards path holds either
// the old content or the new, never a mix, and the new content is on stable storage when
// Write returns nil. The file gets exactly perm (the umask does not apply). If path is a
// symbolic link the link itself is replaced; resolve it first if the target is meant.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteVerify(path, data, perm, nil)
}

// WriteVerify is Write with a check between writing and replacing: verify gets the path
// of the fully written and fsynced temporary file and can re-read it (for example decrypt
// it); if verify returns an error the temporary file is removed, path is left untouched,
// and the error is returned wrapped. A nil verify skips the check.
func WriteVerify(path string, data []byte, perm os.FileMode, verify func(tempPath string) error) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	if verify != nil {
		if err := verify(tmp); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("verify new %s: %w", path, namingPath(err, tmp, path))
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("replace %s: %w", path, withoutTempName(err))
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}

// CreateExclusive creates path holding data with mode perm, but only if nothing exists
// at path yet; otherwise it returns an error matching fs.ErrExist and leaves the existing
// file alone. The name appears only once the data is on disk (it is hard-linked from a
// fsynced temporary file), so a crash never leaves a partial file at path, and two racing
// callers cannot both succeed. The filesystem must support hard links.
func CreateExclusive(path string, data []byte, perm os.FileMode) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("create %s: %w", path, fs.ErrExist)
	}
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp) }()
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: %w", path, fs.ErrExist)
		}
		return fmt.Errorf("create %s (the filesystem must support hard links): %w", path, withoutTempName(err))
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("create %s: remove temporary file: %w", path, withoutTempName(err))
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// writeTemp writes data to a new temporary file next to path, sets perm, fsyncs and
// closes it, and returns its name. On error nothing is left behind.
func writeTemp(path string, data []byte, perm os.FileMode) (_ string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, withoutTempName(err))
	}
	name := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(name)
			err = fmt.Errorf("write %s: %w", path, withoutTempName(err))
		}
	}()
	// CreateTemp makes the file 0600; Chmod sets perm exactly, ignoring the umask.
	if err := f.Chmod(perm); err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return name, nil
}

// withoutTempName drops the temporary file's name from a file error (keeping its cause, so
// errors.Is still sees a permission or space problem): the user asked for path and cannot act
// on ".name.tmp-2232599564". A rename or link error (os.LinkError) names it too.
func withoutTempName(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// tempNamed is an error whose message names path where the original named the temporary
// file (a verify function reads the temporary file and may say so); it unwraps to the
// original, so errors.Is still works.
type tempNamed struct {
	msg string
	err error
}

func (e *tempNamed) Error() string { return e.msg }
func (e *tempNamed) Unwrap() error { return e.err }

// namingPath rewrites err's message to name path instead of the temporary file tmp.
func namingPath(err error, tmp, path string) error {
	if !strings.Contains(err.Error(), tmp) {
		return err
	}
	return &tempNamed{msg: strings.ReplaceAll(err.Error(), tmp, path), err: err}
}

// syncDir fsyncs a folder so that a rename or link inside it is durable. Windows cannot
// open folders for syncing and makes renames durable by itself, so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
