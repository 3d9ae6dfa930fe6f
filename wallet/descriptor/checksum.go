package descriptor

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// inputCharset is BIP380's INPUT_CHARSET: the characters a descriptor may contain, ordered so
// the likely typos land in the same group of 32.
const inputCharset = "0123456789()[],'/*abcdefgh@:$%{}" +
	"IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~" +
	"ijklmnopqrstuvwxyzABCDEFGH`#\"\\ "

// checksumCharset is the bech32 character set the 8 checksum characters use.
const checksumCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

var checksumGenerator = [5]uint64{0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd}

func polymod(c uint64, v int) uint64 {
	top := c >> 35
	c = (c&0x7ffffffff)<<5 ^ uint64(v)
	for i, g := range checksumGenerator {
		if top>>i&1 == 1 {
			c ^= g
		}
	}
	return c
}

// Checksum computes the BIP380 checksum of a descriptor without its "#checksum" suffix.
func Checksum(desc string) (string, error) {
	if err := notASCII(desc); err != nil {
		return "", err
	}
	c := uint64(1)
	cls, clsCount := 0, 0
	for i := 0; i < len(desc); i++ {
		pos := strings.IndexByte(inputCharset, desc[i])
		if pos < 0 || desc[i] == '#' {
			return "", fmt.Errorf("%w: the character %q (character %d) cannot appear in a descriptor",
				ErrInvalid, desc[i], i+1)
		}
		c = polymod(c, pos&31)
		cls = cls*3 + pos>>5
		if clsCount++; clsCount == 3 {
			c = polymod(c, cls)
			cls, clsCount = 0, 0
		}
	}
	if clsCount > 0 {
		c = polymod(c, cls)
	}
	for range 8 {
		c = polymod(c, 0)
	}
	c ^= 1
	var out [8]byte
	for i := range out {
		out[i] = checksumCharset[c>>(5*(7-i))&31]
	}
	return string(out[:]), nil
}

// AddChecksum returns desc with its "#checksum" appended. A desc that already carries a
// checksum is returned unchanged if the checksum is right, and refused if it is wrong.
func AddChecksum(desc string) (string, error) {
	payload, sum, has := strings.Cut(desc, "#")
	if has {
		if err := verifyChecksum(payload, sum); err != nil {
			return "", err
		}
		return desc, nil
	}
	sum, err := Checksum(payload)
	if err != nil {
		return "", err
	}
	return payload + "#" + sum, nil
}

// verifyChecksum checks the 8 characters after '#' against the payload.
func verifyChecksum(payload, sum string) error {
	if len(sum) != 8 {
		return fmt.Errorf("%w: a checksum has 8 characters, this one has %d", ErrChecksum, len(sum))
	}
	want, err := Checksum(payload)
	if err != nil {
		return err
	}
	if sum != want {
		return fmt.Errorf("%w: #%s does not match the descriptor (a character is wrong)",
			ErrChecksum, sum)
	}
	return nil
}

// notASCII refuses text with a character outside ASCII, saying which and where (counted in
// characters from 1): descriptors and keys are ASCII, and a letter from another alphabet that
// looks like a Latin one (Cyrillic Е for E) is the likely cause, not a byte at an offset.
func notASCII(s string) error {
	n := 0
	for _, r := range s {
		n++
		if r >= utf8.RuneSelf {
			return fmt.Errorf("%w: character %d, %q (U+%04X), is not a plain letter, digit or sign: a look-alike from another alphabet? retype it", ErrInvalid, n, r, r)
		}
	}
	return nil
}
