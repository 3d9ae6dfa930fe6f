package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/mdp/qrterminal/v3"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// What psbt show --qr and psbt import share for UR and BBQr alike: drawing QR codes on the
// terminal, sizing them to it, animating them, and reading parts line by line.

// renderURQR draws s as a QR code in half-height blocks with a 2-module quiet zone. Level L:
// an animation tolerates a lost frame better than a denser code, and L leaves the most room.
func renderURQR(s string) string {
	var buf bytes.Buffer
	qrterminal.GenerateWithConfig(s, qrterminal.Config{
		Level: qrterminal.L, Writer: &buf, HalfBlocks: true,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE, QuietZone: 2,
	})
	return buf.String()
}

// qrCells is the size of a rendered QR code in columns and rows.
func qrCells(frame string) (cols, rows int) {
	first, _, _ := strings.Cut(frame, "\n")
	return utf8.RuneCountInString(first), strings.Count(frame, "\n")
}

// fitURFragment finds the largest fragment size whose QR code, for the longest part header
// (a five-digit part number), fits the terminal with a line left for the status. It says
// false when even the smallest does not fit (the smallest is used then).
func (a *App) fitURFragment() (int, bool) {
	// The CBOR header of a part takes at most 22 bytes and the Bytewords checksum 4; two
	// letters a byte.
	return a.fitQR(minURFragment, maxTermURFragment, func(f int) string {
		return "UR:CRYPTO-PSBT/99999-9999/" + strings.Repeat("A", 2*(f+26))
	})
}

// fitQR finds the largest n in [lo, hi] whose sample text's QR code fits the terminal with a
// line left for the status, or lo and false when none does.
func (a *App) fitQR(lo, hi int, sample func(n int) string) (int, bool) {
	w, h := a.OutWidth, a.OutHeight
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	fits := func(n int) bool {
		cols, rows := qrCells(renderURQR(sample(n)))
		return cols <= w && rows <= h-2
	}
	if !fits(lo) {
		return lo, false
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, true
}

// animateQR shows the texts next() yields as QR codes in place on the terminal (its alternate
// screen), fps frames a second, each with its status line, until Ctrl-C, Enter on stdin (when
// stdin is not the PSBT) or the end of ctx.
func (a *App) animateQR(ctx context.Context, next func() (text, status string), fps int, stdinFree bool) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	enter := make(chan struct{})
	if stdinFree && a.In != nil {
		go func() {
			if _, err := bufio.NewReader(a.In).ReadString('\n'); err == nil {
				close(enter)
			}
		}()
	}
	fmt.Fprint(a.Out, "\x1b[?1049h\x1b[?25l") // alternate screen, cursor hidden
	shown := 0
	defer func() {
		fmt.Fprint(a.Out, "\x1b[?25h\x1b[?1049l")
		fmt.Fprintf(a.Err, "showed %s\n", count(shown, "QR code frame", "QR code frames"))
	}()
	tick := time.NewTicker(time.Second / time.Duration(fps))
	defer tick.Stop()
	for {
		text, status := next()
		shown++
		var frame strings.Builder
		frame.WriteString("\x1b[H")
		// Light modules are drawn as full blocks in the text colour: force bright white on
		// black, so that a terminal with a light theme does not show the code inverted.
		for _, line := range strings.Split(strings.TrimRight(renderURQR(strings.ToUpper(text)), "\n"), "\n") {
			frame.WriteString("\x1b[97;40m" + line + "\x1b[0m\x1b[K\n")
		}
		frame.WriteString(status)
		frame.WriteString(" · Enter or Ctrl-C to stop\x1b[K\n\x1b[J")
		io.WriteString(a.Out, frame.String())
		select {
		case <-ctx.Done():
			return nil
		case <-enter:
			return nil
		case <-tick.C:
		}
	}
}

// readParts feeds add the non-blank lines of r, trimmed, until done, calling progress after
// each. A refused line is named by its number.
func readParts(r io.Reader, add func(string) error, done func() bool, progress func()) error {
	sc := bufio.NewScanner(r)
	// A single-part UR of the largest PSBT satchel reads is two letters a byte.
	sc.Buffer(make([]byte, 0, 64<<10), 2*txbuilder.MaxPSBTSize+1024)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		if err := add(s); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		progress()
		if done() {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return usagef("line_too_long", fmt.Sprintf("line %d is longer than any PSBT's parts", line+1))
		}
		if errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.EBADF) { // only standard input can be a folder, or closed, here
			return stdinError("bad_input", err)
		}
		return fmt.Errorf("read the parts: %w", err)
	}
	return nil
}
