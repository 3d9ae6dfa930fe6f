package ur

import "errors"

// Classes of refusal, for errors.Is. Each error returned by this package wraps one of them.
var (
	// ErrInvalid: text that is not a well-formed UR or UR part (scheme, path, Bytewords, CBOR).
	ErrInvalid = errors.New("not a valid UR part")
	// ErrChecksum: a part's Bytewords checksum, or the reassembled message's CRC-32, does not
	// match: the text was damaged or mistyped.
	ErrChecksum = errors.New("UR checksum does not match")
	// ErrWrongType: a UR of another type than the decoder reads (a crypto-account where a
	// PSBT was expected, say).
	ErrWrongType = errors.New("wrong UR type")
	// ErrMismatch: a part that belongs to another message than the parts before it.
	ErrMismatch = errors.New("UR part of another message")
	// ErrTooLarge: a part announces a message larger than the decoder accepts.
	ErrTooLarge = errors.New("UR message too large")
	// ErrIncomplete: the result was asked for before every fragment arrived.
	ErrIncomplete = errors.New("UR message incomplete")
)
