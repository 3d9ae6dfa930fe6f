// Package keystore keeps a wallet's secret (a BIP39 mnemonic, or a raw BIP32 seed for
// SLIP-39 wallets) in one file encrypted under the user's passphrase, so that a copied
// or stolen wallet folder does not give away the coins.
//
// The passphrase goes through Argon2id to a key that wraps a random data key, and the
// data key encrypts the secret with XChaCha20-Poly1305. A passphrase change rewraps only
// the data key. Every byte of the file is covered by a canonical-form check, a checksum
// and the AEAD tags, so damage and tampering are refused instead of half-read.
// FORMAT.md in this folder is the byte-level specification; read it before changing
// anything that touches the file.
//
// Files are created with mode 0600 in a folder with mode 0700 (EnsureDir makes one), never
// overwritten by Create, and replaced only atomically through internal/atomicfile.
// Readers refuse files that group or others may access, and refuse KDF costs above a cap
// before deriving anything, so a hostile file cannot burn minutes of CPU.
//
// Functions take no context.Context: the only slow step is Argon2, which cannot be
// interrupted, and the file I/O is a few kilobytes.
package keystore
