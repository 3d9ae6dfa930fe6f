package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/satchel-wallet/satchel/internal/bip39"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/slip39"
)

// wordError is a mistyped seed word as the CLI tells it: with suggestions on a terminal, where
// the person who typed the word reads them, and without off one, where a suggestion (often the
// real word) would end up in a log or a pipe. It unwraps to the *keys.UnknownWordError, so it
// keeps the unknown_word code.
type wordError struct {
	msg string
	err *keys.UnknownWordError
}

func (e *wordError) Error() string { return e.msg }
func (e *wordError) Unwrap() error { return e.err }

// mnemonicError rewrites an unknown-word error from keys.ParseMnemonic for where it is shown;
// other errors pass as they are.
func (a *App) mnemonicError(err error) error {
	var unk *keys.UnknownWordError
	if !errors.As(err, &unk) {
		return err
	}
	msg := fmt.Sprintf("word %d is not a BIP39 English word", unk.Position)
	if !a.canPrompt() {
		return &wordError{msg: msg + ": check it against your backup", err: unk}
	}
	if s := wordSuggestions(unk); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &wordError{msg: msg, err: unk}
}

// wordSuggestions puts the list words one swap of neighbouring letters away ("rakc" for
// "rack", the commonest slip of fast fingers) before the edit-distance ones keys offers, at
// most three in all.
func wordSuggestions(unk *keys.UnknownWordError) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] && len(out) < 3 {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range transpositions(unk.Word) {
		add(w)
	}
	for _, w := range unk.Suggestions {
		add(w)
	}
	return out
}

// transpositions lists the BIP39 English words (or the one word a 4+ letter prefix stands for)
// that w becomes when two neighbouring letters are swapped.
func transpositions(w string) []string {
	if len(w) < 2 || len(w) > 16 {
		return nil
	}
	var out []string
	b := []byte(w)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == b[i+1] {
			continue
		}
		b[i], b[i+1] = b[i+1], b[i]
		if word, ok := listWord(string(b)); ok {
			out = append(out, word)
		}
		b[i], b[i+1] = b[i+1], b[i]
	}
	return out
}

// listWord resolves a word as ParseMnemonic does: the full word, or a prefix of four or more
// letters that only one list word starts with.
func listWord(w string) (string, bool) {
	if _, ok := bip39.Index(w); ok {
		return w, true
	}
	var match string
	n := 0
	for _, cand := range bip39.English() {
		if len(w) >= 4 && strings.HasPrefix(cand, w) {
			match = cand
			n++
		}
	}
	return match, n == 1
}

// parseMnemonic checks typed seed words. When they were typed at the prompt (interactive), an
// unknown word is asked for again on its own, with suggestions, rather than failing the whole
// mnemonic; an empty answer gives up.
func (a *App) parseMnemonic(raw []byte, interactive bool) (string, error) {
	fields := strings.Fields(string(raw))
	for {
		m, err := keys.ParseMnemonic(strings.Join(fields, " "))
		var unk *keys.UnknownWordError
		if err == nil || !interactive || !errors.As(err, &unk) || unk.Position < 1 || unk.Position > len(fields) {
			return m, a.mnemonicError(err)
		}
		hint := ""
		if s := wordSuggestions(unk); len(s) > 0 {
			hint = "; did you mean " + strings.Join(s, " or ") + "?"
		}
		fmt.Fprintf(a.Err, "Word #%d is not a BIP39 English word%s\n", unk.Position, hint)
		again, err := a.ReadSecret(fmt.Sprintf("Word #%d (hidden, Enter to give up): ", unk.Position))
		if err != nil {
			return "", err
		}
		w := strings.TrimSpace(string(again))
		wipe(again)
		if w == "" || strings.ContainsAny(w, " \t") {
			return "", a.mnemonicError(unk)
		}
		fields[unk.Position-1] = w
	}
}

// slip39Suggestions is wordSuggestions for a share's word: SLIP-39 list words one swap of
// neighbouring letters away, then those one letter added, dropped or changed away, at most
// three in all.
func slip39Suggestions(w string) []string {
	w = strings.ToLower(w)
	if len(w) < 2 || len(w) > 16 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(word string) {
		if !seen[word] && len(out) < 3 {
			seen[word] = true
			out = append(out, word)
		}
	}
	b := []byte(w)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == b[i+1] {
			continue
		}
		b[i], b[i+1] = b[i+1], b[i]
		if n, ok := slip39.LookupWord(string(b)); ok {
			add(slip39.Word(n))
		}
		b[i], b[i+1] = b[i+1], b[i]
	}
	for i := 0; i < 1024; i++ {
		if word := slip39.Word(i); oneEditApart(w, word) {
			add(word)
		}
	}
	return out
}

// oneEditApart says whether a becomes b by adding, dropping or changing one letter.
func oneEditApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return i < len(a) && a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}
