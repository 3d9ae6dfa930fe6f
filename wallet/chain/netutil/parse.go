package netutil

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ParseHash reads a txid or block hash written as servers do (64 hex digits, byte-reversed);
// unlike chainhash.NewHashFromStr it refuses short strings instead of padding them.
func ParseHash(s string) (chainhash.Hash, error) {
	var h chainhash.Hash
	if len(s) != 2*chainhash.HashSize {
		return h, fmt.Errorf("%q is not a 64-digit hash", s)
	}
	if err := chainhash.DecodeStrict(&h, s); err != nil {
		return h, fmt.Errorf("%q is not a hash: %v", s, err)
	}
	return h, nil
}

// DecodeTx reads a hex transaction and checks it is the one asked for: the whole text is one
// transaction and its id is want. The witness is dropped: the txid does not commit to it, so a
// server can pad it at will (an 80 KB junk witness once made a 154 vB parent look 20,156 vB),
// and nothing satchel does with a server's transaction needs it. Sizes come from script types.
func DecodeTx(hexTx string, want chainhash.Hash) (*wire.MsgTx, error) {
	raw, err := hex.DecodeString(hexTx)
	if err != nil {
		return nil, fmt.Errorf("transaction %s is not hex", want)
	}
	tx := new(wire.MsgTx)
	r := bytes.NewReader(raw)
	if err := tx.Deserialize(r); err != nil {
		return nil, fmt.Errorf("transaction %s does not decode: %v", want, err)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("transaction %s has %d stray bytes after it", want, r.Len())
	}
	if got := tx.TxHash(); got != want {
		return nil, fmt.Errorf("asked for transaction %s, got %s", want, got)
	}
	StripWitness(tx)
	return tx, nil
}

// StripWitness drops every input's witness, leaving what the txid commits to.
func StripWitness(tx *wire.MsgTx) {
	for _, in := range tx.TxIn {
		in.Witness = nil
	}
}

// DecodeHeader reads an 80-byte hex block header.
func DecodeHeader(hexHeader string) (*wire.BlockHeader, error) {
	raw, err := hex.DecodeString(hexHeader)
	if err != nil {
		return nil, fmt.Errorf("header is not hex")
	}
	if len(raw) != wire.MaxBlockHeaderPayload {
		return nil, fmt.Errorf("header has %d bytes, not %d", len(raw), wire.MaxBlockHeaderPayload)
	}
	h := new(wire.BlockHeader)
	if err := h.Deserialize(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("header does not decode: %v", err)
	}
	return h, nil
}

// EncodeTx writes a transaction as hex, witness included.
func EncodeTx(tx *wire.MsgTx) (string, error) {
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		return "", fmt.Errorf("serialize transaction: %w", err)
	}
	return hex.EncodeToString(buf.Bytes()), nil
}

// EncodeHeader writes a block header as 80 bytes of hex.
func EncodeHeader(h *wire.BlockHeader) string {
	var buf bytes.Buffer
	_ = h.Serialize(&buf) // writing to a bytes.Buffer cannot fail
	return hex.EncodeToString(buf.Bytes())
}
