package keystore

import "golang.org/x/crypto/argon2"

// Option adjusts one call. Options exist so tests can run cheap KDFs without a global
// switch that could leak into production.
type Option func(*config)

type config struct {
	kdf    *KDFParams // nil: defaults for Create, the file's own for ChangePassphrase
	limit  KDFParams  // zero fields: the fixed caps
	derive func(pass, salt []byte, p KDFParams) []byte
}

func newConfig(opts []Option) config {
	c := config{derive: argon2id}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func argon2id(pass, salt []byte, p KDFParams) []byte {
	return argon2.IDKey(pass, salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
}

// WithKDF sets the Argon2id cost that Create and ChangePassphrase write. Tests use it for
// cheap parameters (Time 1, MemoryKiB 64, Threads 1); users may use it to pay more.
// Parameters above the cap give ErrCostTooHigh, below Argon2's minimums ErrInvalidInput.
// Open ignores it: a file's own parameters decide how it is unlocked.
func WithKDF(p KDFParams) Option {
	return func(c *config) { c.kdf = &p }
}

// WithCostLimit lowers the largest KDF cost that Open and ChangePassphrase accept (zero
// fields keep the fixed cap; values above it are ignored). Fuzzers use it to keep every
// attempted unlock cheap; a cautious caller may use it to refuse unusually costly files.
func WithCostLimit(p KDFParams) Option {
	return func(c *config) { c.limit = p }
}
