package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// Reasons a payment (or deposit) is refused, as counted in Result.RefusedBy.
const (
	RefusedInsufficientFunds = "insufficient_funds"
	RefusedDust              = "dust"
	RefusedTooLarge          = "too_large"
	RefusedInvalid           = "invalid_request"
	RefusedDepositDust       = "deposit_below_dust"
)

// Config fixes what a run does besides the scenario and the policy.
type Config struct {
	// Type is the wallet's script type: every deposit and every change output is one, and it is
	// the change type of every request. 0 means P2WPKH.
	Type txbuilder.ScriptType
	// LongTermFeeRate is passed to every request, and values the coins left at the end (cost
	// to empty). 0 means txbuilder.DefaultLongTermFeeRate (10 sat/vB).
	LongTermFeeRate txbuilder.FeeRate
	// IncludeUneconomical is `satchel send --include-uneconomical`.
	IncludeUneconomical bool
	// DiscardFeeRate, when set, overrides the discard fee rate of every request after
	// txbuilder.NewRequest built it. satchel send never sets it (the default, 10 sat/vB,
	// applies); it exists to replay Core's published runs, whose fee estimator lowered it (about
	// 3.5 sat/vB in the peak-and-tail runs).
	DiscardFeeRate txbuilder.FeeRate
	// Seed seeds the run's only random source, so a run is reproducible.
	Seed uint64
	// Trace, when set, sees every payment: its index in the scenario, the op, and the selection
	// made or the error that refused it. RunSeeds with jobs > 1 calls it from several goroutines.
	Trace func(i int, op Op, sel *txbuilder.Selection, err error)
}

// withDefaults fills the wallet type, and returns the long-term rate that values the coins left.
// The requests keep cfg.LongTermFeeRate as given: 0 there means the default, as in satchel send.
func (c Config) withDefaults() (Config, txbuilder.FeeRate) {
	if c.Type == txbuilder.ScriptUnknown {
		c.Type = txbuilder.P2WPKH
	}
	lt := c.LongTermFeeRate
	if lt <= 0 {
		lt = txbuilder.DefaultLongTermFeeRate
	}
	return c, lt
}

// Result is what one run of a scenario cost.
type Result struct {
	Ops             int
	Deposits        int
	Payments        int // payments made
	Refused         int // payments and deposits that could not be made
	RefusedBy       map[string]int
	Fees            txbuilder.Amount
	Inputs          int // inputs spent over all payments
	Changeless      int // payments made without a change output
	ChangeSum       txbuilder.Amount
	MinChange       txbuilder.Amount // 0 when no change was made
	MaxChange       txbuilder.Amount
	UneconChange    int // change worth no more than spending it at the long-term rate costs
	UneconInputs    int // inputs worth no more than the fee to spend them at the payment's rate
	ByAlgorithm     map[string]int
	CoinsEnd        int
	CoinsSum        int64 // the coin count after every op, summed (for the mean)
	BalanceEnd      txbuilder.Amount
	CostToEmpty     txbuilder.Amount
	LongTermFeeRate txbuilder.FeeRate
	// Extra counts, over all payments, the inputs a payment could have done without
	// (txbuilder.ExtraInputs): coins shown to payees beyond those that paid them.
	Extra int
	// Consolidations are the policy's cheap-day transactions to the wallet itself, made
	// after the lines with a known fee rate; ConsolidationFees is their fees (not in Fees),
	// ConsolidatedInputs their inputs.
	Consolidations     int
	ConsolidationFees  txbuilder.Amount
	ConsolidatedInputs int
}

// TotalCost is the headline metric: fees paid (payments and consolidations) plus the cost of
// spending what is left.
func (r Result) TotalCost() txbuilder.Amount { return r.Fees + r.ConsolidationFees + r.CostToEmpty }

// MeanExtra is the coins revealed to payees per payment beyond those the payment needed.
func (r Result) MeanExtra() float64 { return ratio(float64(r.Extra), r.Payments) }

// MeanCoins is the wallet's coin count averaged over every op.
func (r Result) MeanCoins() float64 { return ratio(float64(r.CoinsSum), r.Ops) }

// MeanInputs is the inputs per payment made.
func (r Result) MeanInputs() float64 { return ratio(float64(r.Inputs), r.Payments) }

// MeanFee is the fee per payment made.
func (r Result) MeanFee() float64 { return ratio(float64(r.Fees), r.Payments) }

func ratio(a float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return a / float64(n)
}

// CostToEmpty is what spending n coins of type t costs at rate r: exact weights summed, rounded
// up once at the end (57.5 vB per P2TR input makes odd counts end in half a vbyte).
func CostToEmpty(n int, t txbuilder.ScriptType, r txbuilder.FeeRate) txbuilder.Amount {
	w := int64(n) * int64(t.InputWeight())
	return txbuilder.Amount((w*int64(r) + 3999) / 4000)
}

// simCoin is a coin of the simulated wallet and the height of the block that confirms it.
type simCoin struct {
	coin   txbuilder.Coin
	height int32
}

// payeeScript is a P2WPKH output script, the destination of every payment, as the published
// simulations pay a bech32 address.
var payeeScript = append([]byte{0x00, 0x14}, make([]byte, 20)...)

// cheapDayPolicy is a policy that merges coins in transactions of their own (SatchelPolicy).
type cheapDayPolicy interface {
	CheapDayRules() (txbuilder.CheapDayRules, bool)
}

// Run replays sc through pol. Line i (from 0) happens with i blocks mined; a block is mined after
// it, so coins it creates have 1 confirmation at line i+1. Deposits and change are coins of the
// wallet's type; each payment is one P2WPKH output, chosen by pol.Select over a request built by
// txbuilder.NewRequest exactly as `satchel send` builds it. A payment the policy cannot make is
// refused and counted by reason; Run fails only on an error no wallet state explains, or when ctx
// ends. A policy with cheap-day rules (txbuilder.Portfolio.CheapDayRules) also gets, after each
// line with a known fee rate, the consolidation txbuilder.CheapDayConsolidation recommends at
// that rate, as a daily `satchel consolidate --when-cheap` would; its merged coin confirms with
// the next block.
func Run(ctx context.Context, sc *Scenario, pol txbuilder.Policy, cfg Config) (Result, error) {
	cfg, longTerm := cfg.withDefaults()
	if cfg.Type.InputWeight() == 0 {
		return Result{}, fmt.Errorf("simulate %s: wallet type %s cannot be spent", sc.Name, cfg.Type)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5a7c4e1))
	res := Result{RefusedBy: map[string]int{}, ByAlgorithm: map[string]int{}, LongTermFeeRate: longTerm}
	var (
		coins   []simCoin
		serial  uint32
		spent   = map[wire.OutPoint]bool{}
		balance txbuilder.Amount
	)
	newCoin := func(v txbuilder.Amount, height int32, own bool) {
		serial++
		coins = append(coins, simCoin{height: height, coin: txbuilder.Coin{
			OutPoint: wire.OutPoint{Index: serial}, Value: v, Type: cfg.Type, FromSelf: own,
		}})
		balance += v
	}
	econLimit := longTerm.FeeForWeight(cfg.Type.InputWeight())
	var rules txbuilder.CheapDayRules
	consolidates := false
	if cp, ok := pol.(cheapDayPolicy); ok {
		rules, consolidates = cp.CheapDayRules()
	}
	spend := func(inputs []txbuilder.Coin) error {
		clear(spent)
		for _, in := range inputs {
			spent[in.OutPoint] = true
			balance -= in.Value
		}
		kept := coins[:0]
		for _, c := range coins {
			if !spent[c.coin.OutPoint] {
				kept = append(kept, c)
			}
		}
		if len(coins)-len(kept) != len(inputs) {
			return fmt.Errorf("policy %s spent coins the wallet does not hold", pol.Name())
		}
		coins = kept
		return nil
	}
	current := func(tip int32) []txbuilder.Coin {
		// A fresh slice: the request is the policy's to keep.
		buf := make([]txbuilder.Coin, 0, len(coins))
		for _, c := range coins {
			cc := c.coin
			cc.Confirmations = txbuilder.Confirmations(c.height, tip)
			buf = append(buf, cc)
		}
		return buf
	}
	for i, op := range sc.Ops {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return Result{}, fmt.Errorf("simulate %s: %w", sc.Name, err)
			}
		}
		tip := int32(i) // blocks mined before this line
		switch {
		case op.Amount > 0:
			if op.Amount < cfg.Type.DustLimit() {
				res.Refused++
				res.RefusedBy[RefusedDepositDust]++
				break
			}
			res.Deposits++
			newCoin(op.Amount, tip+1, false)
		case op.Amount < 0:
			buf := current(tip)
			payees := []txbuilder.Payee{{PkScript: payeeScript, Type: txbuilder.P2WPKH, Value: -op.Amount}}
			req := txbuilder.NewRequest(payees, nil, buf, txbuilder.SendOptions{
				FeeRate: op.FeeRate, LongTermFeeRate: cfg.LongTermFeeRate, WalletType: cfg.Type,
				IncludeUneconomical: cfg.IncludeUneconomical, Rand: rng,
			})
			if cfg.DiscardFeeRate > 0 {
				req.DiscardFeeRate = cfg.DiscardFeeRate
			}
			sel, err := pol.Select(req)
			if cfg.Trace != nil {
				if err != nil {
					cfg.Trace(i, op, nil, err)
				} else {
					cfg.Trace(i, op, &sel, nil)
				}
			}
			if err != nil {
				reason := refusal(err)
				if reason == "" {
					return Result{}, fmt.Errorf("simulate %s: line %d: %w", sc.Name, i+1, err)
				}
				res.Refused++
				res.RefusedBy[reason]++
				break
			}
			res.Payments++
			res.Fees += sel.Fee
			res.Inputs += len(sel.Inputs)
			res.ByAlgorithm[sel.Algorithm]++
			res.Extra += txbuilder.ExtraInputs(req, sel)
			for _, in := range sel.Inputs {
				if in.EffectiveValue(op.FeeRate) <= 0 {
					res.UneconInputs++
				}
			}
			if err := spend(sel.Inputs); err != nil {
				return Result{}, fmt.Errorf("simulate %s: line %d: %w", sc.Name, i+1, err)
			}
			if sel.Change > 0 {
				newCoin(sel.Change, tip+1, true)
				res.ChangeSum += sel.Change
				if res.MinChange == 0 || sel.Change < res.MinChange {
					res.MinChange = sel.Change
				}
				res.MaxChange = max(res.MaxChange, sel.Change)
				if sel.Change <= econLimit {
					res.UneconChange++
				}
			} else {
				res.Changeless++
			}
		}
		if consolidates && op.FeeRate > 0 {
			plan, ok := txbuilder.CheapDayConsolidation(current(tip), op.FeeRate, cfg.LongTermFeeRate, cfg.Type, rules)
			if ok {
				if err := spend(plan.Inputs); err != nil {
					return Result{}, fmt.Errorf("simulate %s: line %d: consolidation: %w", sc.Name, i+1, err)
				}
				res.Consolidations++
				res.ConsolidationFees += plan.Fee
				res.ConsolidatedInputs += len(plan.Inputs)
				newCoin(plan.Value, tip+1, true)
			}
		}
		res.Ops++
		res.CoinsSum += int64(len(coins))
	}
	res.CoinsEnd = len(coins)
	res.BalanceEnd = balance
	res.CostToEmpty = CostToEmpty(len(coins), cfg.Type, longTerm)
	return res, nil
}

// refusal names the class of a selection error a real wallet could meet, or "" for any other.
func refusal(err error) string {
	switch {
	case errors.Is(err, txbuilder.ErrInsufficientFunds):
		return RefusedInsufficientFunds
	case errors.Is(err, txbuilder.ErrDustOutput):
		return RefusedDust
	case errors.Is(err, txbuilder.ErrTooLarge):
		return RefusedTooLarge
	case errors.Is(err, txbuilder.ErrInvalidRequest):
		return RefusedInvalid
	}
	return ""
}

// RunSeeds replays sc runs times, with seeds cfg.Seed, cfg.Seed+1, ..., at most jobs at a time,
// and returns the results in seed order.
func RunSeeds(ctx context.Context, sc *Scenario, pol txbuilder.Policy, cfg Config, runs, jobs int) ([]Result, error) {
	runs, jobs = max(runs, 1), max(jobs, 1)
	out := make([]Result, runs)
	errs := make([]error, runs)
	sem := make(chan struct{}, jobs)
	done := make(chan struct{})
	for r := range runs {
		go func() {
			defer func() { done <- struct{}{} }()
			sem <- struct{}{}
			defer func() { <-sem }()
			c := cfg
			c.Seed = cfg.Seed + uint64(r)
			out[r], errs[r] = Run(ctx, sc, pol, c)
		}()
	}
	for range runs {
		<-done
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}
