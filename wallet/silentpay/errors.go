package silentpay

import "errors"

// Error classes. Functions wrap them with detail; match them with errors.Is.
var (
	// ErrInvalidAddress: the string is not a silent payment address (bad bech32m, bad length,
	// keys that are not curve points).
	ErrInvalidAddress = errors.New("invalid silent payment address")
	// ErrWrongNetwork: a valid address for another network than the wallet's.
	ErrWrongNetwork = errors.New("silent payment address is for another network")
	// ErrUnsupportedVersion: address version 31, which BIP352 reserves for a change that
	// version 0 wallets cannot pay to.
	ErrUnsupportedVersion = errors.New("unsupported silent payment address version")
	// ErrNoEligibleInputs: no input of the transaction is one whose key BIP352 uses (P2TR,
	// P2WPKH, P2SH-P2WPKH, P2PKH with compressed keys), so no silent payment can be made or
	// found.
	ErrNoEligibleInputs = errors.New("no input eligible for silent payments")
	// ErrKeySumZero: the eligible input keys cancel out (private keys sum to zero, public keys
	// to the point at infinity). BIP352 says the sender must fail and the receiver skip.
	ErrKeySumZero = errors.New("input keys sum to zero")
	// ErrFutureSegwitInput: the transaction spends a segwit v2+ output. BIP352 v0 receivers
	// must not scan such transactions and senders must not select such coins.
	ErrFutureSegwitInput = errors.New("transaction spends a segwit version 2+ output")
	// ErrTooManyRecipients: more than KMax recipients share one scan key. Receivers stop
	// looking after KMax outputs, so the extra payments would be lost.
	ErrTooManyRecipients = errors.New("too many silent payment recipients for one scan key")
	// ErrInvalidScalar: a hash meant to be a scalar is zero or not below the curve order. The
	// odds are below 2^-127; BIP352 says to fail.
	ErrInvalidScalar = errors.New("hash is not a valid secp256k1 scalar")
	// ErrInvalidKey: a key given to the package is missing or unusable (nil, zero, or a sum that
	// lands on the point at infinity).
	ErrInvalidKey = errors.New("invalid key")
)
