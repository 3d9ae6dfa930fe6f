package main

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
)

type abandonJSON struct {
	planJSON
	Abandons string `json:"abandons"`
	OldFee   int64  `json:"old_fee_sat"`
}

func newAbandonCmd(a *App) *cobra.Command {
	var feeRate string
	var dryRun bool
	var gf guardFlags
	c := &cobra.Command{
		Use:   "abandon TXID",
		Short: "Give up a pending payment of ours: spend its coins back to the wallet at a higher fee",
		Long: `A payment this wallet sent counts as made (its coins spent, its tips paid, its amount in the
caps) until a block proves otherwise, even when the backend stops reporting it. abandon is the
way out: it spends every input of the payment back to the wallet's own next change address at a
higher fee (BIP125), so the payment can never confirm. Once broadcast, history shows the payment
as replaced; its tips go back to the queue when the self-spend confirms.`,
		Example: "  satchel abandon 4a5e1e4b...a33b\n  satchel abandon 4a5e1e4b...a33b --fee-rate 5 --dry-run --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := chainhash.NewHashFromStr(args[0])
			if err != nil || len(args[0]) != 64 {
				return usagef("bad_txid", fmt.Sprintf("%q is not a txid (64 hex characters)", args[0]))
			}
			guard, err := gf.guard()
			if err != nil {
				return err
			}
			w, be, rate, err := a.txSession(cmd, feeRate, 6, dryRun, func(w *wallet.Wallet) error { return w.CheckReplaceable(*id, "abandon") })
			if errors.Is(err, wallet.ErrNotReplaceable) {
				return usagef("not_replaceable", err.Error())
			}
			if err != nil {
				return err
			}
			defer w.Close()
			if be != nil {
				defer be.Close()
			}
			relay := txbuilder.SatPerVB(1)
			if be != nil {
				if relay, err = a.relayFee(cmd, be); err != nil {
					return err
				}
			}
			var ap *wallet.AbandonPlan
			err = a.pay(cmd, w, be, func() (*wallet.Plan, error) {
				var err error
				if ap, err = w.PlanAbandon(wallet.AbandonRequest{TxID: *id, FeeRate: rate, RelayFee: relay}); err != nil {
					return nil, err
				}
				return ap.Plan, nil
			}, guard, dryRun, "abandons "+id.String(), func(p planJSON) any {
				return abandonJSON{planJSON: p, Abandons: id.String(), OldFee: int64(ap.OldFee)}
			})
			if errors.Is(err, wallet.ErrNotReplaceable) {
				return usagef("not_replaceable", err.Error())
			}
			return err
		},
	}
	c.Flags().StringVar(&feeRate, "fee-rate", "", "least fee rate in sat/vB (raised to what replacing the payment needs)")
	gf.register(c)
	c.Flags().BoolVar(&dryRun, "dry-run", false, "show the self-spend; sign and send nothing")
	return c
}
