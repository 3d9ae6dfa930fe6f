package txbuilder

import "math/rand/v2"

// SendOptions are the settings of one payment besides its payees and coins. `satchel send` and
// the coin-selection simulator both fill them and call NewRequest, so the simulator measures the
// very requests the wallet makes rather than a copy that could drift.
type SendOptions struct {
	FeeRate FeeRate
	// LongTermFeeRate is what spending a coin later is expected to cost; 0 means
	// DefaultLongTermFeeRate.
	LongTermFeeRate FeeRate
	// WalletType is the script type of the wallet's change (and of spending it later).
	WalletType ScriptType
	// IncludeUneconomical lets coins worth less than their spending cost be used.
	IncludeUneconomical bool
	// SweepAll sends everything selected, minus the fee, to the single payee.
	SweepAll bool
	// Rand drives the randomised algorithms.
	Rand *rand.Rand
}

// NewRequest is the one place a payment becomes a coin-selection Request. Required coins are
// always spent; coins are the candidates the policy may choose from. The discard fee rate is left
// at its default, as the wallet has no long-horizon estimate to lower it with.
func NewRequest(payees []Payee, required, coins []Coin, o SendOptions) Request {
	return Request{
		Payees:              payees,
		Coins:               coins,
		Required:            required,
		FeeRate:             o.FeeRate,
		LongTermFeeRate:     o.LongTermFeeRate,
		ChangeType:          o.WalletType,
		IncludeUneconomical: o.IncludeUneconomical,
		SubtractFee:         o.SweepAll,
		Rand:                o.Rand,
	}
}

// Confirmations is how many blocks confirm a coin mined at height when the chain's tip is at
// tip: 1 in the tip itself, 0 when the coin is unconfirmed (height 0 or below) or the tip has not
// reached it yet. Wallet and simulator count it the same way so confirmation tiers agree.
func Confirmations(height, tip int32) int32 {
	if height <= 0 || tip < height {
		return 0
	}
	return tip - height + 1
}
