// Package clip shortens text that a message quotes back: a user's argument, a line of a file, a
// server's answer. A pasted page or a hostile server must not flood an error, and a cut must
// not split a character (an invalid UTF-8 sequence would reach a terminal or a JSON error).
package clip

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Ellipsis marks where text was cut. It is ASCII, so a cut value reads the same in a log, a
// terminal and a JSON error.
const Ellipsis = "..."

// Text returns s when it has at most max characters, else its first max characters followed
// by Ellipsis.
func Text(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + Ellipsis
		}
		n++
	}
	return s
}

// Quote is Text in Go's double quotes, escaping what a terminal would act on (control
// characters, invalid UTF-8), as an error shows a value the user gave.
func Quote(s string, max int) string {
	return strconv.Quote(Text(s, max))
}

// Hides reports whether a terminal would act on r, or show the text around it other than as
// written, rather than print it: control characters (escape sequences, line breaks), the
// marks and overrides that reorder text (U+202E makes "txt.exe" read "exe.txt", and a label
// could so disguise an address beside it), and the invisible zero-width space, word joiner
// and byte-order mark. The zero-width joiners that emoji and some scripts are written with
// are ordinary text.
func Hides(r rune) bool {
	if r < 0x80 {
		return r < 0x20 || r == 0x7f // the common case, without unicode's tables
	}
	switch {
	case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
		return true
	case r == '\u200b', r == '\u2060', r == '\ufeff':
		return true
	}
	return false
}
