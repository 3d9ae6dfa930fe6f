package keystore

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// randomBytes reads n bytes from the OS CSPRNG (crypto/rand never fails on supported
// systems; the error path is kept for the contract).
func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("read random bytes: %w", err)
	}
	return b, nil
}

// sealX encrypts pt under key with a fresh random nonce and returns nonce ‖ ciphertext ‖ tag.
func sealX(key, pt, aad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	nonce, err := randomBytes(nonceLen)
	if err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, pt, aad), nil
}

// openX reverses sealX; any error means the tag did not verify.
func openX(key, box, aad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(box) < nonceLen+tagLen {
		return nil, fmt.Errorf("sealed box of %d bytes is too short", len(box))
	}
	return aead.Open(nil, box[:nonceLen], box[nonceLen:], aad)
}

// unwrap derives the key-encryption key from the passphrase and opens the data key.
// Failure is always ErrWrongPassphrase: the tag cannot say whether the passphrase or
// the file is at fault. The caller must clear the returned key.
func unwrap(path string, f *file, pass []byte, cfg config) ([]byte, error) {
	kek := cfg.derive(pass, f.salt, f.params())
	defer clear(kek)
	dk, err := openX(kek, f.wrappedKey, f.keyAAD())
	if err != nil {
		return nil, wrongPassphrase(path)
	}
	return dk, nil
}

// decrypt opens the payload with an authentic data key and decodes the secret. Failure
// here cannot be a wrong passphrase, so it is ErrCorrupt (or ErrUnsupportedVersion for a
// secret kind from a newer satchel).
func decrypt(path string, f *file, dk []byte) (*Secret, error) {
	pt, err := openX(dk, f.payload, f.headerJSON())
	if err != nil {
		return nil, fileErr(path, ErrCorrupt, "the encrypted secret fails authentication (the file was modified)")
	}
	defer clear(pt)
	s, err := decodePayload(pt)
	if err != nil {
		if _, ok := err.(errUnknownKind); ok {
			return nil, fileErr(path, ErrUnsupportedVersion, "%v; a newer satchel is needed", err)
		}
		return nil, fileErr(path, ErrCorrupt, "%v", err)
	}
	return s, nil
}
