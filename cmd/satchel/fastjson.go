package main

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// Large lists (history and utxos of a big wallet) are written with these encoders instead of
// encoding/json: the same bytes as json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false)
// (a test holds them to that), streamed through a buffer, at a fraction of the time and memory.

func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			// Rare: let encoding/json apply its exact escaping rules.
			var buf []byte
			w := &sliceWriter{&buf}
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s)
			return append(b, buf[:len(buf)-1]...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendNested writes v, an object inside a list element, as json.Encoder with the list's
// indentation would.
func appendNested(b []byte, v any) []byte {
	var buf []byte
	enc := json.NewEncoder(&sliceWriter{&buf})
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	_ = enc.Encode(v)
	return append(b, buf[:len(buf)-1]...)
}

type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

// field writes `    "name": ` with the indentation of a list element's members.
func field(b []byte, name string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, "\n    \""...)
	b = append(b, name...)
	return append(b, "\": "...)
}

func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

func appendOptInt(b []byte, v *int64) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return appendInt(b, *v)
}

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

func (h *historyJSON) appendJSON(b []byte) []byte {
	b = append(b, "  {"...)
	b = appendJSONString(field(b, "txid", true), h.TxID)
	b = field(b, "height", false)
	if h.Height == nil {
		b = append(b, "null"...)
	} else {
		b = appendInt(b, int64(*h.Height))
	}
	b = appendInt(field(b, "confirmations", false), int64(h.Confirmations))
	b = field(b, "time", false)
	if h.Time == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '"')
		b = h.Time.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	b = appendInt(field(b, "amount_sat", false), h.Amount)
	b = appendOptInt(field(b, "fee_sat", false), h.Fee)
	if h.Label != "" {
		b = appendJSONString(field(b, "label", false), h.Label)
	}
	b = appendJSONString(field(b, "status", false), h.Status)
	b = appendBool(field(b, "immature", false), h.Immature)
	if h.MatureHeight != nil {
		b = appendInt(field(b, "mature_height", false), int64(*h.MatureHeight))
	}
	if h.Fiat != nil {
		b = appendNested(field(b, "fiat", false), h.Fiat)
	}
	return append(b, "\n  }"...)
}

func (u *utxoJSON) appendJSON(b []byte) []byte {
	b = append(b, "  {"...)
	b = appendJSONString(field(b, "outpoint", true), u.OutPoint)
	b = appendInt(field(b, "value_sat", false), u.Value)
	b = appendJSONString(field(b, "address", false), u.Address)
	b = appendJSONString(field(b, "path", false), u.Path)
	b = appendInt(field(b, "confirmations", false), int64(u.Confirmations))
	b = appendBool(field(b, "frozen", false), u.Frozen)
	b = appendOptInt(field(b, "spend_cost_sat", false), u.SpendCost)
	b = field(b, "economical", false)
	if u.Economical == nil {
		b = append(b, "null"...)
	} else {
		b = appendBool(b, *u.Economical)
	}
	if u.Label != "" {
		b = appendJSONString(field(b, "label", false), u.Label)
	}
	if u.DustAttack {
		b = appendBool(field(b, "dust_attack", false), true)
	}
	b = appendBool(field(b, "immature", false), u.Immature)
	b = appendBool(field(b, "spendable", false), u.Spendable)
	if u.MatureHeight != nil {
		b = appendInt(field(b, "mature_height", false), int64(*u.MatureHeight))
	}
	if u.Fiat != nil {
		b = appendNested(field(b, "fiat", false), u.Fiat)
	}
	return append(b, "\n  }"...)
}

// writeRows streams a JSON array of rows, indented as printJSON would.
func writeRows[T any](w io.Writer, rows []T, appendRow func(b []byte, r *T) []byte) error {
	if rows == nil {
		_, err := io.WriteString(w, "null\n")
		return err
	}
	if len(rows) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 1024)
	b = append(b, "[\n"...)
	for i := range rows {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = appendRow(b, &rows[i])
		if len(b) > 32<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, "\n]\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// printFast writes the big lists without reflection; anything else goes to encoding/json.
func (a *App) printFast(v any) (bool, error) {
	if a.flags.jqCode != nil {
		return false, nil
	}
	switch rows := v.(type) {
	case []historyJSON:
		return true, writeRows(a.Out, rows, func(b []byte, r *historyJSON) []byte { return r.appendJSON(b) })
	case []utxoJSON:
		return true, writeRows(a.Out, rows, func(b []byte, r *utxoJSON) []byte { return r.appendJSON(b) })
	}
	return false, nil
}

// streamRows writes a JSON array of rows produced one at a time by each, indented as printJSON
// would, holding only the current row.
func streamRows[T any](w io.Writer, each func(emit func(*T) error) error, appendRow func(b []byte, r *T) []byte) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 1024)
	n := 0
	err := each(func(r *T) error {
		if n == 0 {
			b = append(b, "[\n"...)
		} else {
			b = append(b, ",\n"...)
		}
		n++
		b = appendRow(b, r)
		if len(b) > 32<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		b = append(b, "[]\n"...)
	} else {
		b = append(b, "\n]\n"...)
	}
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}
