package keystore

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, one per class of failure, so callers (the CLI's exit codes) can tell
// them apart with errors.Is. Every returned error also names the keystore file.
var (
	// ErrWrongPassphrase means the passphrase did not unwrap the data key. A deliberate
	// edit of the file that also recomputed its checksum looks the same, and the message
	// says so.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrCorrupt means the file is not a well-formed keystore: truncated, edited,
	// damaged, or not a satchel keystore at all.
	ErrCorrupt = errors.New("corrupt keystore")
	// ErrExists means Create found something at the path; it never overwrites.
	ErrExists = errors.New("already exists")
	// ErrInsecurePermissions means the file or its folder grants access to group or
	// others; the message holds the chmod command that fixes it.
	ErrInsecurePermissions = errors.New("insecure permissions")
	// ErrCostTooHigh means the KDF parameters exceed the cap in FORMAT.md; the file is
	// refused before any key derivation runs.
	ErrCostTooHigh = errors.New("KDF cost too high")
	// ErrUnsupportedVersion means the file (or its secret kind) comes from a newer
	// satchel that this one cannot read.
	ErrUnsupportedVersion = errors.New("unsupported keystore version")
	// ErrInvalidInput means a caller passed something Create or ChangePassphrase will not
	// store: an empty passphrase, malformed metadata or secret, or KDF parameters below
	// Argon2's minimums.
	ErrInvalidInput = errors.New("invalid input")
)

// fileErr prefixes an error with the keystore path, keeping the sentinel matchable.
func fileErr(path string, class error, format string, args ...any) error {
	if format == "" {
		return fmt.Errorf("keystore %s: %w", path, class)
	}
	return fmt.Errorf("keystore %s: %w: %s", path, class, fmt.Sprintf(format, args...))
}

// wrongPassphrase is the one message for a failed unwrap, which cannot tell a wrong
// passphrase from an edit of the wrapped key or the KDF parameters.
func wrongPassphrase(path string) error {
	return fmt.Errorf("%w, or the keystore file %s was modified", ErrWrongPassphrase, path)
}

// shellQuote makes a path safe to paste into a POSIX shell command in an error message.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:@%,=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
