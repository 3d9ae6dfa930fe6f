package p2p

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
)

// Files the backend keeps in the wallet folder.
const (
	headersFile       = "p2p-headers"
	filterHeadersFile = "p2p-filterheaders"
	scanFile          = "p2p-scan.json"
)

// File magics: a file of another kind or version is ignored (and rebuilt from the network).
var (
	headersMagic       = []byte("satchel-p2p-headers-1\n")
	filterHeadersMagic = []byte("satchel-p2p-filterheaders-2\n")
)

// encodeHeaders serializes headers after the magic, 80 bytes each.
func encodeHeaders(hs []wire.BlockHeader) []byte {
	var buf bytes.Buffer
	buf.Grow(len(headersMagic) + len(hs)*wire.MaxBlockHeaderPayload)
	buf.Write(headersMagic)
	for i := range hs {
		_ = hs[i].Serialize(&buf) // a bytes.Buffer does not fail
	}
	return buf.Bytes()
}

// decodeHeaders reads what encodeHeaders wrote. It checks only the framing; the caller checks
// the chain.
func decodeHeaders(data []byte) ([]wire.BlockHeader, error) {
	if !bytes.HasPrefix(data, headersMagic) {
		return nil, errors.New("not a satchel p2p headers file")
	}
	data = data[len(headersMagic):]
	if len(data)%wire.MaxBlockHeaderPayload != 0 {
		return nil, fmt.Errorf("headers file is %d bytes, not a whole number of headers", len(data))
	}
	out := make([]wire.BlockHeader, len(data)/wire.MaxBlockHeaderPayload)
	r := bytes.NewReader(data)
	for i := range out {
		if err := out[i].Deserialize(r); err != nil {
			return nil, fmt.Errorf("header %d: %w", i, err)
		}
	}
	return out, nil
}

// encodeFilterHeaders serializes filter headers after the magic and the hash of the block the
// last one belongs to (tip), 32 bytes each. The headers and the filter headers are two files,
// written one after the other: the tip hash says whether the filter headers belong to the
// header chain they are read with.
func encodeFilterHeaders(fh []chainhash.Hash, tip chainhash.Hash) []byte {
	out := make([]byte, 0, len(filterHeadersMagic)+(len(fh)+1)*chainhash.HashSize)
	out = append(out, filterHeadersMagic...)
	out = append(out, tip[:]...)
	for i := range fh {
		out = append(out, fh[i][:]...)
	}
	return out
}

// decodeFilterHeaders reads what encodeFilterHeaders wrote.
func decodeFilterHeaders(data []byte) (fh []chainhash.Hash, tip chainhash.Hash, err error) {
	if !bytes.HasPrefix(data, filterHeadersMagic) {
		return nil, tip, errors.New("not a satchel p2p filter headers file")
	}
	data = data[len(filterHeadersMagic):]
	if len(data) < chainhash.HashSize || len(data)%chainhash.HashSize != 0 {
		return nil, tip, fmt.Errorf("filter headers file is %d bytes, not a tip and a whole number of hashes", len(data))
	}
	copy(tip[:], data)
	data = data[chainhash.HashSize:]
	fh = make([]chainhash.Hash, len(data)/chainhash.HashSize)
	for i := range fh {
		copy(fh[i][:], data[i*chainhash.HashSize:])
	}
	return fh, tip, nil
}

// readFile reads a file of the data folder; a missing file or folder is empty.
func readFile(dir, name string) ([]byte, error) {
	if dir == "" {
		return nil, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// writeFile replaces a file of the data folder atomically; with no folder it does nothing.
func writeFile(dir, name string, data []byte) error {
	if dir == "" {
		return nil
	}
	if err := atomicfile.Write(filepath.Join(dir, name), data, 0o600); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}
