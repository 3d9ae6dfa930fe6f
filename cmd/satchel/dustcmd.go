package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
)

type disposeJSON struct {
	OutPoint string `json:"outpoint"`
	Address  string `json:"address"`
	Value    int64  `json:"value_sat"`
	Fee      int64  `json:"fee_sat"`
	VSize    int64  `json:"vsize"`
	TxID     string `json:"txid,omitempty"`
	// The plan object's fields that apply to a disposal (CONVENTIONS: every command that
	// builds a transaction prints them): the rate the whole coin pays, nothing paid, no change.
	FeeRate json.Number `json:"fee_rate"`
	Amount  int64       `json:"amount_sat"`
	Change  int64       `json:"change_sat"`
}

func newDustCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "dust",
		Short: "Get rid of dust coins without linking them to your others",
		Long: `Small coins sent to an address you already used are frozen on arrival as a likely dust attack
(utxos shows them with dust_attack). dust dispose spends each such coin alone, all of it as fee,
to an OP_RETURN output signed SIGHASH_ALL|ANYONECANPAY, so it can never be linked to your other
coins.`,
		Example: "  satchel dust dispose 4a5e...a33b:1 --dry-run",
	}
	var dryRun bool
	dispose := &cobra.Command{
		Use:   "dispose OUTPOINT...",
		Short: "Spend dust coins entirely as fee, each alone",
		Long: `Spend each coin alone with all of its value as fee and one OP_RETURN output (signed
SIGHASH_ALL|ANYONECANPAY). Refused when a coin cannot pay the backend's minimum relay fee for the
transaction's size.

` + exitStatusHelp,
		Example: "  satchel dust dispose 4a5e...a33b:1 --dry-run\n  satchel dust dispose 4a5e...a33b:1 9f3c...0d2e:0 --yes --json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ops []wire.OutPoint
			for _, s := range args {
				op, err := parseOutPoint(s)
				if err != nil {
					return err
				}
				ops = append(ops, op)
			}
			w, be, _, err := a.txSession(cmd, "1", 6, dryRun, nil)
			if err != nil {
				return err
			}
			defer w.Close()
			relay := txbuilder.SatPerVB(1)
			if be != nil {
				defer be.Close()
				if relay, err = a.relayFee(cmd, be); err != nil {
					return err
				}
			}
			if !dryRun {
				if err := needsSeed(w, "dust dispose"); err != nil {
					return err
				}
			}
			done, err := w.Dispose(cmd.Context(), ops, relay, wallet.PayOptions{DryRun: dryRun, Backend: be, Keystore: a.Keystore,
				WithPassphrase: a.withPassphrase,
				Consent: func(*wallet.Plan, []string) error {
					if a.flags.yes {
						return nil
					}
					for _, op := range ops {
						fmt.Fprintf(a.Err, "give up %s entirely as fee\n", op)
					}
					return a.confirm("Sign and send?")
				}})
			if err != nil {
				return err
			}
			out := make([]disposeJSON, len(done))
			for i, d := range done {
				out[i] = disposeJSON{OutPoint: d.Coin.OutPoint.String(), Address: d.Address, Value: d.Coin.Value, Fee: d.Coin.Value, VSize: d.VSize}
				if d.Tx != nil {
					out[i].TxID = d.TxID.String()
					out[i].VSize = txbuilder.TxWeight(d.Tx).VSize()
				}
				out[i].FeeRate = effectiveRate(txbuilder.Amount(out[i].Fee), out[i].VSize)
			}
			return a.printDisposals(out)
		},
	}
	dispose.Flags().BoolVar(&dryRun, "dry-run", false, "show what would be sent; sign and send nothing")
	c.AddCommand(dispose)
	return c
}

func (a *App) printDisposals(out []disposeJSON) error {
	if a.flags.json {
		return a.printJSON(out)
	}
	for _, d := range out {
		status := "dry run"
		if d.TxID != "" {
			status = "sent " + d.TxID
		}
		fmt.Fprintf(a.Out, "%s  %s as fee (%d vB)  %s\n", d.OutPoint, a.fmtAmount(d.Value), d.VSize, status)
	}
	return nil
}

type cpfpJSON struct {
	planJSON
	Parent       string      `json:"parent"`
	ParentFee    int64       `json:"parent_fee_sat"`
	ParentVSize  int64       `json:"parent_vsize"`
	Ancestors    int         `json:"unconfirmed_ancestors"`
	PackageRate  json.Number `json:"package_fee_rate"`
	RequiredRate json.Number `json:"required_fee_rate"`
}

func newCPFPCmd(a *App) *cobra.Command {
	var feeRate, parentFee string
	var dryRun bool
	var target int
	var gf guardFlags
	c := &cobra.Command{
		Use:   "cpfp TXID",
		Short: "Speed up a stuck incoming payment by spending it (child pays for parent)",
		Long: `Spend the wallet's output of a stuck pending transaction (typically an incoming payment sent
with too low a fee) back to the wallet, with a fee high enough that parent and child together pay
--fee-rate (or the backend's estimate for --target blocks).

The parent's fee is counted from the transactions it spends, asked from the backend. The p2p
light client has only the blocks it downloaded and its peer's mempool: for a stranger's parent
spending older coins it cannot count the fee, and cpfp says so (exit 2, parent_fee_unknown).
Give the fee you know (--parent-fee, from the sender or an explorer), or run cpfp once over a
backend that indexes transactions (it then learns the parent's txid).`,
		Example: "  satchel cpfp 4a5e...a33b --fee-rate 10\n  satchel cpfp 4a5e...a33b --fee-rate 10 --dry-run --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := chainhash.NewHashFromStr(args[0])
			if err != nil || len(args[0]) != 64 {
				return usagef("bad_txid", fmt.Sprintf("%q is not a txid (64 hex characters)", args[0]))
			}
			if target < 1 || target > 1008 {
				return usagef("bad_target", "--target must be between 1 and 1008 blocks")
			}
			var req wallet.CPFPRequest
			if parentFee != "" {
				v, err := txbuilder.ParseAmount(parentFee)
				if err != nil {
					return usagef("bad_amount", "--parent-fee: "+err.Error())
				}
				req.ParentFee = &v
			}
			guard, err := gf.guard()
			if err != nil {
				return err
			}
			w, be, rate, err := a.txSession(cmd, feeRate, target, dryRun, nil)
			if err != nil {
				return err
			}
			defer w.Close()
			if be == nil {
				how := "give --backend URL, set SATCHEL_BACKEND, or run: satchel config set backend URL"
				if a.flags.offline {
					how = "leave out --offline"
				}
				return usagef("no_backend", "cpfp needs a backend to read the parent transaction, --dry-run too: "+how)
			}
			defer be.Close()
			var cp *wallet.CPFPPlan
			return a.pay(cmd, w, be, func() (*wallet.Plan, error) {
				ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
				defer cancel()
				var err error
				req.Parent, req.FeeRate = *id, rate
				if cp, err = w.PlanCPFPFor(ctx, be, req); err != nil {
					if errors.Is(err, wallet.ErrParentInputsUnknown) {
						return nil, usagef("parent_fee_unknown", oneLine(err.Error())+
							": give its fee with --parent-fee SAT (from the sender or an explorer), or run cpfp over a backend that indexes transactions (--backend)")
					}
					return nil, err
				}
				if !a.flags.json {
					fmt.Fprintf(a.Err, "parent %s vB paying %s; %s (%s vB); the child pays %s sat/vB itself, the package %s sat/vB\n",
						groupDigits(int64(cp.ParentVSize)), a.fmtAmount(int64(cp.ParentFee)), count(cp.Ancestors, "unconfirmed ancestor", "unconfirmed ancestors"),
						groupDigits(int64(cp.AncestorsVSize)), cp.ChildRate(), cp.PackageRate)
				}
				return cp.Plan, nil
			}, guard, dryRun, "cpfp", func(p planJSON) any {
				return cpfpJSON{planJSON: p, Parent: id.String(), ParentFee: int64(cp.ParentFee), ParentVSize: cp.ParentVSize, Ancestors: cp.Ancestors,
					PackageRate: jsonRate(cp.PackageRate), RequiredRate: jsonRate(cp.RequiredRate)}
			})
		},
	}
	c.Flags().StringVar(&feeRate, "fee-rate", "", "package fee rate in sat/vB for parent and child together")
	gf.register(c)
	c.Flags().IntVar(&target, "target", 6, "confirmation target in blocks for the estimate")
	c.Flags().StringVar(&parentFee, "parent-fee", "", "the parent's fee in sat, when the backend cannot count it (p2p: a stranger's parent)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show the child; sign and send nothing")
	return c
}
