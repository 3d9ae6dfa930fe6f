package main

import (
	"fmt"

	"github.com/mdp/qrterminal/v3"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
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
	var qr bool
	c := &cobra.Command{
		Use:   "receive",
		Short: "Hand out the next unused receive address",
		Long: `Hand out the next receive address that was never handed out and never used on chain, with a
BIP21 bitcoin: URI carrying the amount and label when given. Works with no network at all.`,
		Example: "  satchel receive\n  satchel receive --label coffee --amount 2100 --qr\n  satchel receive --json | jq -r .address",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var amt txbuilder.Amount
			if amount != "" {
				v, err := txbuilder.ParseAmount(amount)
				if err != nil {
					return usagef("bad_amount", err.Error())
				}
				amt = v
			}
			if len(label) > 1000 {
				return usagef("bad_label", "--label is longer than 1,000 characters")
			}
			w, err := a.openWallet(true)
			if err != nil {
				return err
			}
			defer w.Close()
			a.syncForReceive(cmd, w)
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
			if qr {
				a.printQR(out.URI)
			}
			if out.URI != "bitcoin:"+out.Address {
				fmt.Fprintln(a.Out, out.URI)
			}
			return nil
		},
	}
	c.Flags().StringVar(&label, "label", "", "label the address (shown in history and utxos)")
	c.Flags().StringVar(&amount, "amount", "", "amount to ask for, in the URI (2100, 2100sat, 0.000021btc)")
	c.Flags().BoolVar(&qr, "qr", false, "draw the bitcoin: URI as a QR code")
	return c
}

// printQR draws a QR code of s with half-height blocks, on stdout.
func (a *App) printQR(s string) {
	qrterminal.GenerateWithConfig(s, qrterminal.Config{
		Level: qrterminal.M, Writer: a.Out, HalfBlocks: true,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE, QuietZone: 2,
	})
}
