// Command satchel is a command-line Bitcoin HD wallet for everyday small payments.
package main

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	// Maps the binary and the heap's start in bulk before most packages initialise (see its doc).
	_ "github.com/satchel-wallet/satchel/internal/prefault"
)

func main() {
	harden()
	os.Exit(run(processApp(), os.Args[1:]))
}

// processApp wires an App to the real process: its streams, terminal and environment.
func processApp() *App {
	inTerm := term.IsTerminal(int(os.Stdin.Fd()))
	errTerm := term.IsTerminal(int(os.Stderr.Fd()))
	outTerm := term.IsTerminal(int(os.Stdout.Fd()))
	outWidth, outHeight := 0, 0
	if outTerm {
		if w, h, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			outWidth, outHeight = w, h
		}
	}
	a := &App{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTerm: inTerm, ErrTerm: errTerm, OutTerm: outTerm, OutWidth: outWidth, OutHeight: outHeight,
		Getenv: os.Getenv, Now: time.Now, Entropy: rand.Reader,
	}
	stdin := bufio.NewReader(os.Stdin)
	a.ReadSecret = func(prompt string) ([]byte, error) {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		return b, err
	}
	a.ReadLine = func(prompt string) (string, error) {
		fmt.Fprint(os.Stderr, prompt)
		s, err := stdin.ReadString('\n')
		if err != nil && s == "" {
			return "", err
		}
		return strings.TrimRight(s, "\r\n"), nil
	}
	return a
}
