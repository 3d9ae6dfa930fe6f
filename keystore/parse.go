package keystore

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/satchel-wallet/satchel/internal/jsonwhy"
)

// Wire shapes for strict decoding. KDF numbers are wide so that absurd values reach the
// cost check (ErrCostTooHigh) instead of failing to decode.
type (
	wireFile struct {
		Header     *wireHeader `json:"header"`
		KDF        *wireKDF    `json:"kdf"`
		WrappedKey *string     `json:"wrapped_key"`
		Payload    *string     `json:"payload"`
		Checksum   *string     `json:"checksum"`
	}
	wireHeader struct {
		Format      *string `json:"format"`
		Version     *int    `json:"version"`
		Cipher      *string `json:"cipher"`
		Network     *string `json:"network"`
		Fingerprint *string `json:"fingerprint"`
		Created     *string `json:"created"`
	}
	wireKDF struct {
		Name      *string `json:"name"`
		Time      *uint64 `json:"time"`
		MemoryKiB *uint64 `json:"memory_kib"`
		Threads   *uint64 `json:"threads"`
		Salt      *string `json:"salt"`
	}
)

// parse runs steps 2 to 7 of FORMAT.md section 7 on a file's bytes. limit caps the KDF
// cost. Errors carry the sentinel class and name path.
func parse(path string, data []byte, limit KDFParams) (*file, error) {
	corrupt := func(format string, args ...any) (*file, error) {
		return nil, fileErr(path, ErrCorrupt, format, args...)
	}
	if len(data) > maxFileSize {
		return corrupt("file is larger than %d bytes", maxFileSize)
	}
	if err := probe(path, data); err != nil {
		return nil, err
	}

	var w wireFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return corrupt("%s", jsonwhy.Describe(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return corrupt("data after the JSON object")
	}
	f, msg := fromWire(&w)
	if msg != "" {
		return corrupt("%s", msg)
	}
	if !bytes.Equal(f.encode(), data) {
		return corrupt("not in canonical form (the file was edited or damaged)")
	}
	if f.sum() != f.checksum {
		return corrupt("checksum mismatch (the file was damaged or edited)")
	}
	if msg := checkCost(f.cost[0], f.cost[1], f.cost[2], limit); msg != "" {
		return nil, fileErr(path, ErrCostTooHigh, "%s", msg)
	}
	if msg := checkMinimums(f.params()); msg != "" {
		return corrupt("%s", msg)
	}
	return f, nil
}

// probe is step 3: tell "not a keystore" and "newer version" apart from damage before
// the strict, version-specific parse.
func probe(path string, data []byte) error {
	var p struct {
		Header *struct {
			Format  *string      `json:"format"`
			Version *json.Number `json:"version"`
		} `json:"header"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return fileErr(path, ErrCorrupt, "%s", jsonwhy.Describe(err))
	}
	if p.Header == nil || p.Header.Format == nil || *p.Header.Format != formatName {
		return fileErr(path, ErrCorrupt, "not a satchel keystore")
	}
	if p.Header.Version == nil {
		return fileErr(path, ErrCorrupt, "no version")
	}
	v, err := strconv.ParseUint(p.Header.Version.String(), 10, 31)
	if err != nil || v == 0 {
		return fileErr(path, ErrCorrupt, "bad version %s", p.Header.Version.String())
	}
	if v != formatVersion {
		return fileErr(path, ErrUnsupportedVersion, "version %d; this satchel reads version %d, a newer satchel is needed", v, formatVersion)
	}
	return nil
}

// fromWire checks every field rule except the KDF cost and returns the parsed file, or a
// description of the first problem.
func fromWire(w *wireFile) (*file, string) {
	h, k := w.Header, w.KDF
	switch {
	case h == nil:
		return nil, "missing header"
	case k == nil:
		return nil, "missing kdf"
	case w.WrappedKey == nil || w.Payload == nil || w.Checksum == nil:
		return nil, "missing wrapped_key, payload or checksum"
	case h.Format == nil || h.Version == nil || h.Cipher == nil || h.Network == nil || h.Fingerprint == nil || h.Created == nil:
		return nil, "missing header field"
	case k.Name == nil || k.Time == nil || k.MemoryKiB == nil || k.Threads == nil || k.Salt == nil:
		return nil, "missing kdf field"
	case *h.Cipher != cipherName:
		return nil, fmt.Sprintf("unknown cipher %q", *h.Cipher)
	case *k.Name != kdfName:
		return nil, fmt.Sprintf("unknown kdf %q", *k.Name)
	}
	f := &file{network: *h.Network, fingerprint: *h.Fingerprint, checksum: *w.Checksum}
	if msg := checkMeta(Meta{Network: f.network, Fingerprint: f.fingerprint}); msg != "" {
		return nil, msg
	}
	created, err := time.Parse(createdLayout, *h.Created)
	if err != nil {
		return nil, fmt.Sprintf("bad created time %q", *h.Created)
	}
	f.created = created
	f.cost = [3]uint64{*k.Time, *k.MemoryKiB, *k.Threads}
	var msg string
	if f.salt, msg = unb64("kdf.salt", *k.Salt, saltLen, saltLen); msg != "" {
		return nil, msg
	}
	if f.wrappedKey, msg = unb64("wrapped_key", *w.WrappedKey, wrappedKeyLen, wrappedKeyLen); msg != "" {
		return nil, msg
	}
	if f.payload, msg = unb64("payload", *w.Payload, nonceLen+tagLen+padBlock, nonceLen+tagLen+maxPlaintext); msg != "" {
		return nil, msg
	}
	if (len(f.payload)-nonceLen-tagLen)%padBlock != 0 {
		return nil, fmt.Sprintf("payload of %d bytes has a ciphertext that is not a multiple of %d", len(f.payload), padBlock)
	}
	if len(f.checksum) != 2*sha256.Size {
		return nil, "checksum is not 64 hex digits"
	}
	return f, ""
}

// unb64 decodes a base64 field and checks its decoded length. The canonical comparison
// later rejects any non-canonical spelling that the decoder tolerated.
func unb64(name, s string, minLen, maxLen int) ([]byte, string) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Sprintf("%s is not base64", name)
	}
	if len(b) < minLen || len(b) > maxLen {
		if minLen == maxLen {
			return nil, fmt.Sprintf("%s is %d bytes, want %d", name, len(b), minLen)
		}
		return nil, fmt.Sprintf("%s is %d bytes, want %d to %d", name, len(b), minLen, maxLen)
	}
	return b, ""
}
