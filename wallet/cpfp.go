package wallet

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// CPFPPlan is a child transaction that pays for a stuck parent.
type CPFPPlan struct {
	*Plan
	Parent       chainhash.Hash
	ParentFee    txbuilder.Amount
	ParentVSize  int64
	PackageRate  txbuilder.FeeRate // what parent and child pay together
	RequiredRate txbuilder.FeeRate
}

// PlanCPFP builds a child that spends the wallet's outputs of a pending transaction (typically
// an incoming payment stuck at a low fee) back to the wallet, paying enough that parent and child
// together pay rate. The parent's fee is computed from its inputs, fetched from the backend when
// they are not the wallet's.
func (w *Wallet) PlanCPFP(ctx context.Context, be chain.Backend, parent chainhash.Hash, rate txbuilder.FeeRate) (*CPFPPlan, error) {
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var rec *store.TxRecord
	if err := w.st.View(func(tx *store.Txn) error {
		var err error
		rec, err = tx.Tx(parent)
		return err
	}); err != nil {
		return nil, fmt.Errorf("%w: %s is not a transaction of this wallet", ErrBadInput, parent)
	}
	if rec.Status != store.StatusPending {
		return nil, fmt.Errorf("%w: %s is %s: only a pending transaction needs a child", ErrBadInput, parent, rec.Status)
	}
	msg, err := rec.MsgTx()
	if err != nil {
		return nil, err
	}
	var ours []store.Coin
	for _, c := range pc.coins {
		if c.OutPoint.Hash == parent && !pc.frozen[c.OutPoint] {
			ours = append(ours, c)
		}
	}
	if len(ours) == 0 {
		return nil, fmt.Errorf("%w: %s pays no unspent, unfrozen coin to this wallet", ErrBadInput, parent)
	}
	// The parent's fee: inputs minus outputs, inputs looked up at the backend.
	fee := txbuilder.Amount(rec.Fee)
	if rec.Fee < 0 {
		ids := make([]chainhash.Hash, len(msg.TxIn))
		for i, in := range msg.TxIn {
			ids[i] = in.PreviousOutPoint.Hash
		}
		prevs, err := be.Transactions(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("cpfp: parent inputs: %w", err)
		}
		var in, out int64
		for i, p := range prevs {
			idx := msg.TxIn[i].PreviousOutPoint.Index
			if p == nil || int(idx) >= len(p.TxOut) {
				return nil, fmt.Errorf("cpfp: %s did not give input %d of %s: %w", be.Name(), i, parent, chain.ErrUnreachable)
			}
			in += p.TxOut[idx].Value
		}
		for _, o := range msg.TxOut {
			out += o.Value
		}
		fee = txbuilder.Amount(in - out)
	}
	pv := txbuilder.TxWeight(msg).VSize()
	kp := keyPath{pc.changeRec.Purpose, 1, pc.changeRec.NextChange}
	d, err := w.main().keys.Derive(1, kp.index)
	if err != nil {
		return nil, err
	}
	pay := Payment{Address: d.Address, Script: d.PkScript, Type: d.Type, own: &kp}
	// First a plan at the package rate to learn the child's size, then the rate that makes the
	// package pay rate: child fee = rate x (parent + child) - parent fee.
	childRate := rate
	var plan *Plan
	for i := 0; i < 3; i++ {
		plan, err = w.finishPlan(SendRequest{Payments: []Payment{pay}, SweepAll: true, FeeRate: childRate,
			IncludeUneconomical: true}, pc, ours, nil, nil)
		if err != nil {
			return nil, err
		}
		need := rate.FeeForVSize(pv+plan.VSize) - fee
		if plan.Selection.Fee >= need {
			break
		}
		childRate = txbuilder.FeeRate((int64(need)*1000 + plan.VSize - 1) / plan.VSize)
		if childRate > MaxFeeRate {
			return nil, fmt.Errorf("%w: the child would need %s sat/vB", ErrFeeGuard, childRate)
		}
	}
	total := int64(fee) + int64(plan.Selection.Fee)
	return &CPFPPlan{Plan: plan, Parent: parent, ParentFee: fee, ParentVSize: pv,
		PackageRate: txbuilder.FeeRate(total * 1000 / (pv + plan.VSize)), RequiredRate: rate}, nil
}
