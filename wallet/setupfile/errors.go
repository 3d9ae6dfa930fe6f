package setupfile

import "errors"

// Classes of setup file errors, for errors.Is. Every error this package returns wraps one of
// them and says in one line what is wrong.
var (
	// ErrInvalid: the file is not a well-formed setup (bad syntax, a threshold out of range,
	// a duplicate key, a key for another network, a wrong checksum...).
	ErrInvalid = errors.New("invalid multisig setup")
	// ErrUnsupported: a well-formed setup of a kind satchel does not handle (P2SH, nested
	// segwit, taproot, bare public keys, an encrypted BSMS record not yet decrypted, other path
	// restrictions).
	ErrUnsupported = errors.New("unsupported multisig setup")
	// ErrFirstAddress: a BSMS record's first address is not the wallet's first address, so the
	// record was altered or made for other keys: do not use it.
	ErrFirstAddress = errors.New("first address does not match the setup")
	// ErrNoDerivation: a BSMS record was read or written without an address derivation, so its
	// first address cannot be checked or computed.
	ErrNoDerivation = errors.New("no address derivation to check the first address")
)
