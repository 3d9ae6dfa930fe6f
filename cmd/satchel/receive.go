package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mdp/qrterminal/v3"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/fiat"
	"github.com/satchel-wallet/satchel/wallet/uri"
)

type receiveJSON struct {
	Address string `json:"address"`
	Index   uint32 `json:"index"`
	Path    string `json:"path"`
	URI     string `json:"uri"`
	Label   string `json:"label,omitempty"`
}

func newReceiveCmd(a *App) *cobra.Command {
	var label, amount string
	var qr, silent bool
	c := &cobra.Command{
		Use:   "receive",
		Short: "Hand out the next unused receive address",
		Long: `Hand out the next receive address that was never handed out and never used on chain, with a
BIP21 bitcoin: URI carrying the amount and label when given. Works with no network at all.`,
		Example: "  satchel receive\n  satchel receive --label coffee --amount 2100 --qr\n  satchel receive --json | jq -r .address",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var amt txbuilder.Amount
			var fiatAmt *fiat.Amount
			if amount != "" {
				v, f, err := parsePayAmount(amount)
				if err != nil {
					return usagef("bad_amount", err.Error())
				}
				amt, fiatAmt = v, f
			}
			if err := checkLabelArg("--label", label); err != nil {
				return err
			}
			if silent {
				if amount != "" {
					return usagef("bad_flag", "--amount does not go with --silent: a silent payment address carries no amount (the payer chooses it); leave --amount out")
				}
				if qr {
					return usagef("bad_flag", "--qr does not go with --silent: satchel shows no QR code of a silent payment address; leave --qr out and copy the address as printed")
				}
				return a.receiveSilent(cmd, label)
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			a.syncForReceive(cmd, w)
			if fiatAmt != nil {
				// The URI asks for satoshis: converted now, shown, before an address is handed out.
				if amt, err = a.convertOne(cmd.Context(), w, *fiatAmt); err != nil {
					return err
				}
			}
			addr, err := w.Receive(label)
			if err != nil {
				return err
			}
			if addr.BeyondGap {
				a.warn("beyond_gap_limit", fmt.Sprintf("address index %d is past the gap limit after the last used address: another wallet restoring this seed may not see payments to it until earlier addresses are used", addr.Index))
			}
			out := receiveJSON{Address: addr.Address, Index: addr.Index, Path: addr.Path,
				URI: uri.Build(addr.Address, amt, label, ""), Label: label}
			if a.flags.json {
				return a.printJSON(out)
			}
			fmt.Fprintln(a.Out, out.Address)
			uriShown := false
			if qr {
				uriShown = !a.printQR(out.URI)
			}
			if out.URI != "bitcoin:"+out.Address && !uriShown {
				fmt.Fprintln(a.Out, out.URI)
			}
			return nil
		},
	}
	c.Flags().StringVar(&label, "label", "", "label the address (shown in history and utxos)")
	c.Flags().StringVar(&amount, "amount", "", "amount to ask for, in the URI (2100, 2100sat, 0.000021btc, or 5usd converted now)")
	c.Flags().BoolVar(&qr, "qr", false, "draw the bitcoin: URI as a QR code")
	c.Flags().BoolVar(&silent, "silent", false, "print the wallet's reusable BIP352 silent payment address, with --label a labelled one (the first time needs the passphrase and a backend that scans: btcd, or a tweak server with --sp-server)")
	return c
}

// printQR draws a QR code of s with half-height blocks on stdout, and says true. When stdout is
// a terminal too narrow for it (the code needs its modules plus a 2-module quiet zone on each
// side, one column each), it prints s as text instead, says why on stderr, and says false.
func (a *App) printQR(s string) bool {
	var buf bytes.Buffer
	qrterminal.GenerateWithConfig(s, qrterminal.Config{
		Level: qrterminal.M, Writer: &buf, HalfBlocks: true,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE, QuietZone: 2,
	})
	first, _, _ := strings.Cut(buf.String(), "\n")
	need := utf8.RuneCountInString(first)
	if a.OutTerm && a.OutWidth > 0 && need > a.OutWidth {
		a.warn("terminal_too_narrow", fmt.Sprintf("the terminal is too narrow for the QR code (%d columns, it needs %d): showing the URI instead", a.OutWidth, need))
		fmt.Fprintln(a.Out, s)
		return false
	}
	a.Out.Write(buf.Bytes())
	return true
}
