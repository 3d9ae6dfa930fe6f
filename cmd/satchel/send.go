package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
	"github.com/spf13/cobra"

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
	FeeShare         string           `json:"-"`
	FeeSharePct      *json.Number     `json:"fee_share_pct"`
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
	// Fiat is amount_sat's value in a currency (the one typed, else config fiat); FiatLines
	// are the conversions and notes the text plan shows (fiatcmd.go).
	Fiat      *fiatJSON `json:"fiat,omitempty"`
	FiatLines []string  `json:"-"`
	// Names are the BIP353 names paid and what they resolved to.
	Names []nameJSON `json:"names,omitempty"`
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
		ConsolidationFee: int64(p.Selection.ConsolidationFee),
		NoChangeReason:   p.Selection.NoChangeReason, CoinsSpent: len(p.Built.Inputs), Algorithm: p.Selection.Algorithm,
		Waste: int64(p.Selection.Waste),
	}
	// A number as a reader writes it (30.8, 5), as fees' shares are; null with nothing paid.
	if p.Amount > 0 {
		n := pctNumber(int64(p.Selection.Fee), int64(p.Amount))
		out.FeeSharePct = &n
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
	for _, n := range p.Names {
		fmt.Fprintf(w, "  name     %s = %s\n", printable(n.Name), printable(clipArg(n.URI)))
	}
	for _, l := range p.FiatLines {
		fmt.Fprintf(w, "  fiat     %s\n", l)
	}
	fmt.Fprintf(w, "  fee      %15s  (%s of the amount paid; %s sat/vB, %s vB)\n", a.fmtAmount(p.Fee), p.FeeShare, p.FeeRate, groupDigits(p.VSize))
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
		fmt.Fprintf(w, "  %s of the fee merges small coins while fees are cheap (--policy satchel-merge: the payee sees those coins too; the default pays only for what the payment needs)\n", a.fmtAmount(p.ConsolidationFee))
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
	f.StringVar(&o.policy, "policy", "satchel", "coin selection: satchel (the default: only the coins a payment needs, one address's coins together), core (Bitcoin Core's 2022 baseline) or satchel-merge (also merges small coins into the payment on cheap days: the payee sees them)")
	f.StringVar(&a.psbtOut, "psbt-out", "", "watch-only or multisig wallet: write the PSBT to FILE (binary) instead of base64 on stdout")
	return c
}

func (a *App) runSend(cmd *cobra.Command, args []string, o sendOpts) error {
	net, err := wallet.NetworkParams(a.flags.network)
	if err != nil {
		return err
	}
	args, to, err := a.resolveArgs(cmd.Context(), args, o.to)
	if err != nil {
		return err
	}
	pays, sweep, err := payeeArgs(net, args, to, o.batch, func(d string) (string, error) { return a.resolveDest(cmd.Context(), d) })
	if err != nil {
		return err
	}
	if err := wallet.CheckDust(pays, sweep); err != nil {
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
		return usagef("bad_policy", fmt.Sprintf("--policy %q: use satchel, core or satchel-merge", o.policy))
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
	// A currency amount with no price to be had is the user's input to fix: said alone, before
	// a plan without a backend warns that it answers from local state.
	w, be, rate, err := a.txSession(cmd, o.feeRate, o.target, o.dryRun, func(w *wallet.Wallet) error { return a.checkPriceSource(w, pays) })
	if err != nil {
		return err
	}
	defer w.Close()
	if be != nil {
		defer be.Close()
	}
	if err := a.convertPays(cmd.Context(), w, pays); err != nil {
		return err
	}
	label := o.label
	if label == "" && len(pays) == 1 {
		label = pays[0].Label
	}
	return a.pay(cmd, w, be, func() (*wallet.Plan, error) {
		return w.PlanSend(wallet.SendRequest{Payments: pays, SweepAll: sweep, FeeRate: rate, From: from,
			IncludeUneconomical: o.includeUneconomical, Policy: policy})
	}, guard, o.dryRun, label, nil)
}

// pay runs a payment through the wallet's pipeline (plan, guard, caps, consent, sign, check,
// broadcast, record) and prints the result. The command supplies the planner; this shows the
// plan, asks y/N on a terminal (with no lock on the wallet meanwhile), and prints. extra adds
// command-specific fields to the printed plan.
func (a *App) pay(cmd *cobra.Command, w *wallet.Wallet, be chain.Backend, planner wallet.Planner, guard wallet.FeeGuard,
	dryRun bool, label string, extra func(planJSON) any) error {
	show := func(p planJSON) any {
		if extra != nil {
			return extra(p)
		}
		return p
	}
	if !dryRun && !w.Meta().WatchOnly && !w.IsMultisig() && a.psbtOut != "" {
		return usagef("bad_flag", "--psbt-out is for watch-only and multisig wallets: this wallet signs and sends itself")
	}
	if err := a.priceForCaps(cmd.Context(), w); err != nil {
		return err
	}
	asked := 0
	res, err := w.Pay(cmd.Context(), func() (*wallet.Plan, error) {
		p, err := planner()
		if err == nil {
			for _, n := range p.Notes {
				a.warn("merged_payees", n)
			}
		}
		return p, err
	}, wallet.PayOptions{
		Guard: guard, DryRun: dryRun, Label: label, Backend: be, Keystore: a.Keystore,
		WithPassphrase: a.withPassphrase,
		Consent: func(p *wallet.Plan, warnings []string) error {
			out := planOut(p, nil)
			out.Warnings = warnings
			out.FeeRateSource = a.feeSource
			a.planFiat(cmd.Context(), w, &out)
			out.Names = a.names
			if asked++; asked > 1 {
				const changed = "the wallet changed while you were asked (another satchel spent or reserved a coin): here is the new plan"
				if a.flags.json {
					a.warn("plan_changed", changed) // one JSON line on stderr, as every --json warning
				} else {
					fmt.Fprintln(a.Err, changed)
				}
			}
			if a.flags.json {
				for _, warn := range warnings {
					a.warn("high_fee", warn)
				}
			} else {
				a.printPlanText(out, "transaction")
			}
			if a.flags.yes {
				return nil
			}
			if w.IsMultisig() {
				return a.confirm("Sign (the other cosigners sign next)?")
			}
			return a.confirm("Sign and send?")
		},
	})
	if err != nil {
		return planErr(err)
	}
	out := planOut(res.Plan, res.Tx)
	out.Warnings = res.Warnings
	out.FeeRateSource = a.feeSource
	a.planFiat(cmd.Context(), w, &out)
	out.Names = a.names
	switch {
	case dryRun:
		out.DryRun = true
		if a.flags.json {
			return a.printJSON(show(out))
		}
		a.printPlanText(out, "dry run")
		return nil
	case res.Unsigned != nil && res.Signed:
		return a.writeMultisigPSBT(res.Unsigned, out, show)
	case res.Unsigned != nil:
		return a.writeUnsignedPSBT(res.Unsigned, out, show)
	}
	out.TxID = res.TxID.String()
	a.keepPrice(w, res.TxID)
	if a.flags.json {
		return a.printJSON(show(out))
	}
	fmt.Fprintf(a.Out, "sent %s: %s paid, fee %s (%s)\n", out.TxID, a.fmtAmount(out.Amount), a.fmtAmount(out.Fee), out.FeeShare)
	return nil
}

// planErr gives the pipeline's refusals their exit codes: the fee guard is exit 4.
func planErr(err error) error {
	var ge *wallet.FeeGuardError
	if errors.As(err, &ge) {
		return &codedError{exit: exitCannotPay, code: "fee_guard", err: err}
	}
	return err
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
		return guard, usagef("bad_max_fee_ratio", "--max-fee-ratio: "+inputWhy(err))
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
