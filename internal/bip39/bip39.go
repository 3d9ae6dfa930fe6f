// Package bip39 is BIP39's English word list and its checksum, built on first use.
//
// It replaces github.com/tyler-smith/go-bip39 for satchel's needs: that module's wordlists
// package splits and checksums the lists of nine languages at program start (about 2 ms, and
// far more on a busy machine, plus 0.5 MB), and its bip39 package builds a map of the English
// list, on every run of every command, though only create, restore and seed verify read words.
package bip39

import (
	"crypto/sha256"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// englishText is bips/bip-0039/english.txt (SHA-256 2f5eed53a4727b4bf8880d8f3f199efc90e585036
// 46d9ff8eff3a2ed3b24dbda, checked by a test).
//
//go:embed english.txt
var englishText string

// ErrChecksum means every word is in the list but the checksum bits do not match.
var ErrChecksum = errors.New("bip39: checksum does not match")

// ErrLength means the word count or the entropy size is not one BIP39 defines.
var ErrLength = errors.New("bip39: a mnemonic has 12, 15, 18, 21 or 24 words (16 to 32 bytes of entropy)")

type list struct {
	words []string
	index map[string]int
}

var english = sync.OnceValue(func() *list {
	l := &list{words: strings.Fields(englishText), index: make(map[string]int, 2048)}
	if len(l.words) != 2048 {
		panic("bip39: embedded English list does not have 2048 words")
	}
	for i, w := range l.words {
		l.index[w] = i
	}
	return l
})

// English is the English word list, in order. The caller must not change it.
func English() []string { return english().words }

// Index is a word's position in the English list.
func Index(word string) (int, bool) {
	i, ok := english().index[word]
	return i, ok
}

// NewMnemonic encodes 16, 20, 24, 28 or 32 bytes of entropy as 12 to 24 English words.
func NewMnemonic(entropy []byte) (string, error) {
	n := len(entropy)
	if n < 16 || n > 32 || n%4 != 0 {
		return "", fmt.Errorf("%w: %d bytes", ErrLength, n)
	}
	sum := sha256.Sum256(entropy)
	data := append(append([]byte{}, entropy...), sum[0]) // the checksum is the first n/4 bits
	defer clear(data)
	words := english().words
	count := (n*8 + n/4) / 11
	out := make([]string, count)
	for i := 0; i < count; i++ {
		out[i] = words[bits11(data, i*11)]
	}
	return strings.Join(out, " "), nil
}

// Entropy decodes words (each in the English list) to their entropy, checking the checksum.
func Entropy(mnemonic string) ([]byte, error) {
	ws := strings.Fields(mnemonic)
	switch len(ws) {
	case 12, 15, 18, 21, 24:
	default:
		return nil, fmt.Errorf("%w: %d words", ErrLength, len(ws))
	}
	total := len(ws) * 11
	csBits := total / 33
	buf := make([]byte, (total+7)/8)
	for i, w := range ws {
		v, ok := Index(w)
		if !ok {
			return nil, fmt.Errorf("bip39: word %d is not in the English list", i+1)
		}
		for b := 0; b < 11; b++ {
			if v&(1<<(10-b)) != 0 {
				pos := i*11 + b
				buf[pos/8] |= 0x80 >> (pos % 8)
			}
		}
	}
	entropy := buf[:(total-csBits)/8]
	sum := sha256.Sum256(entropy)
	got := buf[len(entropy)] >> (8 - csBits)
	want := sum[0] >> (8 - csBits)
	if got != want {
		clear(buf)
		return nil, ErrChecksum
	}
	return entropy, nil
}

// bits11 reads the 11 bits of data starting at bit offset off, most significant first.
func bits11(data []byte, off int) int {
	v := 0
	for b := 0; b < 11; b++ {
		pos := off + b
		v <<= 1
		if data[pos/8]&(0x80>>(pos%8)) != 0 {
			v |= 1
		}
	}
	return v
}
