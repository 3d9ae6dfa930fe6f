package slip39

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"
)

// The SHA-256 of slip-0039/wordlist.txt at satoshilabs/slips 73c23acf (2026-08-07). The
// specification gives no hash; this pins the file so an accidental edit cannot pass.
const wordlistSHA256 = "bcc4555340332d169718aed8bf31dd9d5248cb7da6e5d355140ef4f1e601eec3"

func TestWordlistFile(t *testing.T) {
	sum := sha256.Sum256([]byte(wordlistText))
	if got := hex.EncodeToString(sum[:]); got != wordlistSHA256 {
		t.Fatalf("wordlist.txt SHA-256 %s, want %s", got, wordlistSHA256)
	}
}

// TestWordlistCriteria checks the properties the specification lists and prefix entry relies
// on: 1024 sorted words of 4 to 8 lowercase letters, unique in their first four letters.
func TestWordlistCriteria(t *testing.T) {
	if len(loadWords().list) != 1024 {
		t.Fatalf("%d words", len(loadWords().list))
	}
	if !slices.IsSorted(loadWords().list) {
		t.Error("word list is not sorted")
	}
	prefixes := map[string]string{}
	for _, w := range loadWords().list {
		if len(w) < 4 || len(w) > 8 {
			t.Errorf("%q is not 4 to 8 letters", w)
		}
		for _, c := range w {
			if c < 'a' || c > 'z' {
				t.Errorf("%q has a character outside a-z", w)
			}
		}
		if other, dup := prefixes[w[:4]]; dup {
			t.Errorf("%q and %q share the prefix %q", other, w, w[:4])
		}
		prefixes[w[:4]] = w
	}
}

func TestLookupWord(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want int // -1: rejected
	}{
		{"full word", "academic", 0},
		{"last word", "zero", 1023},
		{"upper case", "ACADEMIC", 0},
		{"mixed case", "AcAdEmIc", 0},
		{"four-letter prefix", "acad", 0},
		{"longer prefix", "academi", 0},
		{"four-letter word is itself", "acid", 1},
		{"three letters are too few", "aca", -1},
		{"letters past the word", "academicx", -1},
		{"prefix of no word", "zzzz", -1},
		{"prefix that diverges after four letters", "acadx", -1},
		{"empty", "", -1},
		{"non-ASCII", "acadé", -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := LookupWord(c.in)
			if c.want < 0 {
				if ok {
					t.Fatalf("LookupWord(%q) = %d, want rejection", c.in, got)
				}
				return
			}
			if !ok || got != c.want {
				t.Fatalf("LookupWord(%q) = %d, %v; want %d", c.in, got, ok, c.want)
			}
		})
	}
}

func TestWordBounds(t *testing.T) {
	for _, c := range []struct {
		i    int
		want string
	}{{-1, ""}, {0, "academic"}, {1023, "zero"}, {1024, ""}} {
		if got := Word(c.i); got != c.want {
			t.Errorf("Word(%d) = %q, want %q", c.i, got, c.want)
		}
	}
}
