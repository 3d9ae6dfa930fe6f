package message

import (
	"bytes"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// bip322Tag is the BIP340 tag of BIP322's message hash.
const bip322Tag = "BIP0322-signed-message"

// legacyMagic is the prefix of the legacy signed-message hash, so a signed message can never
// be a valid transaction hash.
const legacyMagic = "Bitcoin Signed Message:\n"

// MessageHash is BIP322's message_hash: the BIP340 tagged hash of the message bytes as they
// are, with tag "BIP0322-signed-message". It is exported for signers that build the virtual
// transactions themselves (a PSBT for a hardware wallet).
func MessageHash(msg []byte) chainhash.Hash {
	return *chainhash.TaggedHash([]byte(bip322Tag), msg)
}

// legacyHash is the double SHA-256 of the magic and the message, each with a compact-size
// length prefix, as Bitcoin Core's signmessage hashes.
func legacyHash(msg []byte) []byte {
	var b bytes.Buffer
	_ = wire.WriteVarString(&b, 0, legacyMagic) // writes to a bytes.Buffer cannot fail
	_ = wire.WriteVarBytes(&b, 0, msg)
	return chainhash.DoubleHashB(b.Bytes())
}
