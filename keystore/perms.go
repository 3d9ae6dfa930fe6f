package keystore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// permsChecked is false on Windows, where Go reports made-up Unix modes and the real
// protection is ACLs, which this package does not inspect.
const permsChecked = runtime.GOOS != "windows"

// checkFileMode refuses anything but a regular file readable by its owner only.
func checkFileMode(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fileErr(path, ErrCorrupt, "not a regular file")
	}
	if permsChecked && fi.Mode().Perm()&0o077 != 0 {
		return fileErr(path, ErrInsecurePermissions,
			"mode %04o lets group or others access the file; fix it with: chmod 600 %s",
			fi.Mode().Perm(), shellQuote(path))
	}
	return nil
}

// checkDir requires the keystore's folder to exist and be private (mode 0700 or
// stricter), since whoever can write the folder can swap the file.
func checkDir(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("keystore %s: folder: %w", path, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("keystore %s: %s is not a folder", path, dir)
	}
	if permsChecked && fi.Mode().Perm()&0o077 != 0 {
		return fileErr(path, ErrInsecurePermissions,
			"folder %s has mode %04o; fix it with: chmod 700 %s",
			dir, fi.Mode().Perm(), shellQuote(dir))
	}
	return nil
}

// EnsureDir makes dir (and missing parents) with mode 0700 so that Create can put a
// keystore in it. An existing folder is not loosened or tightened: if group or others
// have access, EnsureDir returns ErrInsecurePermissions with the chmod command, because
// changing a folder the user made is the user's decision.
func EnsureDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("keystore folder %s: %w", dir, err)
		}
		// MkdirAll is subject to the umask; set the leaf exactly.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("keystore folder %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("keystore folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("keystore folder %s: not a folder", dir)
	}
	if permsChecked && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("keystore folder %s: %w: mode %04o; fix it with: chmod 700 %s",
			dir, ErrInsecurePermissions, fi.Mode().Perm(), shellQuote(dir))
	}
	return nil
}
