package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

type feeRowJSON struct {
	Target  int          `json:"target"`
	Label   string       `json:"label"`
	FeeRate *json.Number `json:"fee_rate"`
	TipFee  *int64       `json:"tip_fee_sat"`
	// The tip fee as a percentage of a 1,000 and a 10,000 sat tip: numbers (7.7 is 7.7%).
	Share1000  *json.Number `json:"share_of_1000_sat_pct"`
	Share10000 *json.Number `json:"share_of_10000_sat_pct"`
}

type feesJSON struct {
	Estimates []feeRowJSON `json:"estimates"`
	RelayFee  json.Number  `json:"relay_fee_rate"`
	TipVSize  int64        `json:"tip_vsize"`
	Backend   string       `json:"backend"`
	// Given prices the tip at --fee-rate (target 0, label "--fee-rate"), beside the estimates
	// rather than in place of them; null without the flag.
	Given *feeRowJSON `json:"given"`
}

// tipVSize is the size of a typical tip from this wallet: one input and two outputs (payee and
// change) of the wallet's type.
func tipVSize(t txbuilder.ScriptType) int64 {
	return txbuilder.EstimateTxWeight(1, 2, t.InputWeight(), 2*t.OutputWeight()).VSize()
}

// priceTip fills row with what a tip of vsize costs at rate r.
func priceTip(row *feeRowJSON, r txbuilder.FeeRate, vsize int64) {
	rate := jsonRate(r)
	fee := int64(r.FeeForVSize(vsize))
	s1, s2 := pctNumber(fee, 1000), pctNumber(fee, 10000)
	row.FeeRate, row.TipFee, row.Share1000, row.Share10000 = &rate, &fee, &s1, &s2
}

func newFeesCmd(a *App) *cobra.Command {
	var feeRate string
	c := &cobra.Command{
		Use:   "fees",
		Short: "Show fee estimates and what a tip costs at each",
		Long: `Show the backend's fee estimates for the next block, about an hour (6 blocks) and about a day
(144 blocks), its minimum relay fee, and what a typical tip costs at each: a transaction with one
input and two outputs of the wallet's type, in sat and as a share of a 1,000 and a 10,000 sat tip.
Estimates below 1 sat/vB are kept as decimals. send --target uses the same source.
--fee-rate adds a row pricing the tip at that rate, beside the estimates (regtest has none).`,
		Example: "  satchel fees\n  satchel fees --json\n  satchel fees --fee-rate 2",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var given txbuilder.FeeRate
			if feeRate != "" {
				r, err := parseFeeRateFlag("--fee-rate", feeRate)
				if err != nil {
					return err
				}
				given = r
			}
			w, be, err := a.openOnline(cmd, "fee estimates need the network: drop --offline")
			if err != nil {
				return err
			}
			defer w.Close()
			defer be.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			typ, _ := parseWalletType(w.Meta().Type)
			out := feesJSON{TipVSize: tipVSize(typ), Backend: be.Name()}
			relay, err := be.RelayFee(ctx)
			if err != nil {
				return err
			}
			out.RelayFee = json.Number(relay.String())
			for _, t := range []struct {
				n     int
				label string
			}{{1, "next block"}, {6, "about an hour"}, {144, "about a day"}} {
				row := feeRowJSON{Target: t.n, Label: t.label}
				r, err := be.EstimateFee(ctx, t.n)
				if err != nil && !errors.Is(err, chain.ErrNoEstimate) {
					return err
				}
				if err == nil {
					priceTip(&row, r, out.TipVSize)
				}
				out.Estimates = append(out.Estimates, row)
			}
			if given > 0 {
				out.Given = &feeRowJSON{Label: "--fee-rate"}
				priceTip(out.Given, given, out.TipVSize)
				if given > wallet.MaxFeeRate {
					// Priced all the same (the user asked what it costs), but not left to be
					// found out at send.
					a.warn("fee_rate_too_high", fmt.Sprintf("--fee-rate %s sat/vB is above 1,000 sat/vB, which satchel never pays: send refuses it", given))
				}
			}
			if a.flags.json {
				return a.printJSON(out)
			}
			// The table printer keeps the columns apart whatever the unit (0.00003850 BTC is
			// wider than 3,850 sat); the notes below go on lines of their own, within 80 columns.
			t := newTable("TARGET", "SAT/VB", "TIP FEE", "OF 1,000", "OF 10,000")
			t.alignRight(1, 2, 3, 4)
			rows := out.Estimates
			if out.Given != nil {
				rows = append(rows[:len(rows):len(rows)], *out.Given)
			}
			for _, r := range rows {
				if r.FeeRate == nil {
					t.add(txt(r.Label), txt("-"), txt("-"), txt("-"), txt("-"))
					continue
				}
				t.add(txt(r.Label), txt(string(*r.FeeRate)), txt(a.fmtAmount(*r.TipFee)),
					txt(wallet.Share(txbuilder.Amount(*r.TipFee), 1000)), txt(wallet.Share(txbuilder.Amount(*r.TipFee), 10000)))
			}
			if err := t.write(a); err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "minimum relay fee: %s sat/vB\n", out.RelayFee)
			fmt.Fprintf(a.Out, "a tip is %s vB (1 input, 2 outputs, from a %s)\n", groupDigits(out.TipVSize), typ.AddressKind())
			if out.Estimates[0].FeeRate == nil && out.Given == nil {
				fmt.Fprintln(a.Out, "No estimates from the backend (regtest nodes have none): give --fee-rate to price a tip or to send")
			}
			return nil
		},
	}
	c.Flags().StringVar(&feeRate, "fee-rate", "", "also price the tip at this fee rate in sat/vB (decimals allowed)")
	return c
}

// jsonRate prints a fee rate as a JSON number in sat/vB.
func jsonRate(r txbuilder.FeeRate) json.Number { return json.Number(r.String()) }
