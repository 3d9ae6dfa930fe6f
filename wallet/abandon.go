package wallet

import (
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// AbandonRequest asks to give up a pending payment of ours for good.
type AbandonRequest struct {
	TxID chainhash.Hash
	// FeeRate is the least rate the self-spend pays; it is raised to what BIP125 needs to
	// replace the payment (more than its rate, and its fee plus RelayFee for the new size).
	FeeRate  txbuilder.FeeRate
	RelayFee txbuilder.FeeRate
}

// AbandonPlan is a transaction that spends every input of a pending payment back to the wallet
// at a higher fee: once it confirms the payment can never confirm, so its coins are the
// wallet's again and its tips go back to the queue.
type AbandonPlan struct {
	*Plan
	Abandons chainhash.Hash
	OldFee   txbuilder.Amount
	OldVSize int64
}

// PlanAbandon plans the way out of a payment the chain has neither confirmed nor conflicted (a
// server may hide it, a node may have evicted it): satchel counts such a payment as made until
// the chain proves otherwise, so the user undoes it explicitly, by double-spending its inputs
// to the wallet's own next change address. Only a payment this wallet signed, still pending,
// with no pending child of ours, can be abandoned; it is signed, shown and broadcast like a fee
// bump (which replaces it; RecordSent then marks it replaced).
func (w *Wallet) PlanAbandon(req AbandonRequest) (*AbandonPlan, error) {
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var orig *store.TxRecord
	var msg *wire.MsgTx
	var required []store.Coin
	if err := w.st.View(func(tx *store.Txn) error {
		orig, msg, required, err = replaceable(tx, req.TxID, "abandon")
		return err
	}); err != nil {
		return nil, err
	}
	oldVSize := txWeightVSize(msg)
	kp := keyPath{pc.changeRec.Purpose, 1, pc.changeRec.NextChange}
	d, err := w.main().keys.Derive(1, kp.index)
	if err != nil {
		return nil, err
	}
	pay := Payment{Address: d.Address, Script: d.PkScript, Type: d.Type, Label: "abandon " + req.TxID.String(), own: &kp}
	// The rate must beat the old one (BIP125 rule 6) and the fee must pay the old fee plus the
	// relay fee for the new size (rule 4); the size is known only once planned.
	rate := req.FeeRate
	if old := txbuilder.FeeRate(orig.Fee*1000/oldVSize) + 1; rate < old {
		rate = old
	}
	var plan *Plan
	for i := 0; i < 3; i++ {
		plan, err = w.finishPlan(SendRequest{Payments: []Payment{pay}, SweepAll: true, FeeRate: rate,
			IncludeUneconomical: true}, pc, required, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("abandon %s: %w", req.TxID, err)
		}
		minFee := txbuilder.Amount(orig.Fee) + req.RelayFee.FeeForVSize(plan.VSize)
		if plan.Selection.Fee >= minFee {
			break
		}
		rate = txbuilder.FeeRate((int64(minFee)*1000 + plan.VSize - 1) / plan.VSize)
		if rate > MaxFeeRate {
			return nil, fmt.Errorf("%w: abandoning %s would need %s sat/vB", ErrFeeGuard, req.TxID, rate)
		}
	}
	if minFee := txbuilder.Amount(orig.Fee) + req.RelayFee.FeeForVSize(plan.VSize); plan.Selection.Fee < minFee {
		return nil, fmt.Errorf("abandon %s: the self-spend pays %s, below the %s a replacement needs", req.TxID, groupSat(int64(plan.Selection.Fee)), groupSat(int64(minFee)))
	}
	plan.replaces = req.TxID
	if err := w.CheckPlanChain(plan); err != nil {
		return nil, fmt.Errorf("abandon %s: %w", req.TxID, err)
	}
	return &AbandonPlan{Plan: plan, Abandons: req.TxID, OldFee: txbuilder.Amount(orig.Fee), OldVSize: oldVSize}, nil
}
