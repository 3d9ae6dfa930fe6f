package keys

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// Master is the BIP32 master private key for a seed, serialised with net's xprv/tprv version.
func Master(seed []byte, net *chaincfg.Params) (*hdkeychain.ExtendedKey, error) {
	m, err := hdkeychain.NewMaster(seed, net)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return m, nil
}

// Fingerprint is the BIP32 key fingerprint of k: the first four bytes of HASH160 of its
// compressed public key. Descriptors and PSBTs name the master key by it (73c5da0a for the
// "abandon ... about" test mnemonic). A key that cannot give a public key has fingerprint 0.
func Fingerprint(k *hdkeychain.ExtendedKey) uint32 {
	pub, err := k.ECPubKey()
	if err != nil {
		return 0
	}
	return binary.BigEndian.Uint32(address.Hash160(pub.SerializeCompressed())[:4])
}

// FormatFingerprint writes a fingerprint as descriptors do: 8 lowercase hex digits.
func FormatFingerprint(fp uint32) string { return fmt.Sprintf("%08x", fp) }

// ParseFingerprint reads 8 hex digits (either case) as a fingerprint.
func ParseFingerprint(s string) (uint32, error) {
	if len(s) != 8 {
		return 0, fmt.Errorf("fingerprint %q: want 8 hex digits", s)
	}
	for _, c := range s {
		if !isHexDigit(c) {
			return 0, fmt.Errorf("fingerprint %q: not hex", s)
		}
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("fingerprint %q: %w", s, err)
	}
	return uint32(v), nil
}

func isHexDigit(c rune) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
