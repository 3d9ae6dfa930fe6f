package keys

import (
	"crypto/sha512"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/pbkdf2"
	"golang.org/x/text/unicode/norm"

	"github.com/satchel-wallet/satchel/internal/bip39"
	"github.com/satchel-wallet/satchel/wallet/slip39"
)

// Mnemonic errors a user can act on. ParseMnemonic returns them wrapped, or an
// *UnknownWordError, so the CLI can say exactly what to fix.
var (
	// ErrWordCount: BIP39 mnemonics have 12, 15, 18, 21 or 24 words (NewMnemonic makes 12 or 24).
	ErrWordCount = errors.New("a mnemonic has 12, 15, 18, 21 or 24 words")
	// ErrBadChecksum: every word is valid but the last bits do not match, so a word was
	// mistyped into another valid word or two words were swapped.
	ErrBadChecksum = errors.New("checksum does not match: a word is wrong or the order is")
)

// UnknownWordError says which word of a mnemonic is not in the BIP39 English list and which
// words the user probably meant, so a typo can be fixed without retyping everything.
type UnknownWordError struct {
	Position    int      // 1-based position of the word in the mnemonic
	Word        string   // the word as read, lowercased
	Suggestions []string // up to three nearest list words by edit distance, nearest first
}

// Error names the word by position and offers the suggestions, so the user can fix one word
// instead of retyping the mnemonic. The word itself is not repeated: it is part of a secret
// (often the right word with a typo), and errors end up in logs.
func (e *UnknownWordError) Error() string {
	msg := fmt.Sprintf("word %d is not a BIP39 English word", e.Position)
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + strings.Join(e.Suggestions, " or ") + "?"
	}
	return msg
}

// The word list is internal/bip39's, built on first use: go-bip39's wordlists package split and
// checksummed nine languages' lists, and this package built an index of the English one, at the
// start of every run of every command (about 3 ms and 0.8 MB, though only create, restore and
// seed verify read words). english returns the list; the caller must not change it.
func english() []string { return bip39.English() }

// NewMnemonic makes a fresh 12- or 24-word English mnemonic from entropy read from r (pass
// crypto/rand.Reader in production; tests pass a fixed reader).
func NewMnemonic(words int, r io.Reader) (string, error) {
	if words != 12 && words != 24 {
		return "", fmt.Errorf("new mnemonic: %w: satchel makes 12 or 24, not %d", ErrWordCount, words)
	}
	entropy := make([]byte, words/3*4)
	defer clear(entropy)
	if _, err := io.ReadFull(r, entropy); err != nil {
		return "", fmt.Errorf("new mnemonic: read entropy: %w", err)
	}
	m, err := bip39.NewMnemonic(entropy)
	if err != nil {
		return "", fmt.Errorf("new mnemonic: %w", err)
	}
	return m, nil
}

// ParseMnemonic reads a mnemonic as a user types it and returns it normalised: full lowercase
// words joined by single spaces, the form SeedFromMnemonic needs. Words may be in any case,
// separated by any whitespace, and shortened to a prefix of at least four letters (every BIP39
// English word is unique in its first four). Letters beyond a real word are an error, not
// ignored: "abandonn" is a typo, and guessing would hide it.
func ParseMnemonic(input string) (string, error) {
	fields := strings.Fields(input)
	if n := sharesIn(fields); n > 0 {
		// No BIP39 count is a multiple of 20 or 33, so this never turns away a mnemonic;
		// without it, shares read as seed words stopped at their first non-BIP39 word.
		shares := "a SLIP-39 share"
		if n > 1 {
			shares = fmt.Sprintf("%d SLIP-39 shares", n)
		}
		return "", fmt.Errorf("%w; these %d look like %s of %d words: add --shamir",
			ErrWordCount, len(fields), shares, len(fields)/n)
	}
	words := make([]string, len(fields))
	for i, f := range fields {
		w, err := resolveWord(strings.ToLower(f))
		if err != nil {
			err.Position = i + 1
			return "", err
		}
		words[i] = w
	}
	switch len(words) {
	case 12, 15, 18, 21, 24:
	default:
		return "", fmt.Errorf("%w; this one has %d: give every word, in order, separated by spaces", ErrWordCount, len(words))
	}
	normal := strings.Join(words, " ")
	entropy, err := bip39.Entropy(normal)
	if err != nil {
		if errors.Is(err, bip39.ErrChecksum) {
			return "", ErrBadChecksum
		}
		return "", fmt.Errorf("parse mnemonic: %w", err)
	}
	clear(entropy) // a secret: only the check was wanted
	return normal, nil
}

// sharesIn returns how many SLIP-39 shares fields hold when they are nothing but SLIP-39
// words, 20 or 33 to a share; otherwise 0.
func sharesIn(fields []string) int {
	size := 0
	switch n := len(fields); {
	case n == 0:
		return 0
	case n%20 == 0:
		size = 20
	case n%33 == 0:
		size = 33
	default:
		return 0
	}
	for _, f := range fields {
		if _, ok := slip39.LookupWord(strings.ToLower(f)); !ok {
			return 0
		}
	}
	return len(fields) / size
}

// resolveWord maps one lowercased word or prefix to its list word.
func resolveWord(w string) (string, *UnknownWordError) {
	if _, ok := bip39.Index(w); ok {
		return w, nil
	}
	if len(w) >= 4 {
		var match []string
		for _, cand := range english() {
			if strings.HasPrefix(cand, w) {
				match = append(match, cand)
			}
		}
		if len(match) == 1 {
			return match[0], nil
		}
		if len(match) > 1 { // cannot happen with the English list; kept so a list change is safe
			if len(match) > 3 {
				match = match[:3]
			}
			return "", &UnknownWordError{Word: w, Suggestions: match}
		}
	}
	return "", &UnknownWordError{Word: w, Suggestions: suggest(w)}
}

// SeedFromMnemonic derives the 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds, salt
// "mnemonic"+passphrase), with both strings in Unicode NFKD as BIP39 asks. Without NFKD a
// passphrase typed precomposed (é as U+00E9, what most keyboards send) gives another wallet than
// every other BIP39 wallet opens with the same words; with it, both forms of é, compatibility
// forms (ﬁ, fullwidth letters) and words joined by U+3000 give the seed the standard gives. The
// mnemonic is normally ASCII (ParseMnemonic's output), which NFKD leaves alone.
func SeedFromMnemonic(mnemonic, passphrase []byte) []byte {
	m := nfkd(mnemonic)
	defer clear(m)
	p := nfkd(passphrase)
	defer clear(p)
	return seedRaw(m, p)
}

// SeedFromMnemonicUnnormalised is the derivation satchel used before it normalised: the bytes
// as stored, no NFKD. It exists only so a wallet created then with a passphrase that NFKD changes
// can still be opened (its fingerprint says which derivation made it); never for a new wallet.
func SeedFromMnemonicUnnormalised(mnemonic, passphrase []byte) []byte {
	return seedRaw(mnemonic, passphrase)
}

// NFKDChanges reports whether NFKD changes a passphrase, that is whether a wallet made before
// satchel normalised could derive from other keys than the same words and passphrase now give.
func NFKDChanges(passphrase []byte) bool {
	return !norm.NFKD.IsNormal(passphrase)
}

func seedRaw(mnemonic, passphrase []byte) []byte {
	salt := make([]byte, 0, len("mnemonic")+len(passphrase))
	salt = append(salt, "mnemonic"...)
	salt = append(salt, passphrase...)
	defer clear(salt)
	return pbkdf2.Key(mnemonic, salt, 2048, 64, sha512.New)
}

// nfkd returns a fresh NFKD copy of b (the caller clears it: it holds a secret). The copy is made
// even when b is already normal so clearing it never touches the caller's bytes.
func nfkd(b []byte) []byte {
	return norm.NFKD.Append(make([]byte, 0, len(b)+len(b)/2), b...)
}

// PassphraseIsASCII reports whether a passphrase is plain ASCII, which every Unicode form spells
// the same way (so even a wallet that does not normalise treats it as satchel does).
func PassphraseIsASCII(passphrase []byte) bool {
	for _, b := range passphrase {
		if b >= 0x80 {
			return false
		}
	}
	return true
}
