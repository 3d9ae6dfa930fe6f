package message

import "errors"

// Error classes; every error Sign and Verify return matches one with errors.Is, or one of
// wallet/address's errors for an address that does not decode.
var (
	// ErrInvalidSignature: the signature is well formed but does not prove the message for
	// the address (wrong message, wrong address, wrong key, wrong sighash type).
	ErrInvalidSignature = errors.New("invalid signature")
	// ErrMalformedSignature: the signature cannot be decoded at all (not base64, empty,
	// truncated, trailing bytes).
	ErrMalformedSignature = errors.New("malformed signature")
	// ErrUnsupported: a valid kind of signature or address that satchel does not check or
	// make: proof-of-funds signatures, taproot script paths in simple signatures, and
	// signing with script addresses. Saying so is better than calling a possibly valid
	// signature invalid.
	ErrUnsupported = errors.New("unsupported message signature")
	// ErrKeyMismatch: Sign was given a key, or a script type, that does not give the address.
	ErrKeyMismatch = errors.New("key does not match the address")
)
