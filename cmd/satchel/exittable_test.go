package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

// The exit codes are told three times: the constants, the EXIT STATUS of every command's help
// and the README's table. They say the same codes with the same meanings, and every JSON code
// the README names in a row is classified to that row's exit code.
func TestExitCodeTableMatchesREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Exit codes\n")
	if !ok {
		t.Fatal("README has no Exit codes section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[int]string{}
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \| (.+) \|$`).FindAllStringSubmatch(section, -1) {
		n, _ := strconv.Atoi(m[1])
		if _, dup := rows[n]; dup {
			t.Errorf("README lists exit %d twice", n)
		}
		rows[n] = m[2]
	}
	help := map[int]string{}
	for _, m := range regexp.MustCompile(`(?m)^  (\d)  (.+)$`).FindAllStringSubmatch(exitStatusHelp, -1) {
		n, _ := strconv.Atoi(m[1])
		help[n] = m[2]
	}
	// What each code means, in a word both texts use.
	meaning := map[int]string{
		exitOK: "ok", exitError: "error", exitUsage: "usage", exitPassphrase: "passphrase",
		exitCannotPay: "cannot pay", exitBackend: "backend", exitBusy: "busy",
	}
	if len(rows) != len(meaning) || len(help) != len(meaning) {
		t.Fatalf("README has %d exit codes, the help %d, exitcodes.go %d", len(rows), len(help), len(meaning))
	}
	for code, word := range meaning {
		if !strings.Contains(rows[code], word) || !strings.Contains(help[code], word) {
			t.Errorf("exit %d (%s): README says %q, the help %q", code, word, rows[code], help[code])
		}
	}
	// An error of each JSON code the README names, made as the code makes it.
	no := &App{InTerm: true, ErrTerm: true, Err: io.Discard, ReadLine: func(string) (string, error) { return "n", nil }}
	samples := map[string]error{
		"declined":              no.confirm("Send?"),
		"not_set":               notSet("backend"),
		"wallet_exists":         fmt.Errorf("%w: /x", wallet.ErrExists),
		"not_multisig":          fmt.Errorf("x: %w", wallet.ErrNotMultisig),
		"not_a_member":          fmt.Errorf("x: %w", wallet.ErrNotMember),
		"backend_wrong_network": fmt.Errorf("dial: %w", btcd.ErrWrongNetwork),
		"chain_too_long":        fmt.Errorf("x: %w", wallet.ErrChainTooLong),
		"wrong_passphrase":      wallet.ErrWrongPassphrase,
		"wallet_busy":           wallet.ErrBusy,
		"insufficient_funds":    txbuilder.ErrInsufficientFunds,
		"too_large":             fmt.Errorf("plan: %w", txbuilder.ErrTooLarge),
		"backend_unreachable":   fmt.Errorf("x: %w", chain.ErrUnreachable),
		"keystore_damaged":      fmt.Errorf("keystore x: %w", wallet.ErrKeystoreCorrupt),
		"wallet_damaged":        fmt.Errorf("open x: %w", wallet.ErrStoreDamaged),
	}
	for code, text := range rows {
		for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(text, -1) {
			err, ok := samples[m[1]]
			if !ok {
				t.Errorf("README names %s under exit %d: add a sample error for it to this test", m[1], code)
				continue
			}
			if exit, got := classify(err); exit != code || got != m[1] {
				t.Errorf("%s: classified exit %d %s, the README says exit %d", m[1], exit, got, code)
			}
		}
	}
}
