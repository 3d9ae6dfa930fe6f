package keystore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
)

// DefaultFileName is the name satchel gives the keystore inside a wallet folder.
const DefaultFileName = "keystore.json"

// checkNewParams vets KDF parameters about to be written: a file this package would
// refuse to read must never be written.
func checkNewParams(path string, p KDFParams) error {
	if msg := checkCost(uint64(p.Time), uint64(p.MemoryKiB), uint64(p.Threads), KDFParams{}); msg != "" {
		return fileErr(path, ErrCostTooHigh, "%s", msg)
	}
	if msg := checkMinimums(p); msg != "" {
		return fileErr(path, ErrInvalidInput, "%s", msg)
	}
	return nil
}

// Create writes a new keystore at path holding secret under passphrase, with meta in
// clear text. It never overwrites: anything at path gives ErrExists and is left alone.
// path's folder must exist with no group or other access (see EnsureDir). The KDF cost
// is DefaultKDFParams unless WithKDF says otherwise. On error nothing is left at path.
func Create(path string, passphrase []byte, meta Meta, secret *Secret, opts ...Option) error {
	cfg := newConfig(opts)
	params := DefaultKDFParams()
	if cfg.kdf != nil {
		params = *cfg.kdf
	}
	if err := checkNewParams(path, params); err != nil {
		return err
	}
	if len(passphrase) == 0 {
		return fileErr(path, ErrInvalidInput, "empty passphrase")
	}
	if msg := checkNewPassphrase(passphrase); msg != "" {
		return fileErr(path, ErrInvalidInput, "the passphrase %s", msg)
	}
	if msg := checkMeta(meta); msg != "" {
		return fileErr(path, ErrInvalidInput, "%s", msg)
	}
	if msg := secret.validate(); msg != "" {
		return fileErr(path, ErrInvalidInput, "%s", msg)
	}
	if err := checkDir(path); err != nil {
		return err
	}
	// Fail before the slow KDF when the answer is already known; CreateExclusive
	// re-checks atomically.
	if _, err := os.Lstat(path); err == nil {
		return fileErr(path, ErrExists, "refusing to overwrite it")
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("keystore %s: %w", path, err)
	}

	f := &file{
		network: meta.Network, fingerprint: meta.Fingerprint,
		created: time.Now().UTC().Truncate(time.Second),
	}
	f.setParams(params)
	dk, err := randomBytes(keyLen)
	if err != nil {
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	defer clear(dk)
	if f.salt, err = randomBytes(saltLen); err != nil {
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	if f.wrappedKey, err = wrap(f, passphrase, dk, cfg); err != nil {
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	pt := encodePayload(secret)
	defer clear(pt)
	if f.payload, err = sealX(dk, pt, f.headerJSON()); err != nil {
		return fmt.Errorf("keystore %s: encrypt secret: %w", path, err)
	}
	if err := atomicfile.CreateExclusive(path, f.seal(), 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fileErr(path, ErrExists, "refusing to overwrite it")
		}
		return fmt.Errorf("keystore %s: %w", path, err)
	}
	return nil
}

// wrap derives the key-encryption key for f's salt and cost and seals the data key
// under it, bound to f's header and KDF object.
func wrap(f *file, passphrase, dk []byte, cfg config) ([]byte, error) {
	kek := cfg.derive(passphrase, f.salt, f.params())
	defer clear(kek)
	w, err := sealX(kek, dk, f.keyAAD())
	if err != nil {
		return nil, fmt.Errorf("wrap data key: %w", err)
	}
	return w, nil
}

// Open decrypts the keystore at path. The returned Secret is the caller's to Wipe.
// A wrong passphrase gives ErrWrongPassphrase; Open never writes to disk. Costly KDF
// parameters are refused (ErrCostTooHigh) before any key derivation. WithCostLimit may
// lower that cap; WithKDF has no effect here.
func Open(path string, passphrase []byte, opts ...Option) (*Secret, Info, error) {
	cfg := newConfig(opts)
	f, err := load(path, cfg.limit)
	if err != nil {
		return nil, Info{}, err
	}
	dk, err := unwrap(path, f, passphrase, cfg)
	if err != nil {
		return nil, Info{}, err
	}
	defer clear(dk)
	s, err := decrypt(path, f, dk)
	if err != nil {
		return nil, Info{}, err
	}
	return s, f.info(), nil
}

// ReadInfo reports a keystore's clear-text header without the passphrase, after the
// same permission, structure, checksum and cost checks as Open, so `satchel info` also
// tells whether the file is intact. It cannot tell whether the secret decrypts.
func ReadInfo(path string) (Info, error) {
	f, err := load(path, KDFParams{})
	if err != nil {
		return Info{}, err
	}
	return f.info(), nil
}

// load opens path, checks it is a private regular file, and parses it (steps 1 to 7 of
// FORMAT.md section 7).
func load(path string, limit KDFParams) (*file, error) {
	// Stat first so a FIFO or device at path is refused without blocking on open.
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", path, err)
	}
	if err := checkFileMode(path, st); err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", path, err)
	}
	defer func() { _ = fh.Close() }()
	st, err = fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("keystore %s: %w", path, err)
	}
	if err := checkFileMode(path, st); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("keystore %s: read: %w", path, err)
	}
	return parse(path, data, limit)
}
