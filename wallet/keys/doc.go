// Package keys turns a BIP39 mnemonic into the keys, scripts and addresses of satchel's
// single-signature accounts (BIP44 pkh, BIP49 sh-wpkh, BIP84 wpkh, BIP86 tr).
//
// The package is pure computation: it never prints, prompts, or touches the disk. Mnemonic
// parsing is forgiving where that is safe (any case, any whitespace, four-letter prefixes) and
// strict where a guess could lose money (unknown words, wrong checksum, wrong word count each
// have their own error). Accounts cache their chain-level public keys so deriving thousands of
// addresses stays cheap.
package keys
