package message

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// maxWitnessItems bounds the item count read from a signature, so a forged count cannot make
// the decoder allocate much; a simple signature has a handful of items.
const maxWitnessItems = 1000

// encodeWitness writes a witness stack as consensus encodes it: a compact-size item count,
// then each item with a compact-size length.
func encodeWitness(w wire.TxWitness) []byte {
	var b bytes.Buffer
	_ = wire.WriteVarInt(&b, 0, uint64(len(w))) // writes to a bytes.Buffer cannot fail
	for _, item := range w {
		_ = wire.WriteVarBytes(&b, 0, item)
	}
	return b.Bytes()
}

// decodeWitness reads a consensus-encoded witness stack that must fill data exactly.
// Non-canonical compact sizes are refused, as consensus decoding refuses them.
func decodeWitness(data []byte) (wire.TxWitness, error) {
	r := bytes.NewReader(data)
	n, err := wire.ReadVarInt(r, 0)
	if err != nil {
		return nil, fmt.Errorf("witness item count: %w", err)
	}
	if n > maxWitnessItems || n > uint64(r.Len()) {
		return nil, fmt.Errorf("witness claims %d items in %d bytes", n, r.Len())
	}
	w := make(wire.TxWitness, 0, n)
	for i := range n {
		item, err := wire.ReadVarBytes(r, 0, uint32(len(data)), "witness item")
		if err != nil {
			return nil, fmt.Errorf("witness item %d: %w", i, err)
		}
		w = append(w, item)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%d bytes after the witness stack", r.Len())
	}
	return w, nil
}
