package slip39

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzParseShare: ParseShare never panics, and a share it accepts encodes back to the same
// words (in their canonical full, lowercase form) and parses again to the same fields.
func FuzzParseShare(f *testing.F) {
	for _, v := range loadVectors(f) {
		for _, m := range v.Mnemonics {
			f.Add(m)
		}
	}
	f.Add(strings.ToUpper(share1))
	f.Add("")
	f.Add("acad acid acne")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseShare(in)
		if err != nil {
			return
		}
		enc, err := s.Encode()
		if err != nil {
			t.Fatalf("parsed share %+v does not encode: %v", s, err)
		}
		fields := strings.Fields(in)
		canon := make([]string, len(fields))
		for i, w := range fields {
			v, _ := lookupWord(w)
			canon[i] = Word(v)
		}
		if want := strings.Join(canon, " "); enc != want {
			t.Fatalf("re-encoded\n%s\nwant\n%s", enc, want)
		}
		again, err := ParseShare(enc)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("re-parsed %+v, %v; want %+v", again, err, s)
		}
	})
}
