package slip39

import (
	_ "embed"
	"strings"
	"sync"
)

// wordlistText is slip-0039/wordlist.txt from github.com/satoshilabs/slips, unchanged
// (SHA-256 bcc4555340332d169718aed8bf31dd9d5248cb7da6e5d355140ef4f1e601eec3, checked by a test).
//
//go:embed wordlist.txt
var wordlistText string

// The list and its indexes are built on first use, not at program start: most runs of a
// program that links this package (every satchel command) never read a share.

// words holds the list and its two indexes.
type words struct {
	list   []string       // a 10-bit value to its word
	index  map[string]int // a word to its 10-bit value
	prefix map[string]int // a word's first four letters (unique in the list) to its value
}

var loadWords = sync.OnceValue(func() *words {
	w := &words{list: strings.Fields(wordlistText)}
	if len(w.list) != 1024 {
		panic("slip39: embedded word list does not have 1024 words")
	}
	w.index = make(map[string]int, len(w.list))
	w.prefix = make(map[string]int, len(w.list))
	for i, s := range w.list {
		w.index[s] = i
		w.prefix[s[:4]] = i
	}
	return w
})

// lookupWord reads one word as a user may type it: any case, in full or shortened to a prefix
// of at least four letters.
func lookupWord(w string) (int, bool) {
	ws := loadWords()
	w = strings.ToLower(w)
	if i, ok := ws.index[w]; ok {
		return i, true
	}
	if len(w) < 4 {
		return 0, false
	}
	i, ok := ws.prefix[w[:4]]
	if !ok || !strings.HasPrefix(ws.list[i], w) {
		return 0, false
	}
	return i, true
}

// Word is the list word for a 10-bit value, for interfaces that complete or check words as the
// user types them. It returns "" outside 0..1023.
func Word(i int) string {
	if i < 0 || i >= 1024 {
		return ""
	}
	return loadWords().list[i]
}

// LookupWord is the 10-bit value of a word or a prefix of at least four letters of one, in any
// case, so an interface can check each word as it is typed.
func LookupWord(w string) (int, bool) { return lookupWord(w) }
