package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
	"github.com/spf13/cobra"

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

type planInputJSON struct {
	OutPoint string `json:"outpoint"`
	Value    int64  `json:"value_sat"`
	Address  string `json:"address"`
	Path     string `json:"path"`
}

type planOutputJSON struct {
	Index   int    `json:"index"`
	Address string `json:"address"`
	Value   int64  `json:"value_sat"`
	Change  bool   `json:"change"`
	Label   string `json:"label,omitempty"`
}

// planJSON is the plan object every command that builds a transaction prints.
type planJSON struct {
	TxID             string           `json:"txid,omitempty"`
	Fee              int64            `json:"fee_sat"`
	FeeRate          json.Number      `json:"fee_rate"`
	FeeRateSource    string           `json:"fee_rate_source,omitempty"`
	EffectiveFeeRate json.Number      `json:"effective_fee_rate"`
	FeeShare         string           `json:"fee_share"`
	VSize            int64            `json:"vsize"`
	Amount           int64            `json:"amount_sat"`
	Change           int64            `json:"change_sat"`
	ChangeDropped    int64            `json:"change_dropped_sat"`
	ConsolidationFee int64            `json:"consolidation_fee_sat,omitempty"`
	NoChangeReason   string           `json:"no_change_reason,omitempty"`
	CoinsSpent       int              `json:"coins_spent"`
	Inputs           []planInputJSON  `json:"inputs"`
	Outputs          []planOutputJSON `json:"outputs"`
	Algorithm        string           `json:"algorithm"`
	Waste            int64            `json:"waste_sat"`
	DryRun           bool             `json:"dry_run,omitempty"`
	Warnings         []string         `json:"warnings,omitempty"`
}

// effectiveRate is fee / vsize in sat/vB with three decimals, rounded down.
func effectiveRate(fee txbuilder.Amount, vsize int64) json.Number {
	if vsize <= 0 {
		return "0"
	}
	return json.Number(txbuilder.FeeRate(int64(fee) * 1000 / vsize).String())
}

func planOut(p *wallet.Plan, tx *wire.MsgTx) planJSON {
	vsize := p.VSize
	if tx != nil {
		vsize = txbuilder.TxWeight(tx).VSize()
	}
	out := planJSON{
		Fee: int64(p.Selection.Fee), FeeRate: json.Number(p.Request.FeeRate.String()),
		EffectiveFeeRate: effectiveRate(p.Selection.Fee, vsize), FeeShare: wallet.Share(p.Selection.Fee, p.Amount),
		VSize: vsize, Amount: int64(p.Amount), Change: int64(p.Selection.Change), ChangeDropped: int64(p.Selection.ChangeDropped),
		ConsolidationFee: int64(p.Selection.Fee - p.OwnFee()),
		NoChangeReason:   p.Selection.NoChangeReason, CoinsSpent: len(p.Built.Inputs), Algorithm: p.Selection.Algorithm,
		Waste: int64(p.Selection.Waste),
	}
	if p.Selection.Change > 0 {
		out.NoChangeReason = ""
	}
	for i, c := range p.Built.Inputs {
		out.Inputs = append(out.Inputs, planInputJSON{OutPoint: c.OutPoint.String(), Value: int64(c.Value),
			Address: p.InputAddresses[i], Path: p.InputPaths[i]})
	}
	outs := make([]planOutputJSON, len(p.Built.Tx.TxOut))
	for i, pay := range p.Request.Payments {
		idx := p.Built.PayeeIndex[i]
		outs[idx] = planOutputJSON{Index: idx, Address: pay.Address, Value: p.Built.Tx.TxOut[idx].Value, Label: pay.Label}
	}
	if ci := p.Built.ChangeIndex; ci >= 0 {
		outs[ci] = planOutputJSON{Index: ci, Address: p.ChangeAddress, Value: p.Built.Tx.TxOut[ci].Value, Change: true}
	}
	out.Outputs = outs
	return out
}

func (a *App) printPlanText(p planJSON, title string) {
	w := a.Err
	if title == "dry run" {
		w = a.Out
	}
	fmt.Fprintf(w, "%s:\n", title)
	for _, o := range p.Outputs {
		if o.Change {
			continue
		}
		lbl := ""
		if o.Label != "" {
			lbl = "  (" + printable(o.Label) + ")"
		}
		fmt.Fprintf(w, "  pay      %15s  to %s%s\n", a.fmtAmount(o.Value), o.Address, lbl)
	}
	fmt.Fprintf(w, "  fee      %15s  (%s of the amount paid; %s sat/vB, %d vB)\n", a.fmtAmount(p.Fee), p.FeeShare, p.FeeRate, p.VSize)
	if p.FeeRateSource != "" {
		fmt.Fprintf(w, "  rate     %15s  %s\n", "from", printable(p.FeeRateSource))
	}
	fmt.Fprintf(w, "  coins    %15d  spent (%s)\n", p.CoinsSpent, p.Algorithm)
	if p.Change > 0 {
		for _, o := range p.Outputs {
			if o.Change {
				fmt.Fprintf(w, "  change   %15s  to %s (this wallet)\n", a.fmtAmount(o.Value), o.Address)
			}
		}
	} else {
		fmt.Fprintf(w, "  change   %15s  %s\n", "none", p.NoChangeReason)
	}
	if p.ChangeDropped > 0 {
		fmt.Fprintf(w, "  %s added to the fee instead of making change worth less than spending it\n", a.fmtAmount(p.ChangeDropped))
	}
	if p.ConsolidationFee > 0 {
		fmt.Fprintf(w, "  %s of the fee merges small coins while fees are cheap (cheaper than spending them later; use --policy core to pay only for what the payment needs)\n", a.fmtAmount(p.ConsolidationFee))
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warn)
	}
}

type sendOpts struct {
	guardFlags
	to                  []string
	batch               string
	feeRate             string
	target              int
	dryRun              bool
	label               string
	from                []string
	includeUneconomical bool
	policy              string
}

func newSendCmd(a *App) *cobra.Command {
	var o sendOpts
	c := &cobra.Command{
		Use:   "send [ADDRESS|URI] [AMOUNT|all]",
		Short: "Pay one or more addresses, with an honest fee",
		Long: `Pay an address or a bitcoin: URI, several payees at once with --to ADDRESS=AMOUNT (repeatable)
or --batch FILE (CSV address,amount[,label] or JSON lines), or sweep everything with AMOUNT all.

Before anything is signed you see each payee, the fee in sat and as a share of the amount paid,
the fee rate, the size, the coins spent and the change (or why there is none). On a terminal you
are asked y/N; without one nothing is sent without --yes. --dry-run shows the plan and needs
neither --yes nor the passphrase. A watch-only wallet signs nothing: it writes an unsigned PSBT
to --psbt-out FILE, or base64 on stdout (see satchel psbt).

Small payments are protected: no output below its dust limit; change worth less than spending it
goes to the fee; coins worth less than their spending cost are left out; a fee above 10% of the
amount paid is flagged, above --max-fee-ratio (0.5) refused.`,
		Example: "  satchel send bc1p... 2100\n  satchel send 'bitcoin:bc1q...?amount=0.00002100&label=coffee' --fee-rate 2\n" +
			"  satchel send --to bc1q...=2100 --to bc1p...=5000 --yes --json\n  satchel send bc1q... all --dry-run",
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runSend(cmd, args, o) },
	}
	f := c.Flags()
	f.StringArrayVar(&o.to, "to", nil, "a payee as ADDRESS=AMOUNT (repeatable)")
	f.StringVar(&o.batch, "batch", "", "read payees from FILE: CSV address,amount[,label] or JSON lines")
	f.StringVar(&o.feeRate, "fee-rate", "", "fee rate in sat/vB (decimals allowed, e.g. 0.5)")
	f.IntVar(&o.target, "target", 6, "confirmation target in blocks for the backend's fee estimate")
	f.BoolVar(&o.dryRun, "dry-run", false, "show the plan; sign and send nothing")
	f.StringVar(&o.label, "label", "", "label the transaction")
	f.StringArrayVar(&o.from, "from", nil, "spend exactly this coin TXID:VOUT (repeatable)")
	f.BoolVar(&o.includeUneconomical, "include-uneconomical", false, "also spend coins worth less than their spending cost")
	o.guardFlags.register(c)
	f.StringVar(&o.policy, "policy", "satchel", "coin selection policy: satchel or core")
	f.StringVar(&a.psbtOut, "psbt-out", "", "watch-only wallet: write the unsigned PSBT to FILE (binary) instead of base64 on stdout")
	return c
}

func (a *App) runSend(cmd *cobra.Command, args []string, o sendOpts) error {
	net, err := wallet.NetworkParams(a.flags.network)
	if err != nil {
		return err
	}
	pays, sweep, err := payeeArgs(net, args, o.to, o.batch)
	if err != nil {
		return err
	}
	for _, p := range pays {
		for _, n := range p.Notes {
			a.warn("note", n)
		}
	}
	if err := checkLabelArg("--label", o.label); err != nil {
		return err
	}
	if o.label != "" {
		for i := range pays {
			if pays[i].Label == "" && len(pays) == 1 {
				pays[i].Label = o.label
			}
		}
	}
	guard, err := o.guardFlags.guard()
	if err != nil {
		return err
	}
	if o.target < 1 || o.target > 1008 {
		return usagef("bad_target", "--target must be between 1 and 1008 blocks")
	}
	policy, ok := txbuilder.Policies()[o.policy]
	if !ok {
		return usagef("bad_policy", fmt.Sprintf("--policy %q: use satchel or core", o.policy))
	}
	var from []wire.OutPoint
	for _, s := range o.from {
		op, err := parseOutPoint(s)
		if err != nil {
			return err
		}
		from = append(from, op)
	}
	if a.psbtOut != "" {
		if _, err := a.checkPSBTOut(a.psbtOut); err != nil {
			return err
		}
	}
	w, be, rate, err := a.txSession(cmd, o.feeRate, o.target, o.dryRun)
	if err != nil {
		return err
	}
	defer w.Close()
	if be != nil {
		defer be.Close()
	}
	plan, err := w.PlanSend(wallet.SendRequest{Payments: pays, SweepAll: sweep, FeeRate: rate, From: from,
		IncludeUneconomical: o.includeUneconomical, Policy: policy})
	if err != nil {
		return err
	}
	out, err := guardedPlanOut(guard, plan)
	if err != nil {
		return err
	}
	label := o.label
	if label == "" && len(pays) == 1 {
		label = pays[0].Label
	}
	return a.finishTx(cmd, w, be, plan, out, o.dryRun, label, nil)
}

// finishTx shows a plan and, unless it is a dry run, asks for consent, signs, broadcasts and
// prints the result. extra adds command-specific fields to the printed plan.
func (a *App) finishTx(cmd *cobra.Command, w *wallet.Wallet, be chain.Backend, plan *wallet.Plan, out planJSON,
	dryRun bool, label string, extra func(planJSON) any) error {
	show := func(p planJSON) any {
		if extra != nil {
			return extra(p)
		}
		return p
	}
	if err := w.CheckLimits(plan, a.Now()); err != nil {
		return err
	}
	out.FeeRateSource = a.feeSource
	if dryRun {
		out.DryRun = true
		if a.flags.json {
			return a.printJSON(show(out))
		}
		a.printPlanText(out, "dry run")
		return nil
	}
	if w.Meta().WatchOnly {
		return a.writeUnsignedPSBT(w, plan, out, show)
	}
	if a.psbtOut != "" {
		return usagef("bad_flag", "--psbt-out is for watch-only wallets: this wallet signs and sends itself")
	}
	crash.Point(crash.SendAfterPlan)
	if a.flags.json {
		for _, warn := range out.Warnings {
			a.warn("high_fee", warn)
		}
	} else {
		a.printPlanText(out, "transaction")
	}
	if !a.flags.yes {
		if err := a.confirm("Sign and send?"); err != nil {
			return err
		}
	}
	pass, err := a.passphrase(false)
	if err != nil {
		return err
	}
	defer wipe(pass)
	tx, err := w.Sign(plan, pass, a.Keystore...)
	if err != nil {
		return err
	}
	// Silent outputs are marked before the broadcast, so a crash after it cannot leave a
	// silent payment that a later bump would break by adding coins.
	if err := w.NoteSilent(plan, tx.TxHash()); err != nil {
		return err
	}
	crash.Point(crash.SendAfterSign)
	ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
	defer cancel()
	id, err := w.Broadcast(ctx, be, tx, label, a.Now())
	if err != nil {
		return err
	}
	final := planOut(plan, tx)
	final.TxID = id.String()
	final.FeeRateSource = a.feeSource
	final.Warnings = out.Warnings
	if a.flags.json {
		return a.printJSON(show(final))
	}
	fmt.Fprintf(a.Out, "sent %s: %s paid, fee %s (%s)\n", final.TxID, a.fmtAmount(final.Amount), a.fmtAmount(final.Fee), final.FeeShare)
	return nil
}

// guardFlags are the fee guard's flags, on every command that pays a fee it chooses.
type guardFlags struct{ maxFeeRatio, maxFee string }

func (g *guardFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&g.maxFeeRatio, "max-fee-ratio", "0.5", "refuse when the fee is above this share of the amount paid")
	c.Flags().StringVar(&g.maxFee, "max-fee", "", "refuse when the fee is above this many satoshis")
}

func (g *guardFlags) guard() (wallet.FeeGuard, error) {
	guard := wallet.DefaultFeeGuard
	var err error
	if guard.MaxRatioPPM, err = wallet.ParseRatio(g.maxFeeRatio); err != nil {
		return guard, usagef("bad_max_fee_ratio", "--max-fee-ratio: "+err.Error())
	}
	if g.maxFee != "" {
		v, err := txbuilder.ParseAmount(g.maxFee)
		if err != nil {
			return guard, usagef("bad_max_fee", "--max-fee: "+err.Error())
		}
		guard.MaxFee = v
	}
	return guard, nil
}

// guardedPlanOut applies the fee guard to a plan (exit 4 fee_guard) and gives its printed form,
// with the warning above 10%.
func guardedPlanOut(guard wallet.FeeGuard, plan *wallet.Plan) (planJSON, error) {
	warnHigh, err := guard.Check(plan)
	if err != nil {
		return planJSON{}, &codedError{exit: exitCannotPay, code: "fee_guard", err: err}
	}
	out := planOut(plan, nil)
	if warnHigh {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the fee is %s of the amount paid (more than 10%%)", out.FeeShare))
	}
	return out, nil
}
