package keystore

import (
	"fmt"
	"time"
)

// Meta is the clear-text metadata stored beside the encrypted secret, so commands like
// `satchel info` can describe a wallet without asking for its passphrase.
type Meta struct {
	Network     string // chain name: [a-z][a-z0-9]*, at most 32 characters (e.g. "mainnet")
	Fingerprint string // BIP32 master key fingerprint, 8 lowercase hex characters
}

// Info is everything a keystore reveals without its passphrase.
type Info struct {
	Version     int
	KDF         string // "argon2id"
	KDFParams   KDFParams
	Cipher      string // "xchacha20-poly1305"
	Network     string
	Fingerprint string
	Created     time.Time // UTC, whole seconds
}

// checkMeta applies the header rules of FORMAT.md section 4 and returns a description
// of the first problem, or "".
func checkMeta(m Meta) string {
	if n := len(m.Network); n == 0 || n > maxNetworkLen {
		return fmt.Sprintf("network name of %d characters, want 1 to %d", n, maxNetworkLen)
	}
	for i, c := range []byte(m.Network) {
		if !(c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return fmt.Sprintf("network %q must be a lowercase letter followed by lowercase letters and digits", m.Network)
		}
	}
	if len(m.Fingerprint) != 8 {
		return fmt.Sprintf("fingerprint %q is not 8 hex characters", m.Fingerprint)
	}
	for _, c := range []byte(m.Fingerprint) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return fmt.Sprintf("fingerprint %q is not lowercase hex", m.Fingerprint)
		}
	}
	return ""
}

// info reports a parsed file's clear-text header.
func (f *file) info() Info {
	return Info{
		Version: formatVersion, KDF: kdfName, KDFParams: f.params(), Cipher: cipherName,
		Network: f.network, Fingerprint: f.fingerprint, Created: f.created,
	}
}
