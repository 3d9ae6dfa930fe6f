package message

import (
	"errors"
	"fmt"
)

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

// malformedError is a signature that does not read, said in a person's words alone: the
// parser's detail (witness counts, varints) helps no one who pasted it, and the sentinel's
// name would say the same thing twice.
type malformedError struct{ msg string }

func (e *malformedError) Error() string { return e.msg }
func (e *malformedError) Unwrap() error { return ErrMalformedSignature }

// malformed makes a malformedError whose text says what kind of signature was expected.
func malformed(kind, detail string) error {
	if detail != "" {
		detail = " (" + detail + ")"
	}
	return &malformedError{fmt.Sprintf("the signature is not a valid %s signature%s: check that it was copied whole", kind, detail)}
}
