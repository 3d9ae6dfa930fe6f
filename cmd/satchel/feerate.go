package main

import (
	"errors"
	"fmt"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// feeChoiceError gives the wallet's fee-rate refusals their exit codes: both are the user's to
// fix with --fee-rate.
func (a *App) feeChoiceError(be chain.Backend, err error) error {
	switch {
	case errors.Is(err, chain.ErrNoEstimate) && a.lacksFeeSource(be):
		return usagef("no_fee_estimate", "no fee estimate over p2p: give --fee-rate or set fee-source (satchel config set fee-source https://mempool.space/api)")
	case errors.Is(err, chain.ErrNoEstimate):
		return usagef("no_fee_estimate", fmt.Sprintf("%s has no fee estimate: give --fee-rate SAT_PER_VB", be.Name()))
	case errors.Is(err, wallet.ErrFeeRateTooLow):
		return usagef("fee_rate_too_low", "--fee-rate: "+err.Error())
	}
	return err
}

// lacksFeeSource says whether be is a backend with no fee estimates of its own (p2p) and no
// fee-source is set to give them.
func (a *App) lacksFeeSource(be chain.Backend) bool {
	if be == nil {
		return false
	}
	d, err := chain.Lookup(be.Name())
	if err != nil || !d.NoFeeEstimates {
		return false
	}
	v, err := a.setting(nil, "fee-source")
	return err == nil && v == ""
}

// confirmFeeChoice asks the user's word for a suspicious estimate. Under --yes nothing can be
// asked, so it is refused (exit 4, as the fee guard's refusals): a script that pays from
// servers it does not control must not pay a multiplied rate unattended; --fee-rate is the way
// through. A plan that signs nothing (dry run, watch-only) only warns.
func (a *App) confirmFeeChoice(w *wallet.Wallet, c wallet.FeeChoice, planOnly bool) error {
	if c.Suspicious == "" {
		return nil
	}
	if planOnly {
		a.warn("fee_estimate_suspicious", c.Suspicious+"; sending at it needs --fee-rate or your yes at the prompt")
		return nil
	}
	if a.flags.yes {
		return &codedError{exit: exitCannotPay, code: "fee_estimate_suspicious",
			err: fmt.Errorf("%s: refused under --yes; check the fee market and give --fee-rate SAT_PER_VB to pay such a rate", c.Suspicious)}
	}
	if err := a.confirm(c.Suspicious + ". Plan at this rate?"); err != nil {
		return err
	}
	return w.Accept(c)
}
