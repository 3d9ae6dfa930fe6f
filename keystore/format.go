package keystore

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// Fixed header values and sizes of format version 1 (FORMAT.md sections 3 and 4).
const (
	formatName     = "satchel-keystore"
	formatVersion  = 1
	cipherName     = "xchacha20-poly1305"
	kdfName        = "argon2id"
	nonceLen       = 24
	tagLen         = 16
	wrappedKeyLen  = nonceLen + keyLen + tagLen
	maxFileSize    = 16384
	maxNetworkLen  = 32
	createdLayout  = "2006-01-02T15:04:05Z"
	checksumPrefix = `  "checksum": "`
)

// file is a parsed version-1 keystore. Its canonical text is a pure function of it.
type file struct {
	network     string
	fingerprint string
	created     time.Time // UTC, whole seconds
	cost        [3]uint64 // Argon2 time, memory KiB, threads, as stored (see params)
	salt        []byte
	wrappedKey  []byte // nonce ‖ sealed data key
	payload     []byte // nonce ‖ sealed plaintext
	checksum    string // as stored; verified separately
}

// headerJSON is H of FORMAT.md section 3, the payload's associated data.
func (f *file) headerJSON() []byte {
	return fmt.Appendf(nil, `{"format":%q,"version":%d,"cipher":%q,"network":"%s","fingerprint":"%s","created":"%s"}`,
		formatName, formatVersion, cipherName, f.network, f.fingerprint, f.created.UTC().Format(createdLayout))
}

// kdfJSON is K of FORMAT.md section 3.
func (f *file) kdfJSON() []byte {
	return fmt.Appendf(nil, `{"name":%q,"time":%d,"memory_kib":%d,"threads":%d,"salt":"%s"}`,
		kdfName, f.cost[0], f.cost[1], f.cost[2], b64(f.salt))
}

// params narrows the stored cost to KDFParams; only valid once parse has checked the
// cost caps (or for a file being written).
func (f *file) params() KDFParams {
	return KDFParams{Time: uint32(f.cost[0]), MemoryKiB: uint32(f.cost[1]), Threads: uint8(f.cost[2])}
}

// setParams stores p as the file's KDF cost.
func (f *file) setParams(p KDFParams) {
	f.cost = [3]uint64{uint64(p.Time), uint64(p.MemoryKiB), uint64(p.Threads)}
}

// keyAAD is the wrapped key's associated data: the whole header and KDF object.
func (f *file) keyAAD() []byte {
	return append(append(f.headerJSON(), '\n'), f.kdfJSON()...)
}

// body is the canonical text up to the checksum line, which the checksum covers.
func (f *file) body() []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"header\": ")
	b.Write(f.headerJSON())
	b.WriteString(",\n  \"kdf\": ")
	b.Write(f.kdfJSON())
	b.WriteString(",\n  \"wrapped_key\": \"" + b64(f.wrappedKey) + "\",\n")
	b.WriteString("  \"payload\": \"" + b64(f.payload) + "\",\n")
	return b.Bytes()
}

// sum is the checksum the body calls for.
func (f *file) sum() string { return sumHex(f.body()) }

// encode renders the canonical text with the stored checksum; seal sets a fresh one.
func (f *file) encode() []byte {
	return append(f.body(), checksumPrefix+f.checksum+"\"\n}\n"...)
}

// seal fills in the checksum and returns the bytes to write.
func (f *file) seal() []byte {
	f.checksum = f.sum()
	return f.encode()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// sumHex is the checksum of a body; tests and fuzzers use it to repair edited files.
func sumHex(body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:])
}
