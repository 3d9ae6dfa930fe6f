package wallet

import (
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// ConsolidateRequest asks to merge small coins while fees are low.
type ConsolidateRequest struct {
	FeeRate         txbuilder.FeeRate
	LongTermFeeRate txbuilder.FeeRate // 0: txbuilder.DefaultLongTermFeeRate
	// MaxCoinValue: only coins worth at most this are merged (0: every spendable coin).
	MaxCoinValue txbuilder.Amount
	// WhenCheap applies the cheap-day rules (txbuilder.DefaultCheapDayRules): merge only on a
	// cheap day (or when the wallet holds too many coins), keep the largest coins, and merge
	// the coins of one address together. Made for cron.
	WhenCheap bool
}

// ConsolidatePlan is a consolidation with what it saves.
type ConsolidatePlan struct {
	*Plan
	// Saving is what spending these coins one by one later at the long-term rate would cost,
	// minus what merging them costs now, minus spending the merged coin later.
	Saving txbuilder.Amount
}

// ErrNothingToDo means a consolidation would not save money.
var ErrNothingToDo = fmt.Errorf("nothing to do")

// PlanConsolidate merges the wallet's small spendable coins into one output to its own next
// change address, when that saves money at the long-term rate.
func (w *Wallet) PlanConsolidate(req ConsolidateRequest) (*ConsolidatePlan, error) {
	lt := req.LongTermFeeRate
	if lt <= 0 {
		lt = txbuilder.DefaultLongTermFeeRate
	}
	if req.FeeRate >= lt {
		return nil, fmt.Errorf("%w: the fee rate %s sat/vB is not below the long-term rate %s sat/vB, so merging coins now costs more than it saves",
			ErrNothingToDo, req.FeeRate, lt)
	}
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var coins []store.Coin
	var later txbuilder.Amount
	for _, c := range pc.spendable() {
		if req.MaxCoinValue > 0 && txbuilder.Amount(c.Value) > req.MaxCoinValue {
			continue
		}
		coins = append(coins, c)
		later += lt.FeeForWeight(pc.selectionCoin(c).InputWeight())
	}
	if req.WhenCheap {
		if coins, later, err = w.cheapDayCoins(pc, coins, req.FeeRate, lt); err != nil {
			return nil, err
		}
	}
	if len(coins) < 2 {
		have := "no coin"
		if len(coins) == 1 {
			have = "1 coin"
		}
		return nil, fmt.Errorf("%w: %s to merge: at least 2 are needed", ErrNothingToDo, have)
	}
	kp := keyPath{pc.changeRec.Purpose, 1, pc.changeRec.NextChange}
	d, err := w.main().keys.Derive(1, kp.index)
	if err != nil {
		return nil, err
	}
	pay := Payment{Address: d.Address, Script: d.PkScript, Type: d.Type, Label: "consolidation", own: &kp}
	plan, err := w.finishPlan(SendRequest{Payments: []Payment{pay}, SweepAll: true, FeeRate: req.FeeRate,
		LongTermFeeRate: lt, IncludeUneconomical: true}, pc, coins, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := w.CheckPlanChain(plan); err != nil {
		return nil, fmt.Errorf("consolidate: %w", err)
	}
	merged := lt.FeeForWeight(w.main().keys.ScriptType().InputWeight())
	saving := later - plan.Selection.Fee - merged
	if saving <= 0 {
		return nil, fmt.Errorf("%w: merging %d coins costs %s now and %s later, more than the %s it saves",
			ErrNothingToDo, len(coins), groupSat(int64(plan.Selection.Fee)), groupSat(int64(merged)), groupSat(int64(later)))
	}
	return &ConsolidatePlan{Plan: plan, Saving: saving}, nil
}

// cheapDayCoins narrows coins to those the cheap-day rules would merge today, with their cost
// of being spent later at lt.
func (w *Wallet) cheapDayCoins(pc *planContext, coins []store.Coin, rate, lt txbuilder.FeeRate) ([]store.Coin, txbuilder.Amount, error) {
	byOut := map[wire.OutPoint]store.Coin{}
	sc := make([]txbuilder.Coin, len(coins))
	for i, c := range coins {
		sc[i] = pc.selectionCoin(c)
		byOut[c.OutPoint] = c
	}
	cp, ok := txbuilder.CheapDayConsolidation(sc, rate, lt, w.main().keys.ScriptType(), txbuilder.DefaultCheapDayRules())
	if !ok {
		return nil, 0, fmt.Errorf("%w: at %s sat/vB with %d coins the cheap-day rules merge nothing (cheap is below %s sat/vB)",
			ErrNothingToDo, rate, len(coins), cheapRate(lt))
	}
	var out []store.Coin
	var later txbuilder.Amount
	for _, c := range cp.Inputs {
		out = append(out, byOut[c.OutPoint])
		later += lt.FeeForWeight(c.InputWeight())
	}
	return out, later, nil
}

// cheapRate is the rate below which the default cheap-day rules call a day cheap.
func cheapRate(lt txbuilder.FeeRate) txbuilder.FeeRate {
	return max(lt*txbuilder.FeeRate(txbuilder.DefaultCheapDayRules().CheapPct)/100, 1)
}
