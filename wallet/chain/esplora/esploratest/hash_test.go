package esploratest_test

import (
	"crypto/sha256"
	"encoding/hex"
)

func scriptHash(script []byte) string {
	h := sha256.Sum256(script)
	return hex.EncodeToString(h[:])
}
