package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/bbqr"
)

// BBQr sizes, in characters per QR code header included: printed parts fill a version-27 code
// (2,132 characters, the spec's sweet spot); on a terminal the largest code that fits, up to
// a version-40 one (4,296), so that most PSBTs show as one frame.
const (
	bbqrPrintChars = 2132
	bbqrMaxChars   = 4296
	bbqrMinChars   = 24
)

// bbqrErr gives BBQr errors exit 2 and a stable JSON code.
func bbqrErr(err error) error {
	var ce *codedError
	var ue *usageError
	if err == nil || errors.As(err, &ce) || errors.As(err, &ue) {
		return err
	}
	code, hint := "", ""
	switch {
	case errors.Is(err, bbqr.ErrMismatch):
		code, hint = "bbqr_mismatch", "give the parts of one PSBT only"
	case errors.Is(err, bbqr.ErrIncomplete):
		code, hint = "bbqr_incomplete", "give every part (BBQr needs them all)"
	case errors.Is(err, bbqr.ErrTooLarge):
		code = "bbqr_too_large"
	case errors.Is(err, bbqr.ErrInvalid):
		code, hint = "bad_bbqr", "give BBQr parts (B$...), one per line"
	default:
		return err
	}
	if hint != "" {
		err = fmt.Errorf("%w: %s", err, hint)
	}
	return &codedError{exit: exitUsage, code: code, err: err}
}

// bbqrPartsJSON is what psbt show --qr --bbqr prints under --json.
type bbqrPartsJSON struct {
	Format   string   `json:"format"`
	Encoding string   `json:"encoding"`
	FileType string   `json:"file_type"`
	Parts    []string `json:"parts"`
}

// showBBQr shows raw as BBQr: on a terminal the parts in turn (one still frame when it fits
// one QR code), else printed one per line.
func (a *App) showBBQr(ctx context.Context, raw []byte, fps int, stdinFree bool) error {
	animate := a.OutTerm && !a.flags.json
	chars := bbqrPrintChars
	if animate {
		var fits bool
		chars, fits = a.fitQR(bbqrMinChars, bbqrMaxChars, func(n int) string { return "B$2P0100" + strings.Repeat("A", n-8) })
		if !fits {
			a.warn("terminal_too_small", fmt.Sprintf("the terminal (%dx%d) is too small for a QR code: enlarge the window, or print the parts (not on a terminal)", a.OutWidth, a.OutHeight))
		}
	}
	parts, err := bbqr.Split(raw, bbqr.FilePSBT, chars)
	if errors.Is(err, bbqr.ErrTooLarge) {
		return usagef("bbqr_too_large", fmt.Sprintf("the PSBT needs more than %d BBQr parts of %d characters: enlarge the terminal, or use UR (drop --bbqr)", bbqr.MaxParts, chars))
	}
	if err != nil {
		return bbqrErr(err)
	}
	if animate {
		i := 0
		return a.animateQR(ctx, func() (string, string) {
			p := parts[i%len(parts)]
			i++
			if len(parts) == 1 {
				return p, "the whole PSBT in one QR code (BBQr)"
			}
			return p, fmt.Sprintf("BBQr part %d of %d", (i-1)%len(parts)+1, len(parts))
		}, fps, stdinFree)
	}
	if a.flags.json {
		return a.printJSON(bbqrPartsJSON{Format: "bbqr", Encoding: "2", FileType: "P", Parts: parts})
	}
	for _, p := range parts {
		fmt.Fprintln(a.Out, p)
	}
	return nil
}

// importBBQr reads BBQr parts until every one is there: the PSBT's bytes and the parts read.
func (a *App) importBBQr(r io.Reader, live bool) ([]byte, int, error) {
	j := bbqr.NewJoiner(txbuilder.MaxPSBTSize)
	n := 0
	add := func(s string) error {
		if err := j.Add(s); err != nil {
			return err
		}
		n++
		return nil
	}
	err := readParts(r, add, j.Complete, func() {
		if live {
			got, total := j.Progress()
			fmt.Fprintf(a.Err, "\rpart %d read: %d of %d parts\x1b[K", n, got, total)
		}
	})
	if live && n > 0 {
		fmt.Fprintln(a.Err)
	}
	if err != nil {
		return nil, n, bbqrErr(err)
	}
	if n == 0 {
		return nil, 0, bbqrErr(fmt.Errorf("%w: no BBQr part in the input", bbqr.ErrIncomplete))
	}
	raw, err := j.Result()
	if err != nil {
		return nil, n, bbqrErr(err)
	}
	if t := j.FileType(); t != bbqr.FilePSBT {
		what := map[byte]string{'T': "a signed transaction", 'J': "JSON", 'U': "text", 'C': "CBOR", 'B': "binary data"}[t]
		if what == "" {
			what = fmt.Sprintf("file type %c", t)
		}
		return nil, n, &codedError{exit: exitUsage, code: "wrong_bbqr_type", err: fmt.Errorf("the BBQr parts hold %s, not a PSBT (file type P)", what)}
	}
	return raw, n, nil
}
