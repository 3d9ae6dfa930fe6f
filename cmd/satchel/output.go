package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/itchyny/gojq"
)

// style is how a piece of human output is coloured on a terminal.
type style int

// Styles, named for what they mean rather than their colour.
const (
	stylePlain style = iota
	styleIn          // money coming in: green
	styleOut         // money going out: red
	styleDim         // pending, frozen, secondary: dim
	styleWarn        // warnings and doubtful values: yellow
	styleBold        // headers
)

var ansi = map[style]string{styleIn: "\033[32m", styleOut: "\033[31m", styleDim: "\033[2m", styleWarn: "\033[33m", styleBold: "\033[1m"}

// colorAllowed says whether escapes may go to a stream that is a terminal: never with NO_COLOR
// set (https://no-color.org) or on a dumb terminal.
func (a *App) colorAllowed(isTerm bool) bool {
	return isTerm && a.Getenv("NO_COLOR") == "" && a.Getenv("TERM") != "dumb"
}

func paint(on bool, st style, s string) string {
	if !on || st == stylePlain || s == "" {
		return s
	}
	return ansi[st] + s + "\033[0m"
}

// paintOut colours s for stdout.
func (a *App) paintOut(st style, s string) string { return paint(a.colorAllowed(a.OutTerm), st, s) }

// paintErr colours s for stderr.
func (a *App) paintErr(st style, s string) string { return paint(a.colorAllowed(a.ErrTerm), st, s) }

// cell is one table cell: its text and how it is coloured.
type cell struct {
	text  string
	style style
}

// txt makes a plain cell (control characters shown as \xNN); .in gives it a style.
func txt(s string) cell { return cell{text: printable(s)} }

func (c cell) in(st style) cell { c.style = st; return c }

// table lays rows out in aligned columns for people: a header, two spaces between columns,
// numbers right-aligned, no trailing spaces, colour only where the App allows it. It is the one
// table printer of the human output (history, utxos, fees...).
//
//	t := newTable("TARGET", "RATE", "COST")
//	t.alignRight(1, 2)
//	t.add(txt("1 block"), txt("12 sat/vB"), txt(a.fmtAmount(123)).in(styleWarn))
//	t.write(a)
type table struct {
	head  []string
	right map[int]bool
	rows  [][]cell
	seen  []int // the widest text of each column among the rows measured
	// maxWidth, when set, is the terminal's width: the last column (a label) is cut to fit.
	maxWidth int
}

func newTable(head ...string) *table { return &table{head: head, right: map[int]bool{}} }

// alignRight right-aligns the given columns (numbers).
func (t *table) alignRight(cols ...int) {
	for _, c := range cols {
		t.right[c] = true
	}
}

// add appends a row; missing cells are empty.
func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

// measure widens the columns to fit cells, as add does, without keeping the row: a table too
// long to hold (100,000 history rows) is measured in one pass and streamed in another.
func (t *table) measure(cells []cell) {
	for len(t.seen) < len(cells) {
		t.seen = append(t.seen, 0)
	}
	for i, c := range cells {
		t.seen[i] = max(t.seen[i], utf8.RuneCountInString(c.text))
	}
}

// render writes the table to w, with colour when color is set.
func (t *table) render(w io.Writer, color bool) error {
	for _, r := range t.rows {
		t.measure(r)
	}
	return t.stream(w, color, func(emit func([]cell) error) error {
		for _, r := range t.rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// stream writes the header, then each row that rows emits, at the widths measured so far
// (add's rows and measure's): rows it never measured may run over their column.
func (t *table) stream(w io.Writer, color bool, rows func(emit func([]cell) error) error) error {
	n := max(len(t.head), len(t.seen))
	width := make([]int, n)
	for i, h := range t.head {
		width[i] = utf8.RuneCountInString(h)
	}
	for i, wd := range t.seen {
		width[i] = max(width[i], wd)
	}
	cut := -1 // the last column's room, when it is cut to fit maxWidth
	if last := n - 1; t.maxWidth > 0 && last > 0 {
		total := 2 * (n - 1)
		for _, wd := range width {
			total += wd
		}
		if total > t.maxWidth {
			room := max(t.maxWidth-(total-width[last]), 6)
			if last < len(t.head) {
				room = max(room, utf8.RuneCountInString(t.head[last]))
			}
			if room < width[last] {
				width[last], cut = room, room
			}
		}
	}
	// Lines go out through one buffer of 64 KiB, each built in a reused slice: 100,000 history
	// rows built as strings into one buffer of the whole output took 0.3 s and 100 MiB more.
	bw := bufio.NewWriterSize(w, 64<<10)
	var l []byte
	line := func(cells []cell) error {
		l = l[:0]
		for i := 0; i < n; i++ {
			var c cell
			if i < len(cells) {
				c = cells[i]
			}
			if i == n-1 && cut >= 0 {
				c.text = cutRunes(c.text, cut)
			}
			pad := width[i] - utf8.RuneCountInString(c.text)
			if i > 0 {
				l = append(l, "  "...)
			}
			if t.right[i] {
				l = appendSpaces(l, pad)
			}
			l = appendPainted(l, color, c.style, c.text)
			if !t.right[i] {
				l = appendSpaces(l, pad)
			}
		}
		for len(l) > 0 && l[len(l)-1] == ' ' {
			l = l[:len(l)-1]
		}
		l = append(l, '\n')
		_, err := bw.Write(l)
		return err
	}
	if len(t.head) > 0 {
		head := make([]cell, len(t.head))
		for i, h := range t.head {
			head[i] = txt(h).in(styleBold)
		}
		if err := line(head); err != nil {
			return err
		}
	}
	if err := rows(line); err != nil {
		return err
	}
	return bw.Flush()
}

// appendSpaces appends n spaces (none when n <= 0).
func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// appendPainted appends s coloured as paint would colour it.
func appendPainted(b []byte, on bool, st style, s string) []byte {
	if !on || st == stylePlain || s == "" {
		return append(b, s...)
	}
	b = append(b, ansi[st]...)
	b = append(b, s...)
	return append(b, "\033[0m"...)
}

// write prints the table on stdout.
func (t *table) write(a *App) error { return t.render(a.Out, a.colorAllowed(a.OutTerm)) }

// loc is where times are shown: local time, or UTC with --utc.
func (a *App) loc() *time.Location {
	if a.flags.utc {
		return time.UTC
	}
	return time.Local
}

// fmtTime shows a time to people, in a.loc().
func (a *App) fmtTime(t time.Time) string { return t.In(a.loc()).Format("2006-01-02 15:04:05") }

// zoneName names a.loc() for a column header: "UTC", "CET"...
func (a *App) zoneName() string { return a.Now().In(a.loc()).Format("MST") }

// jqQuery is a compiled --jq expression with the key orders of the objects it builds, which
// gojq's maps do not keep.
type jqQuery struct {
	code  *gojq.Code
	built []keyShape
}

// compileJQ parses and compiles a --jq expression; a bad one is a usage error naming it.
func compileJQ(expr string) (*jqQuery, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		why := err.Error()
		if why == "unexpected EOF" {
			// gojq's words for an expression cut short: say it as jq users know it.
			why = "the expression ends too early (an unclosed bracket, parenthesis or quote?)"
		}
		return nil, usagef("bad_jq", fmt.Sprintf("--jq %q: %s", expr, why))
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, usagef("bad_jq", fmt.Sprintf("--jq %q: %v", expr, err))
	}
	return &jqQuery{code: code, built: builtShapes(q)}, nil
}

// printJQ applies --jq to the JSON document v would print: strings print raw (as jq -r),
// other values as compact JSON, one result per line. Results are printed only when the whole
// expression succeeded, so a failing expression leaves stdout empty.
func (a *App) printJQ(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	var out bytes.Buffer
	var order *keyOrders // built on the first object result
	iter := a.flags.jqCode.code.Run(doc)
	for {
		r, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := r.(error); ok {
			if h, ok := err.(*gojq.HaltError); ok && h.Value() == nil {
				break
			}
			return usagef("jq_failed", fmt.Sprintf("--jq %q: %v", a.flags.jq, err))
		}
		if s, ok := r.(string); ok {
			out.WriteString(s + "\n")
			continue
		}
		if order == nil {
			order = keyOrder(raw, doc, a.flags.jqCode.built)
		}
		b, err := appendOrdered(nil, r, order)
		if err != nil {
			return usagef("jq_failed", fmt.Sprintf("--jq %q: %v", a.flags.jq, err))
		}
		out.Write(append(b, '\n'))
	}
	_, err = a.Out.Write(out.Bytes())
	return err
}

// cutRunes shortens s to at most n runes, ending with "…" when it was cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
