package bbqr

import (
	"bytes"
	"compress/flate"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Classes of refusal, for errors.Is.
var (
	// ErrInvalid: text that is not a BBQr part (header, encoding, characters).
	ErrInvalid = errors.New("not a valid BBQr part")
	// ErrMismatch: a part of another series than the parts before it (encoding, file type,
	// count), or a repeated index with other content.
	ErrMismatch = errors.New("BBQr part of another file")
	// ErrTooLarge: data too large to split into 1,295 parts of the size asked, or a joined
	// file larger than the Joiner accepts.
	ErrTooLarge = errors.New("BBQr file too large")
	// ErrIncomplete: the result was asked for before every part arrived.
	ErrIncomplete = errors.New("BBQr file incomplete")
)

// FilePSBT is the file type of a PSBT; FileTxn a signed network transaction.
const (
	FilePSBT = 'P'
	FileTxn  = 'T'
)

// HeaderLen is the length of each part's header.
const HeaderLen = 8

// MaxParts is the most parts two base-36 digits count.
const MaxParts = 36*36 - 1

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func base36(n int) string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	return string([]byte{digits[n/36], digits[n%36]})
}

func unbase36(s string) (int, bool) {
	n := 0
	for _, c := range []byte(s) {
		switch {
		case c >= '0' && c <= '9':
			n = n*36 + int(c-'0')
		case c >= 'A' && c <= 'Z':
			n = n*36 + int(c-'A') + 10
		default:
			return 0, false
		}
	}
	return n, true
}

// Split encodes data of the given file type as base32 BBQr parts of at most maxChars
// characters each, header included (a QR code's alphanumeric capacity). The parts are as
// equal as base32's 8-character groups allow, so no QR in the series is a hard-to-read runt.
func Split(data []byte, fileType byte, maxChars int) ([]string, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: nothing to split", ErrInvalid)
	}
	if fileType < 'A' || fileType > 'Z' {
		return nil, fmt.Errorf("%w: file type %q", ErrInvalid, fileType)
	}
	capacity := maxChars - HeaderLen
	if capacity < 8 {
		return nil, fmt.Errorf("%w: %d characters leave no room for data", ErrInvalid, maxChars)
	}
	enc := b32.EncodeToString(data)
	per := len(enc)
	if len(enc) > capacity {
		groups := capacity / 8 // a full part holds whole 5-byte groups
		n := (len(enc) + groups*8 - 1) / (groups * 8)
		per = (len(enc) + n - 1) / n
		per = (per + 7) / 8 * 8
	}
	n := (len(enc) + per - 1) / per
	if n > MaxParts {
		return nil, fmt.Errorf("%w: %d parts of %d characters (at most %d)", ErrTooLarge, n, maxChars, MaxParts)
	}
	head := "B$2" + string(fileType) + base36(n)
	parts := make([]string, 0, n)
	for i := 0; i < n; i++ {
		end := min((i+1)*per, len(enc))
		parts = append(parts, head+base36(i)+enc[i*per:end])
	}
	return parts, nil
}

// Joiner gathers the parts of one BBQr series, in any order, repeats allowed.
type Joiner struct {
	// MaxLen bounds the joined file (after decompression for Z).
	MaxLen int

	head  string // the first 6 characters, the same in every part
	total int
	parts map[int]string
}

// NewJoiner joins files of at most maxLen bytes.
func NewJoiner(maxLen int) *Joiner { return &Joiner{MaxLen: maxLen} }

// Add takes one part (any case, surrounding spaces ignored). A part that cannot be read is
// ErrInvalid, one of another series ErrMismatch; the Joiner is then left as it was.
func (j *Joiner) Add(s string) error {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < HeaderLen || !strings.HasPrefix(s, "B$") {
		return fmt.Errorf("%w: it does not start with a B$ header", ErrInvalid)
	}
	if enc := s[2]; enc != 'H' && enc != '2' && enc != 'Z' {
		return fmt.Errorf("%w: encoding %q (H, 2 or Z)", ErrInvalid, enc)
	}
	if t := s[3]; t < 'A' || t > 'Z' {
		return fmt.Errorf("%w: file type %q", ErrInvalid, t)
	}
	total, ok1 := unbase36(s[4:6])
	idx, ok2 := unbase36(s[6:8])
	if !ok1 || !ok2 || total == 0 || idx >= total {
		return fmt.Errorf("%w: part %q of %q", ErrInvalid, s[6:8], s[4:6])
	}
	body := s[HeaderLen:]
	if _, err := decodeChunk(s[2], body); err != nil {
		return err
	}
	if j.head != "" && s[:6] != j.head {
		return fmt.Errorf("%w: header %s after parts headed %s", ErrMismatch, s[:6], j.head)
	}
	if prev, ok := j.parts[idx]; ok {
		if prev != body {
			return fmt.Errorf("%w: part %d seen twice with different content", ErrMismatch, idx+1)
		}
		return nil
	}
	if j.head == "" {
		j.head, j.total, j.parts = s[:6], total, map[int]string{}
	}
	j.parts[idx] = body
	return nil
}

// decodeChunk decodes one part's data; each must stand alone in whole bytes.
func decodeChunk(enc byte, body string) ([]byte, error) {
	var b []byte
	var err error
	if enc == 'H' {
		b, err = hex.DecodeString(body)
	} else {
		b, err = b32.DecodeString(body)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the data is not %s", ErrInvalid, map[byte]string{'H': "hex", '2': "base32", 'Z': "base32"}[enc])
	}
	return b, nil
}

// Complete says whether every part has arrived.
func (j *Joiner) Complete() bool { return j.head != "" && len(j.parts) == j.total }

// Progress is the number of distinct parts received and the number in the series (0 before
// the first).
func (j *Joiner) Progress() (got, total int) { return len(j.parts), j.total }

// FileType is the series' file type (0 before the first part).
func (j *Joiner) FileType() byte {
	if j.head == "" {
		return 0
	}
	return j.head[3]
}

// Result joins the parts in order and decodes them: the file's bytes.
func (j *Joiner) Result() ([]byte, error) {
	if !j.Complete() {
		got, total := j.Progress()
		return nil, fmt.Errorf("%w: %d of %d parts", ErrIncomplete, got, total)
	}
	var data []byte
	for i := 0; i < j.total; i++ {
		b, err := decodeChunk(j.head[2], j.parts[i])
		if err != nil {
			return nil, err
		}
		data = append(data, b...)
		if j.head[2] != 'Z' && len(data) > j.MaxLen {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, j.MaxLen)
		}
	}
	if j.head[2] != 'Z' {
		return data, nil
	}
	// Raw deflate: read at most one byte past the limit, so a small part cannot inflate into
	// gigabytes.
	r := flate.NewReader(bytes.NewReader(data))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(j.MaxLen)+1))
	if err != nil {
		return nil, fmt.Errorf("%w: the compressed data does not inflate: %v", ErrInvalid, err)
	}
	if len(out) > j.MaxLen {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, j.MaxLen)
	}
	return out, nil
}
