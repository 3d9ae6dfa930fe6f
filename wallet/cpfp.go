package wallet

import (
	"context"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// CPFPPlan is a child transaction that pays for a stuck parent.
type CPFPPlan struct {
	*Plan
	Parent    chainhash.Hash
	ParentFee txbuilder.Amount
	// ParentVSize is the parent's size from what its txid commits to, each input's witness
	// bounded by its script type (a server's witness is never trusted), or the real size of a
	// parent this wallet signed.
	ParentVSize int64
	// Ancestors counts the parent's own unconfirmed ancestors the wallet knows; AncestorsVSize
	// and AncestorsFee are their size and fee, part of the package the child pays for.
	Ancestors      int
	AncestorsVSize int64
	AncestorsFee   txbuilder.Amount
	PackageRate    txbuilder.FeeRate // what the unconfirmed ancestors and the child pay together
	RequiredRate   txbuilder.FeeRate
}

// ChildRate is the child's own fee rate, which the fee guard judges: a parent-size mistake
// shows there, not only in the package rate.
func (p *CPFPPlan) ChildRate() txbuilder.FeeRate {
	return txbuilder.FeeRate(int64(p.Selection.Fee) * 1000 / p.VSize)
}

// PlanCPFP builds a child that spends the wallet's outputs of a pending transaction (typically
// an incoming payment stuck at a low fee) back to the wallet, paying enough that the package,
// the parent with its own unconfirmed ancestors and the child, pays rate (miners judge a child
// by all it depends on). The parent's fee is computed from its inputs, fetched from the backend
// when they are not the wallet's; its size is computed from what its txid commits to.
func (w *Wallet) PlanCPFP(ctx context.Context, be chain.Backend, parent chainhash.Hash, rate txbuilder.FeeRate) (*CPFPPlan, error) {
	return w.PlanCPFPFor(ctx, be, CPFPRequest{Parent: parent, FeeRate: rate})
}

// CPFPRequest is what PlanCPFPFor takes.
type CPFPRequest struct {
	// Parent is the pending transaction to pay for.
	Parent chainhash.Hash
	// FeeRate is the rate the package (unconfirmed ancestors, parent and child) must pay.
	FeeRate txbuilder.FeeRate
	// ParentFee, when not nil, is the parent's fee as the user knows it (from its sender, or a
	// block explorer): the only way to price a stranger's parent over a backend that cannot
	// give its inputs (p2p, when they are in blocks it never downloaded). When the wallet knows
	// the fee itself, a different one is refused: one of them is wrong.
	ParentFee *txbuilder.Amount
}

// ErrParentInputsUnknown means the backend could not give the transactions a CPFP parent
// spends from, so its fee is unknown: the p2p light client cannot ask peers for a
// transaction by id. CPFPRequest.ParentFee, or another backend, is the way out.
var ErrParentInputsUnknown = errors.New("the parent's inputs are unknown to the backend")

// PlanCPFPFor is PlanCPFP with the parent's fee given when it is known by other means.
func (w *Wallet) PlanCPFPFor(ctx context.Context, be chain.Backend, req CPFPRequest) (*CPFPPlan, error) {
	parent, rate := req.Parent, req.FeeRate
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var rec *store.TxRecord
	var prevScripts [][]byte
	var anc Ancestry
	if err := w.st.View(func(tx *store.Txn) error {
		var err error
		if rec, err = tx.Tx(parent); err != nil {
			return fmt.Errorf("%w: %s is not a transaction of this wallet: check the txid (satchel history lists them)", ErrBadInput, parent)
		}
		if rec.Status != store.StatusPending {
			return fmt.Errorf("%w: %s is %s: only a pending transaction needs a child", ErrBadInput, parent, rec.Status)
		}
		m, err := rec.MsgTx()
		if err != nil {
			return err
		}
		prevScripts = storePrevScripts(tx, m)
		g, err := loadPendingGraph(tx)
		if err != nil {
			return err
		}
		ins := make([]wire.OutPoint, len(m.TxIn))
		for i, in := range m.TxIn {
			ins[i] = in.PreviousOutPoint
		}
		anc = g.ancestry(tx, ins, nil)
		return nil
	}); err != nil {
		return nil, err
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
	// The parent's fee: the wallet's own count, else inputs minus outputs with the inputs
	// looked up at the backend, else the user's word (req.ParentFee). A count and a word
	// that differ are refused: one of them is wrong.
	if req.ParentFee != nil && *req.ParentFee < 0 {
		return nil, fmt.Errorf("%w: a parent fee of %s: a fee is never negative", ErrBadInput, groupSat(int64(*req.ParentFee)))
	}
	fee, counted := txbuilder.Amount(rec.Fee), rec.Fee >= 0
	guessedSize := false
	if !counted {
		fee, err = parentFeeFromBackend(ctx, be, parent, msg, prevScripts)
		switch {
		case err == nil:
			counted = true
		case req.ParentFee != nil && errors.Is(err, ErrParentInputsUnknown):
			// Taken on the user's word: the parent's size is still computed here, and the
			// fee guard judges the child's own rate, so a wrong fee costs at most a slower
			// package (too high) or an overpaid child within the guard (too low).
			fee, guessedSize = *req.ParentFee, true
		default:
			return nil, err
		}
	}
	if req.ParentFee != nil && counted && *req.ParentFee != fee {
		return nil, fmt.Errorf("%w: %s pays a fee of %s sat counted from its inputs, not the %s given", ErrBadInput, parent,
			groupSat(int64(fee)), groupSat(int64(*req.ParentFee)))
	}
	pv := committedVSize(msg, prevScripts)
	if rec.Sent {
		pv = txWeightVSize(msg) // signed here: the witness is the real one
	} else if guessedSize {
		// The scripts the parent spends are unknown, so the bound above guessed their kind
		// (P2WPKH for an empty scriptSig): the witness as received counts when it is larger,
		// so a multisig parent is not sized as a single-key one. A padded witness only makes
		// the child pay more, within the fee guard.
		pv = max(pv, txWeightVSize(msg))
	}
	// The package below the child: the parent and its unconfirmed ancestors. An ancestor whose
	// fee the store does not know counts with no fee, so the package is never thought richer
	// than it is.
	pkgVSize := pv + anc.VSize
	pkgFee := fee + txbuilder.Amount(anc.Fee)
	kp := keyPath{pc.changeRec.Purpose, 1, pc.changeRec.NextChange}
	d, err := w.main().keys.Derive(1, kp.index)
	if err != nil {
		return nil, err
	}
	pay := Payment{Address: d.Address, Script: d.PkScript, Type: d.Type, own: &kp}
	// First a plan at the package rate to learn the child's size, then the rate that makes the
	// package pay rate: child fee = rate x (package + child) - package fee.
	childRate := rate
	var plan *Plan
	for i := 0; i < 3; i++ {
		plan, err = w.finishPlan(SendRequest{Payments: []Payment{pay}, SweepAll: true, FeeRate: childRate,
			IncludeUneconomical: true}, pc, ours, nil, nil)
		if err != nil {
			return nil, err
		}
		need := rate.FeeForVSize(pkgVSize+plan.VSize) - pkgFee
		if plan.Selection.Fee >= need {
			break
		}
		childRate = txbuilder.FeeRate((int64(need)*1000 + plan.VSize - 1) / plan.VSize)
		if childRate > MaxFeeRate {
			return nil, fmt.Errorf("%w: the child would need %s sat/vB", ErrFeeGuard, childRate)
		}
	}
	if err := w.CheckPlanChain(plan); err != nil {
		return nil, fmt.Errorf("cpfp %s: %w", parent, err)
	}
	total := int64(pkgFee) + int64(plan.Selection.Fee)
	return &CPFPPlan{Plan: plan, Parent: parent, ParentFee: fee, ParentVSize: pv,
		Ancestors: len(anc.Ancestors), AncestorsVSize: anc.VSize, AncestorsFee: txbuilder.Amount(anc.Fee),
		PackageRate: txbuilder.FeeRate(total * 1000 / (pkgVSize + plan.VSize)), RequiredRate: rate}, nil
}

// parentFeeFromBackend counts a parent's fee from the transactions it spends, asked from the
// backend, and fills prevScripts with the scripts they pay. A transaction the backend does not
// have is ErrParentInputsUnknown.
func parentFeeFromBackend(ctx context.Context, be chain.Backend, parent chainhash.Hash, msg *wire.MsgTx, prevScripts [][]byte) (txbuilder.Amount, error) {
	ids := make([]chainhash.Hash, len(msg.TxIn))
	for i, in := range msg.TxIn {
		ids[i] = in.PreviousOutPoint.Hash
	}
	prevs, err := be.Transactions(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("cpfp: parent inputs: %w", err)
	}
	var in, out int64
	for i, p := range prevs {
		idx := msg.TxIn[i].PreviousOutPoint.Index
		if p == nil {
			return 0, fmt.Errorf("cpfp: %s cannot give %s, which input %d of %s spends: %w", be.Name(), ids[i], i, parent, ErrParentInputsUnknown)
		}
		if p.TxHash() != ids[i] || int(idx) >= len(p.TxOut) {
			return 0, fmt.Errorf("cpfp: %s did not give input %d of %s: %w", be.Name(), i, parent, chain.ErrUnreachable)
		}
		in += p.TxOut[idx].Value
		prevScripts[i] = p.TxOut[idx].PkScript
	}
	for _, o := range msg.TxOut {
		out += o.Value
	}
	return txbuilder.Amount(in - out), nil
}
