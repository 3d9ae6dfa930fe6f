package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// inputFileError says why a file the user named cannot be read, in one line without Go's
// "open x:" prefix: no name at all, a folder where a file was expected, or the system's reason.
// what names where the path came from ("--batch"), or is empty for an argument; code is the
// JSON error code (exit 2: the path is the user's input).
func inputFileError(code, what, path string, err error) error {
	if what != "" {
		what += " "
	}
	if path == "" {
		return usagef(code, fmt.Sprintf("%sgives no file name: give the path of a file", quoteWhat(what)))
	}
	if errors.Is(err, syscall.EISDIR) {
		return usagef(code, fmt.Sprintf("%s%s is a folder: give the path of a file in it", what, path))
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usagef(code, fmt.Sprintf("cannot read %s%s: there is no such file (check the path)", what, path))
	case errors.Is(err, fs.ErrPermission):
		return usagef(code, fmt.Sprintf("cannot read %s%s: permission denied (check who may read it: ls -l)", what, path))
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return usagef(code, fmt.Sprintf("cannot read %s%s: %v", what, path, err))
}

// stdinError says why standard input could not be read: most often a folder redirected into
// it (satchel psbt decode - < dir), which Go words as "read /dev/stdin: is a directory".
func stdinError(code string, err error) error {
	if errors.Is(err, syscall.EISDIR) {
		return usagef(code, "standard input is a folder: redirect a file into it (< FILE) or pipe one (cat FILE |)")
	}
	if errors.Is(err, syscall.EBADF) || errors.Is(err, fs.ErrClosed) {
		// satchel psbt decode - <&- (or a service started with no stdin at all).
		return usagef(code, "standard input is closed: redirect a file into it (< FILE) or pipe one (cat FILE |)")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return usagef(code, fmt.Sprintf("cannot read standard input: %v", err))
}

// quoteWhat names the source of an empty path: `--batch ""` or, for an argument, `""`.
func quoteWhat(what string) string { return what + `"" ` }

// openInput opens a file the user named, refusing a folder at once (os.Open succeeds on one and
// only the first read fails, with a message naming no file).
func openInput(code, what, path string) (*os.File, error) {
	if path == "" {
		return nil, inputFileError(code, what, path, nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, inputFileError(code, what, path, err)
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, inputFileError(code, what, path, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR})
	}
	return f, nil
}
