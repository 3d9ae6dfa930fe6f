package setupfile

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// BIP129's key derivation: PBKDF2-SHA512 of this password, salted with the TOKEN.
const (
	bsmsPassword   = "No SPOF"
	bsmsIterations = 2048
)

// ParseBSMSToken reads a BIP129 TOKEN as a coordinator hands it out: hex (16 digits for
// STANDARD, 32 for EXTENDED encryption) or the decimal number of the same value. It returns
// the token's bytes. "00" (or 0) is NO_ENCRYPTION and is refused here: such records are
// not encrypted.
func ParseBSMSToken(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 16 || len(s) == 32 {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	if s != "" && len(s) <= 39 && strings.Trim(s, "0123456789") == "" {
		n, ok := new(big.Int).SetString(s, 10)
		if ok && n.Sign() > 0 {
			switch {
			case n.BitLen() <= 64:
				return n.FillBytes(make([]byte, 8)), nil
			case n.BitLen() <= 128:
				return n.FillBytes(make([]byte, 16)), nil
			}
		}
	}
	return nil, invalidf("a BSMS token is 16 or 32 hex digits, or its decimal number (not 0)")
}

// bsmsKeys derives the AES key and the HMAC key from a token.
func bsmsKeys(token []byte) (encKey, macKey []byte, err error) {
	encKey, err = pbkdf2.Key(sha512.New, bsmsPassword, token, bsmsIterations, 32)
	if err != nil {
		return nil, nil, fmt.Errorf("derive the BSMS key: %w", err)
	}
	h := sha256.Sum256(encKey)
	return encKey, h[:], nil
}

// EncryptBSMS encrypts a BSMS record (key or descriptor record) with token as BIP129 says:
// MAC = HMAC-SHA256(SHA256(key), hex(token) || record), AES-256-CTR with the first 16 bytes
// of the MAC as IV, written as hex(MAC) followed by hex(ciphertext).
func EncryptBSMS(record, token []byte) ([]byte, error) {
	encKey, macKey, err := bsmsKeys(token)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, macKey)
	m.Write([]byte(hex.EncodeToString(token)))
	m.Write(record)
	mac := m.Sum(nil)
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("BSMS cipher: %w", err)
	}
	ct := make([]byte, len(record))
	cipher.NewCTR(block, mac[:aes.BlockSize]).XORKeyStream(ct, record)
	return []byte(hex.EncodeToString(mac) + hex.EncodeToString(ct)), nil
}

// DecryptBSMS decrypts a record EncryptBSMS wrote (a .dat file's hex) and checks its MAC:
// a wrong token or an altered file is ErrInvalid, with nothing decrypted returned.
func DecryptBSMS(data, token []byte) ([]byte, error) {
	if len(data) > 2*MaxFileSize {
		return nil, invalidf("the encrypted BSMS record is larger than %d KiB", 2*MaxFileSize>>10)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(raw) <= sha256.Size {
		return nil, invalidf("an encrypted BSMS record is hex: a 32-byte MAC and the ciphertext")
	}
	mac, ct := raw[:sha256.Size], raw[sha256.Size:]
	encKey, macKey, err := bsmsKeys(token)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("BSMS cipher: %w", err)
	}
	pt := make([]byte, len(ct))
	cipher.NewCTR(block, mac[:aes.BlockSize]).XORKeyStream(pt, ct)
	m := hmac.New(sha256.New, macKey)
	m.Write([]byte(hex.EncodeToString(token)))
	m.Write(pt)
	if !hmac.Equal(m.Sum(nil), mac) {
		clear(pt)
		return nil, invalidf("the encrypted BSMS record does not open with this token (wrong token, or the file was altered)")
	}
	return pt, nil
}

// IsEncryptedBSMS reports whether data looks like an encrypted BSMS record (.dat): hex only,
// longer than its MAC.
func IsEncryptedBSMS(data []byte) bool {
	t := strings.TrimSpace(string(data))
	return len(t) > 2*sha256.Size && isHex(t)
}
