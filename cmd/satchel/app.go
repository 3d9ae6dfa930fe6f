package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// App is everything a command touches outside itself: streams, terminal state, environment,
// clock. Tests build one with buffers and a fake terminal; main builds it from the process.
type App struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// InTerm and ErrTerm say whether stdin and stderr are terminals: prompts need both.
	InTerm  bool
	ErrTerm bool
	// OutTerm says whether stdout is a terminal (colour is only used there); OutWidth and
	// OutHeight are its size in columns and rows, 0 when unknown.
	OutTerm   bool
	OutWidth  int
	OutHeight int
	// ReadSecret reads a line from the terminal without echo.
	ReadSecret func(prompt string) ([]byte, error)
	// ReadLine reads a visible line from the terminal.
	ReadLine func(prompt string) (string, error)
	Getenv   func(string) string
	Now      func() time.Time
	// Keystore options for tests (cheap KDF); empty in production.
	Keystore []wallet.KeystoreOption
	// Dial, when set, replaces backend dialing (tests use an in-memory chain).
	Dial func(ctx context.Context, url string) (chain.Backend, error)
	// Entropy is the random source for new seeds; crypto/rand in production.
	Entropy io.Reader
	// DNSAnchors replaces the root trust anchor for BIP353 names (tests sign their own zones).
	DNSAnchors []string

	flags globalFlags
	// psbtOut is send --psbt-out: where a watch-only wallet writes its unsigned PSBT.
	psbtOut string
	// lenientConfig skips config files that do not check out, so config can repair them.
	lenientConfig bool
	// feeSource says where the fee rate of this command's plan came from (txSession sets it).
	feeSource string
	// fx is this command's price of bitcoin and the conversions its plan shows (fiatcmd.go).
	fx fxState
	// names are the BIP353 names this command resolved, for its plan (namecmd.go).
	names []nameJSON
}

type globalFlags struct {
	datadir        string
	network        string
	wallet         string
	json           bool
	passphraseFile string
	yes            bool
	offline        bool
	backend        string
	proxy          string
	spServer       string
	gapLimit       int
	unit           string // sat or btc, resolved by resolveGlobals
	utc            bool
	jq             string
	jqCode         *jqQuery // compiled --jq, nil without it
}

// walletDir is DATADIR/NETWORK/NAME.
func (a *App) walletDir() (string, error) {
	name := a.flags.wallet
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." || strings.HasPrefix(name, ".") || len(name) > 64 {
		return "", usagef("bad_wallet_name", fmt.Sprintf("wallet name %q is not allowed: use letters, digits, - and _", name))
	}
	for _, r := range name {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "", usagef("bad_wallet_name", fmt.Sprintf("wallet name %q is not allowed: use letters, digits, - and _", name))
		}
	}
	dir, err := a.dataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, a.flags.network, name), nil
}

func (a *App) dataDir() (string, error) {
	if a.flags.datadir != "" {
		return filepath.Abs(a.flags.datadir)
	}
	if v := a.Getenv("SATCHEL_HOME"); v != "" {
		return filepath.Abs(v)
	}
	if v := a.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "satchel"), nil
	}
	home := a.Getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", usagef("no_datadir", "cannot find a home folder: give --datadir or set SATCHEL_HOME")
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "satchel"), nil
}

// printJSON writes v as one JSON document on stdout, or with --jq the results of the
// expression applied to that document.
func (a *App) printJSON(v any) error {
	if a.flags.jqCode != nil {
		return a.printJQ(v)
	}
	if done, err := a.printFast(v); done {
		return err
	}
	enc := json.NewEncoder(a.Out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// warn prints a warning on stderr: a line of text, or under --json one JSON object per line.
func (a *App) warn(code, msg string) {
	if a.flags.json {
		b, _ := json.Marshal(map[string]any{"warning": map[string]string{"code": code, "message": msg}})
		fmt.Fprintln(a.Err, string(b))
		return
	}
	fmt.Fprintln(a.Err, a.paintErr(styleWarn, "warning:")+" "+msg)
}

// canPrompt says whether the user can be asked something.
func (a *App) canPrompt() bool { return a.InTerm && a.ErrTerm && a.ReadLine != nil }

// confirm asks a y/N question on the terminal; without one it needs --yes.
func (a *App) confirm(question string) error {
	if a.flags.yes {
		return nil
	}
	if !a.canPrompt() {
		return usagef("confirmation_needed", "not a terminal: add --yes to confirm")
	}
	ans, err := a.ReadLine(question + " [y/N] ")
	if err != nil {
		return err
	}
	ans = strings.ToLower(strings.TrimSpace(ans))
	if ans != "y" && ans != "yes" {
		return &codedError{exit: exitError, code: "declined", err: fmt.Errorf("declined: nothing was done")}
	}
	return nil
}
