package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
)

// passphraseSource names where a secret comes from, for readSecretFrom.
type passphraseSource struct {
	what     string // "passphrase", "new passphrase"
	file     string // a --*-file flag's value
	fileFlag string
	env      string
	confirm  bool // ask twice on a terminal
}

// passphrase returns the wallet passphrase: --passphrase-file, then SATCHEL_PASSPHRASE, then a
// no-echo prompt. Without any of them and no terminal it fails at once instead of hanging.
func (a *App) passphrase(confirm bool) ([]byte, error) {
	return a.readSecretFrom(passphraseSource{what: "passphrase", file: a.flags.passphraseFile,
		fileFlag: "--passphrase-file", env: "SATCHEL_PASSPHRASE", confirm: confirm})
}

func (a *App) readSecretFrom(s passphraseSource) ([]byte, error) {
	if s.file != "" {
		if fi, err := os.Stat(s.file); err == nil {
			if err := checkSecretFileMode(s.fileFlag, s.file, fi); err != nil {
				return nil, err
			}
		}
		b, err := readFirstLine(s.file)
		if err != nil {
			return nil, inputFileError("bad_passphrase_file", s.fileFlag, s.file, err)
		}
		if len(b) == 0 {
			return nil, usagef("empty_passphrase", fmt.Sprintf("the %s in %s is empty: write it on the file's first line", s.what, s.file))
		}
		return b, nil
	}
	if v := a.Getenv(s.env); v != "" {
		return []byte(v), nil
	}
	if !a.InTerm || a.ReadSecret == nil {
		if s.fileFlag == "" {
			return nil, usagef("passphrase_needed", fmt.Sprintf("no %s: set %s, or run on a terminal to be asked", s.what, s.env))
		}
		return nil, usagef("passphrase_needed", fmt.Sprintf("no %s: give %s FILE, set %s, or run on a terminal to be asked", s.what, s.fileFlag, s.env))
	}
	for {
		p, err := a.ReadSecret(fmt.Sprintf("Enter %s: ", s.what))
		if err != nil {
			return nil, err
		}
		if len(p) == 0 {
			fmt.Fprintf(a.Err, "The %s cannot be empty.\n", s.what)
			continue
		}
		if !s.confirm {
			return p, nil
		}
		q, err := a.ReadSecret(fmt.Sprintf("Repeat %s: ", s.what))
		if err != nil {
			return nil, err
		}
		if bytes.Equal(p, q) {
			wipe(q)
			return p, nil
		}
		wipe(p)
		wipe(q)
		fmt.Fprintf(a.Err, "The two entries differ; try again.\n")
	}
}

// checkSecretFileMode refuses a passphrase file that its group or other users can read or
// write, as ssh refuses such a key file: the passphrase is the one thing between a copied
// keystore and the money. Pipes and devices (--passphrase-file <(pass show satchel)) are not
// files others can open later, and are let through.
func checkSecretFileMode(flag, path string, fi os.FileInfo) error {
	if runtime.GOOS == "windows" || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return usagef("insecure_passphrase_file", fmt.Sprintf("%s %s can be read by other users (mode %04o): run chmod 600 %s", flag, path, fi.Mode().Perm(), path))
}

// maxSecretLine bounds the first line of a passphrase file: far above any passphrase, and a
// file without line breaks (/dev/zero) cannot make satchel read forever.
const maxSecretLine = 4096

// readFirstLine reads a file's first line without its line ending.
func readFirstLine(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, maxSecretLine+3)) // the line, "\r\n", one more
	line, err := r.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		if errors.Is(err, io.EOF) {
			return []byte{}, nil
		}
		return nil, err
	}
	line = bytes.TrimRight(line, "\r\n")
	if len(line) > maxSecretLine {
		wipe(line)
		return nil, fmt.Errorf("its first line is longer than %d bytes: is it the right file?", maxSecretLine)
	}
	return line, nil
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
