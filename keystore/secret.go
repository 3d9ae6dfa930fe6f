package keystore

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Secret kinds. The kind says which field holds the wallet's root secret.
const (
	// KindBIP39 is a BIP39 mnemonic; the BIP32 seed is derived from it and the passphrase.
	KindBIP39 = "bip39"
	// KindSeed is a raw BIP32 seed, used for SLIP-39 wallets whose shares decode to a
	// master secret rather than to a mnemonic.
	KindSeed = "seed"
)

// Limits on secret fields, from FORMAT.md section 6.
const (
	maxMnemonicLen   = 1024
	maxPassphraseLen = 1024
	minSeedLen       = 16
	maxSeedLen       = 64
)

// Secret is what the keystore protects. It is designed so a new kind of wallet adds a
// Kind value, not a new file format.
type Secret struct {
	Kind            string // KindBIP39 or KindSeed
	Mnemonic        []byte // BIP39 words separated by single spaces (KindBIP39 only)
	Seed            []byte // raw BIP32 seed / SLIP-39 master secret, 16 to 64 bytes (KindSeed only)
	BIP39Passphrase []byte // the "25th word" (or SLIP-39 passphrase); may be empty
}

// Wipe overwrites every byte slice with zeros so the secret does not linger in this
// copy. It is best effort: Go may already have copied the bytes (growing slices,
// conversions to string, the garbage collector moving nothing but also freeing nothing
// promptly), so Wipe narrows the exposure window rather than guaranteeing erasure.
func (s *Secret) Wipe() {
	if s == nil {
		return
	}
	clear(s.Mnemonic)
	clear(s.Seed)
	clear(s.BIP39Passphrase)
}

// equal compares two secrets; ChangePassphrase uses it to verify the rewritten file.
func (s *Secret) equal(o *Secret) bool {
	return s.Kind == o.Kind && bytes.Equal(s.Mnemonic, o.Mnemonic) &&
		bytes.Equal(s.Seed, o.Seed) && bytes.Equal(s.BIP39Passphrase, o.BIP39Passphrase)
}

// validate checks a secret against the limits of FORMAT.md section 6 and returns a
// description of the first problem, or "".
func (s *Secret) validate() string {
	if s == nil {
		return "no secret"
	}
	if len(s.BIP39Passphrase) > maxPassphraseLen {
		return fmt.Sprintf("passphrase of %d bytes exceeds %d", len(s.BIP39Passphrase), maxPassphraseLen)
	}
	if !utf8.Valid(s.BIP39Passphrase) {
		return "passphrase is not valid UTF-8"
	}
	switch s.Kind {
	case KindBIP39:
		if len(s.Seed) != 0 {
			return "a bip39 secret must not have a seed"
		}
		return checkMnemonic(s.Mnemonic)
	case KindSeed:
		if len(s.Mnemonic) != 0 {
			return "a seed secret must not have a mnemonic"
		}
		if len(s.Seed) < minSeedLen || len(s.Seed) > maxSeedLen {
			return fmt.Sprintf("seed of %d bytes, want %d to %d", len(s.Seed), minSeedLen, maxSeedLen)
		}
		return ""
	default:
		return fmt.Sprintf("unknown secret kind %q", s.Kind)
	}
}

// checkMnemonic checks the shape only (wallet/keys checks the words and the checksum):
// the error messages never quote the mnemonic.
func checkMnemonic(m []byte) string {
	if len(m) == 0 {
		return "empty mnemonic"
	}
	if len(m) > maxMnemonicLen {
		return fmt.Sprintf("mnemonic of %d bytes exceeds %d", len(m), maxMnemonicLen)
	}
	if !utf8.Valid(m) {
		return "mnemonic is not valid UTF-8"
	}
	words := 1
	for i, r := range string(m) {
		switch {
		case r == ' ':
			if i == 0 || i == len(m)-1 || m[i-1] == ' ' {
				return "mnemonic words must be separated by single spaces, with none at either end"
			}
			words++
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return "mnemonic holds a control character"
		}
	}
	switch words {
	case 12, 15, 18, 21, 24:
		return ""
	}
	return fmt.Sprintf("mnemonic has %d words, want 12, 15, 18, 21 or 24", words)
}
