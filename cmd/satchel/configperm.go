package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// checkConfigPerms refuses a settings file that another local user could have written, as the
// wallet folder is refused: whoever can write it can point every wallet at their own backend.
// The file itself, its folder and the folder above are checked (a folder others can write lets
// them replace the file); a sticky folder such as /tmp only lets them replace their own files,
// so it passes, while the file must then be the user's own (or root's).
func checkConfigPerms(path string, fi fs.FileInfo) error {
	insecure := func(format string, a ...any) error {
		return &codedError{exit: exitError, code: "insecure_permissions", err: fmt.Errorf(format, a...)}
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return insecure("config %s is writable by others (mode %04o), so another user could choose your backend; fix it with: chmod go-w %s",
			path, fi.Mode().Perm(), path)
	}
	if uid, ok := fileOwner(fi); ok && uid != os.Getuid() && uid != 0 {
		return insecure("config %s belongs to another user (uid %d); remove it, or make it yours", path, uid)
	}
	for i, d := 0, filepath.Dir(path); i < 2; i, d = i+1, filepath.Dir(d) {
		di, err := os.Stat(d)
		if err != nil {
			break
		}
		if di.Mode().Perm()&0o022 != 0 && di.Mode()&fs.ModeSticky == 0 {
			return insecure("config %s is in %s, which others can write (they could replace the file); fix it with: chmod go-w %s",
				path, d, d)
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return nil
}
