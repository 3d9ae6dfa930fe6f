// Package clip shortens text that a message quotes back: a user's argument, a line of a file, a
// server's answer. A pasted page or a hostile server must not flood an error, and a cut must
// not split a character (an invalid UTF-8 sequence would reach a terminal or a JSON error).
package clip

import (
	"strconv"
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
