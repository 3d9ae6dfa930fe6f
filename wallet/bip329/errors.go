package bip329

import (
	"errors"
	"fmt"
)

// ErrInvalid marks a line that is not a valid BIP329 record. Parse returns it inside a
// *LineError that gives the line number.
var ErrInvalid = errors.New("invalid BIP329 record")

// LineError says which line of an export is wrong, so the user can fix that line.
type LineError struct {
	Line int // 1-based line number in the file
	Err  error
}

// Error names the line, as editors number them.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap gives the cause, which matches ErrInvalid.
func (e *LineError) Unwrap() error { return e.Err }

func invalidf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}
