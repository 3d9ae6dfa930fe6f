package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// resolved is path made absolute with the symbolic links of its longest existing prefix
// followed, so that a link cannot hide where a file really goes.
func resolved(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if parent := filepath.Dir(dir); parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// within says whether path is dir or below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkOutPath refuses a user-named output file inside satchel's data folder, where the
// wallets' keystores and stores live, onto the global config, or onto anything that is not a
// plain file (a device, a pipe, a symbolic link), whatever --force says: an export written over
// keystore.json would lose the seed. It returns the absolute path.
func (a *App) checkOutPath(path string) (string, error) {
	if strings.TrimSpace(path) == "" {
		// filepath.Abs("") is the current folder, which is never what an empty name meant.
		return "", usagef("bad_file", `"" gives no file name: give the path of a file`)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", usagef("bad_file", err.Error())
	}
	// A name ending in a slash means a folder (filepath.Abs drops the slash, and a file of
	// the folder's name would be written in its place).
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return "", usagef("bad_file", fmt.Sprintf("%s ends with a slash, as a folder does: add the file's name after it", path))
	}
	real, err := resolved(abs)
	if err != nil {
		return "", usagef("bad_file", err.Error())
	}
	if data, err := a.dataDir(); err == nil {
		if rd, err := resolved(data); err == nil && within(real, rd) {
			return "", usagef("bad_file", fmt.Sprintf("%s is inside satchel's data folder %s, where the wallets' own files live: write it elsewhere", abs, data))
		}
	}
	if cfg := a.globalConfigPath(); cfg != "" {
		if rc, err := resolved(cfg); err == nil && rc == real {
			return "", usagef("bad_file", fmt.Sprintf("%s is satchel's config file: write it elsewhere", abs))
		}
	}
	if fi, err := os.Lstat(abs); err == nil {
		switch {
		case fi.IsDir():
			return "", usagef("bad_file", fmt.Sprintf("%s is a folder: give a file name", abs))
		case !fi.Mode().IsRegular():
			// A device, a pipe or a symbolic link would be replaced by a plain file.
			return "", usagef("bad_file", fmt.Sprintf("%s is not a plain file: give the path of a file", abs))
		}
	}
	// A missing folder is the user's to create: say so before any work, not as a failed write.
	switch fi, err := os.Stat(filepath.Dir(abs)); {
	case errors.Is(err, fs.ErrNotExist):
		return "", usagef("bad_file", fmt.Sprintf("cannot write %s: the folder %s does not exist (create it first)", abs, filepath.Dir(abs)))
	case err == nil && !fi.IsDir():
		return "", usagef("bad_file", fmt.Sprintf("cannot write %s: %s is not a folder", abs, filepath.Dir(abs)))
	}
	return abs, nil
}
