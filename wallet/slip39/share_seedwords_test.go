package slip39

import (
	"errors"
	"strings"
	"testing"
)

// BIP39 seed words given as a share are named as such, not refused at the first word the
// two lists do not share as if misspelt; a share, and words of neither kind, are read as
// before.
func TestParseShareNamesSeedWords(t *testing.T) {
	share := "duckling enlarge academic academic agency result length solution fridge kidney coal piece deal husband erode duke ajar critical decision keyboard"
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"12 seed words", "brain tobacco resource shove regret write inflict crater spot soon attend judge", ErrSeedWords},
		{"24 seed words, upper case", strings.ToUpper(strings.TrimSpace(strings.Repeat("abandon ", 23)) + " art"), ErrSeedWords},
		{"11 seed words", "brain tobacco resource shove regret write inflict crater spot soon attend", ErrBadWord},
		{"a share", share, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseShare(tc.in)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
		})
	}
}
