package address

import "errors"

// Classes of refusal. Decode's errors match them with errors.Is and carry a message meant for
// the user, naming the address.
var (
	// ErrWrongNetwork: a valid address, but for another network than the wallet's.
	ErrWrongNetwork = errors.New("address is for another network")
	// ErrBadChecksum: the checksum fails, so a character was mistyped; also a segwit address
	// with the checksum variant of the wrong witness version (BIP350).
	ErrBadChecksum = errors.New("address checksum does not match")
	// ErrUnknownWitnessVersion: a well-formed segwit v2-v16 address. Those versions have no
	// spending rules yet, so coins sent there could be taken by anyone once rules appear.
	ErrUnknownWitnessVersion = errors.New("unknown segwit version")
	// ErrUnsupportedProgram: a witness v1 program that is not a 32-byte taproot key, such as
	// a pay-to-anchor output. Valid on chain, but not a place to send a payment.
	ErrUnsupportedProgram = errors.New("unsupported witness program")
	// ErrInvalid: not a bitcoin address at all.
	ErrInvalid = errors.New("not a valid bitcoin address")
)

// decodeError is an error with a full user-facing message that still matches its class.
type decodeError struct {
	class error
	msg   string
}

func (e *decodeError) Error() string { return e.msg }
func (e *decodeError) Unwrap() error { return e.class }
