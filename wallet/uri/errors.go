package uri

import "errors"

// Classes of refusal, for errors.Is.
var (
	// ErrNotBitcoinURI: the text does not start with the bitcoin: scheme.
	ErrNotBitcoinURI = errors.New("not a bitcoin: URI")
	// ErrUnknownRequired: a req- parameter satchel does not implement; BIP21 and BIP321 say
	// the whole URI must then be refused.
	ErrUnknownRequired = errors.New("URI requires a feature satchel does not support")
	// ErrDuplicate: amount, label, message or pop given twice, which BIP321 forbids because
	// the two copies could say different things.
	ErrDuplicate = errors.New("URI repeats a parameter")
	// ErrNoPaymentTarget: neither an address nor a payment instruction parameter.
	ErrNoPaymentTarget = errors.New("URI has no address to pay")
	// ErrInvalid: malformed URI text (bad percent-encoding, empty key, control characters,
	// an address parameter with the wrong prefix, a bad amount, ...).
	ErrInvalid = errors.New("not a valid bitcoin: URI")
)
