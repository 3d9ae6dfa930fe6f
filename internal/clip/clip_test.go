package clip

import "testing"

func TestText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc..."},
		{"ééééé", 2, "éé..."},          // characters, not bytes
		{"€€€", 3, "€€€"},              // 9 bytes, 3 characters: whole
		{"a\x00b\x01c", 2, "a\x00..."}, // Quote escapes what is left
	} {
		if got := Text(tc.in, tc.max); got != tc.want {
			t.Errorf("Text(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"bc1q", `"bc1q"`},
		{"a\x1b[2Jbcdef", `"a\x1b[2J..."`},   // the escape counts as one character
		{"\xff\xfeabcd", `"\xff\xfeabc..."`}, // so does each byte that is no UTF-8
	} {
		if got := Quote(tc.in, 5); got != tc.want {
			t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// Hides catches what can drive a terminal or disguise text, and lets ordinary text through,
// emoji joined with U+200D included.
func TestHides(t *testing.T) {
	for _, tc := range []struct {
		r    rune
		want bool
	}{
		{'\x1b', true}, {'\n', true}, {'\x00', true}, {'\u0085', true},
		{'\u202e', true}, {'\u202a', true}, {'\u2066', true}, {'\u2069', true}, {'\u200e', true}, {'\u200f', true}, {'\u061c', true},
		{'\u200b', true}, {'\u2060', true}, {'\ufeff', true},
		{'a', false}, {' ', false}, {'é', false}, {'€', false}, {'\u200d', false}, {'\u200c', false}, {'א', false}, {'🙂', false},
	} {
		if got := Hides(tc.r); got != tc.want {
			t.Errorf("Hides(%U) = %v, want %v", tc.r, got, tc.want)
		}
	}
}
