package slip39

import (
	_ "embed"
	"strings"
)

// wordlistText is slip-0039/wordlist.txt from github.com/satoshilabs/slips, unchanged
// (SHA-256 bcc4555340332d169718aed8bf31dd9d5248cb7da6e5d355140ef4f1e601eec3, checked by a test).
//
//go:embed wordlist.txt
var wordlistText string

// wordlist maps a 10-bit value to its word.
var wordlist = func() []string {
	w := strings.Fields(wordlistText)
	if len(w) != 1024 {
		panic("slip39: embedded word list does not have 1024 words")
	}
	return w
}()

// wordIndex maps a word to its 10-bit value.
var wordIndex = func() map[string]int {
	m := make(map[string]int, len(wordlist))
	for i, w := range wordlist {
		m[w] = i
	}
	return m
}()

// prefixIndex maps each word's first four letters to its value; the list guarantees they are
// unique.
var prefixIndex = func() map[string]int {
	m := make(map[string]int, len(wordlist))
	for i, w := range wordlist {
		m[w[:4]] = i
	}
	return m
}()

// lookupWord reads one word as a user may type it: any case, in full or shortened to a prefix
// of at least four letters.
func lookupWord(w string) (int, bool) {
	w = strings.ToLower(w)
	if i, ok := wordIndex[w]; ok {
		return i, true
	}
	if len(w) < 4 {
		return 0, false
	}
	i, ok := prefixIndex[w[:4]]
	if !ok || !strings.HasPrefix(wordlist[i], w) {
		return 0, false
	}
	return i, true
}

// Word is the list word for a 10-bit value, for interfaces that complete or check words as the
// user types them. It returns "" outside 0..1023.
func Word(i int) string {
	if i < 0 || i >= len(wordlist) {
		return ""
	}
	return wordlist[i]
}

// LookupWord is the 10-bit value of a word or a prefix of at least four letters of one, in any
// case, so an interface can check each word as it is typed.
func LookupWord(w string) (int, bool) { return lookupWord(w) }
