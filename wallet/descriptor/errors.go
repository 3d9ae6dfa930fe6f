package descriptor

import "errors"

// Classes of descriptor errors, for errors.Is.
var (
	// ErrInvalid: the text is not a valid descriptor under BIP380-389.
	ErrInvalid = errors.New("invalid descriptor")
	// ErrChecksum: the "#checksum" is malformed or does not match, so the descriptor was
	// altered or mistyped.
	ErrChecksum = errors.New("descriptor checksum does not match")
	// ErrUnsupported: a valid descriptor form satchel does not handle (wsh, multi, pk, raw,
	// addr, tr with a script tree, ...).
	ErrUnsupported = errors.New("unsupported descriptor")
	// ErrMultipath: the descriptor has a <a;b> step and must be Split before deriving.
	ErrMultipath = errors.New("multipath descriptor: split it first")
	// ErrNeedPrivateKey: a hardened step comes after a public extended key.
	ErrNeedPrivateKey = errors.New("hardened derivation needs the private key")
)
