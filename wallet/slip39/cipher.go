package slip39

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"fmt"
)

// Encryption of the master secret: a four-round Feistel network whose round function is
// PBKDF2-HMAC-SHA256 keyed by the round number and the passphrase.

const (
	feistelRounds = 4
	// baseIterations is the PBKDF2 iteration count of one round at exponent 0; four rounds make
	// the specification's 10000 x 2^e in total.
	baseIterations = 2500
	// maxIterationExponent fits the 4-bit field.
	maxIterationExponent = 15
)

// roundFunction is F(i, R) = PBKDF2(HMAC-SHA256, password = i || passphrase,
// salt = saltPrefix || R, iterations = 2500 << e, length = len(R)).
func roundFunction(i byte, passphrase []byte, e int, salt, r []byte) ([]byte, error) {
	password := make([]byte, 0, 1+len(passphrase))
	password = append(password, i)
	password = append(password, passphrase...)
	s := make([]byte, 0, len(salt)+len(r))
	s = append(s, salt...)
	s = append(s, r...)
	out, err := pbkdf2.Key(sha256.New, string(password), s, baseIterations<<e, len(r))
	clear(password)
	if err != nil {
		return nil, fmt.Errorf("pbkdf2: %w", err)
	}
	return out, nil
}

// saltPrefix is "shamir" || id (two bytes, big-endian) for non-extendable backups, so each
// backup's identifier takes part in the encryption, and empty for extendable ones, so several
// share sets with different identifiers can carry one encrypted secret.
func saltPrefix(id uint16, extendable bool) []byte {
	if extendable {
		return nil
	}
	return append([]byte(customization), byte(id>>8), byte(id))
}

// feistel runs the network forwards (encrypt) or backwards (decrypt). The two differ only in
// the order of the round numbers.
func feistel(in, passphrase []byte, e int, id uint16, extendable, decrypt bool) ([]byte, error) {
	half := len(in) / 2
	l := append([]byte(nil), in[:half]...)
	r := append([]byte(nil), in[half:]...)
	salt := saltPrefix(id, extendable)
	for k := range feistelRounds {
		i := byte(k)
		if decrypt {
			i = byte(feistelRounds - 1 - k)
		}
		f, err := roundFunction(i, passphrase, e, salt, r)
		if err != nil {
			clear(l)
			clear(r)
			return nil, err
		}
		for j := range l {
			l[j] ^= f[j]
		}
		clear(f)
		l, r = r, l
	}
	out := append(r, l...)
	clear(l)
	return out, nil
}

// encrypt turns the master secret into the encrypted master secret the shares carry.
func encrypt(ms, passphrase []byte, e int, id uint16, extendable bool) ([]byte, error) {
	return feistel(ms, passphrase, e, id, extendable, false)
}

// decrypt turns the encrypted master secret back into the master secret.
func decrypt(ems, passphrase []byte, e int, id uint16, extendable bool) ([]byte, error) {
	return feistel(ems, passphrase, e, id, extendable, true)
}
