package bip329

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/internal/jsonwhy"
)

// MaxLineBytes bounds one line, so a hostile file cannot make Parse buffer without end. A
// record is a few hundred bytes; BIP329 suggests labels of at most 255 characters.
const MaxLineBytes = 64 << 10

// Parse reads a BIP329 export: one JSON object per line, lines separated by "\n" (a "\r"
// before it is tolerated, and so are blank lines and a UTF-8 byte order mark). It returns every
// record in file order, unknown types included, or a *LineError for the first bad line.
func Parse(r io.Reader) ([]Record, error) {
	br := bufio.NewReaderSize(r, MaxLineBytes+1)
	var out []Record
	if lr, ok := r.(interface{ Len() int }); ok {
		// Sized once from the input (a record line is rarely under 64 bytes): growing a slice
		// of 500,000 records by doubling copied and rescanned more than parsing them took.
		out = make([]Record, 0, lr.Len()/64+1)
	}
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, &LineError{Line: n, Err: invalidf("line is longer than %d KiB: is it a BIP329 labels file?", MaxLineBytes>>10)}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(line)) > 0 {
			rec, perr := parseLine(line)
			if perr != nil {
				return nil, &LineError{Line: n, Err: perr}
			}
			rec.Line = n
			out = append(out, rec)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
	}
}

// parseLine decodes and checks one non-blank line.
func parseLine(line []byte) (Record, error) {
	var rec Record
	if !utf8.Valid(line) {
		return rec, invalidf("not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(line)
	if trimmed[0] != '{' {
		return rec, invalidf("not a JSON object")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return rec, invalidf("not a JSON object: %s", jsonwhy.Describe(err))
	}
	var err error
	if rec.Type, err = stringField(fields, "type", true); err != nil {
		return rec, err
	}
	if rec.Ref, err = stringField(fields, "ref", true); err != nil {
		return rec, err
	}
	if _, ok := fields["label"]; ok && !isNull(fields["label"]) {
		s, err := stringField(fields, "label", false)
		if err != nil {
			return rec, err
		}
		rec.Label = &s
	}
	if rec.Origin, err = stringField(fields, "origin", false); err != nil {
		return rec, err
	}
	if raw, ok := fields["spendable"]; ok && !isNull(raw) && rec.Type == TypeOutput {
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return rec, invalidf("spendable must be true or false, not %s", short(string(raw)))
		}
		rec.Spendable = &b
	}
	return rec, Validate(&rec)
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// stringField reads a string field; a missing or null field is "" unless required.
func stringField(fields map[string]json.RawMessage, name string, required bool) (string, error) {
	raw, ok := fields[name]
	if !ok || isNull(raw) {
		if required {
			return "", invalidf("no %q", name)
		}
		return "", nil
	}
	var s string
	if q, ok := plainString(raw); ok {
		s = q
	} else if err := json.Unmarshal(raw, &s); err != nil {
		return "", invalidf("%q must be a string, not %s", name, short(string(raw)))
	}
	if required && s == "" {
		return "", invalidf("%q is empty", name)
	}
	return s, nil
}

// Validate checks a record as Parse does: a type and a ref, single-line values, and for the
// types BIP329 defines a ref of the right form. Encode refuses what Validate refuses, so what
// it writes always parses back.
func Validate(r *Record) error {
	if r.Type == "" {
		return invalidf("no \"type\"")
	}
	if r.Ref == "" {
		return invalidf("no \"ref\"")
	}
	for _, f := range [...]struct{ name, v string }{{"type", r.Type}, {"ref", r.Ref}, {"label", r.Text()}, {"origin", r.Origin}} {
		if strings.ContainsAny(f.v, "\r\n") {
			return invalidf("%s spans several lines, which BIP329 does not allow", f.name)
		}
	}
	if r.Spendable != nil && r.Type != TypeOutput {
		return invalidf("spendable belongs to output records only")
	}
	switch r.Type {
	case TypeTx:
		if !isHex(r.Ref, 64) {
			return invalidf("tx ref %s is not a 64-digit hex transaction id", short(r.Ref))
		}
	case TypeInput, TypeOutput:
		if _, _, err := SplitOutPoint(r.Ref); err != nil {
			return err
		}
	case TypePubkey:
		if !isHex(r.Ref, 66) && !isHex(r.Ref, 130) && !isHex(r.Ref, 64) {
			return invalidf("pubkey ref %s is not a 32, 33 or 65-byte hex key", short(r.Ref))
		}
	case TypeAddr, TypeXpub, TypeSPScan:
		if len(r.Ref) > 1000 || strings.ContainsFunc(r.Ref, func(c rune) bool {
			return !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
		}) {
			return invalidf("%s ref %s is not a single word of letters and digits", r.Type, short(r.Ref))
		}
	}
	return nil
}

// SplitOutPoint reads the "txid:index" ref of an input or output record.
func SplitOutPoint(ref string) (txid string, index uint32, err error) {
	id, idx, ok := strings.Cut(ref, ":")
	if !ok || !isHex(id, 64) {
		return "", 0, invalidf("ref %s is not TXID:INDEX", short(ref))
	}
	if idx == "" || len(idx) > 10 || strings.Trim(idx, "0123456789") != "" || (len(idx) > 1 && idx[0] == '0') {
		return "", 0, invalidf("ref %s: index %s is not a whole number", short(ref), short(idx))
	}
	n, err := strconv.ParseUint(idx, 10, 32)
	if err != nil {
		return "", 0, invalidf("ref %s: index %s is out of range", short(ref), short(idx))
	}
	return id, uint32(n), nil
}

// plainString reads a JSON string without escapes directly: nearly every value in a labels
// file, and a second json.Unmarshal per field made a 500,000-line import take seconds. raw
// has already been checked as JSON (and the line as UTF-8) by the caller's Unmarshal.
func plainString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
		return "", false
	}
	return string(raw[1 : len(raw)-1]), true
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// short quotes a value for an error, cut so a huge value cannot flood the message.
func short(s string) string { return clip.Quote(s, 80) }
