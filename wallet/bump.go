package wallet

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// ErrNotReplaceable means a transaction cannot be fee-bumped by this wallet.
var ErrNotReplaceable = errors.New("transaction cannot be replaced")

// BumpRequest asks for a replacement of a pending transaction of ours at a higher fee rate.
type BumpRequest struct {
	TxID    chainhash.Hash
	FeeRate txbuilder.FeeRate
	// RelayFee is the backend's minimum relay fee: BIP125 wants the new fee to exceed the old by
	// at least this rate times the replacement's size.
	RelayFee txbuilder.FeeRate
	Policy   txbuilder.Policy
}

// BumpPlan is a replacement plan with what it replaces.
type BumpPlan struct {
	*Plan
	OldFee   txbuilder.Amount
	OldVSize int64
}

// PlanBump builds a BIP125 replacement of a pending transaction the wallet sent: the same
// payees, the same inputs, a lower change and, if that is not enough, more coins. Coins the
// original created are never used, since they vanish with it.
func (w *Wallet) PlanBump(req BumpRequest) (*BumpPlan, error) {
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var orig *store.TxRecord
	var msg *wire.MsgTx
	var required []store.Coin
	var payments []Payment
	var change *keyPath
	var maybeSilent bool
	err = w.st.View(func(tx *store.Txn) error {
		r, m, req2, err := replaceable(tx, req.TxID, "bump")
		if err != nil {
			return err
		}
		required = req2
		for _, o := range m.TxOut {
			if txscript.GetScriptClass(o.PkScript) == txscript.NullDataTy {
				return fmt.Errorf("%w: %s has an OP_RETURN output (a dust disposal pays all its coin as fee and needs no bump); satchel does not rebuild those: use satchel cpfp",
					ErrNotReplaceable, req.TxID)
			}
			if a, ok := tx.Addr(o.PkScript); ok && a.Chain == 1 && change == nil {
				change = &keyPath{a.Purpose, a.Chain, a.Index}
				continue
			}
			pay := Payment{Script: o.PkScript, Type: scriptType(o.PkScript), Amount: txbuilder.Amount(o.Value),
				Address: ScriptAddress(o.PkScript, w.net)}
			// A silent payment to ourselves has no path to check at signing; the kept inputs
			// keep its key valid.
			if a, ok := tx.Addr(o.PkScript); ok && a.Purpose != store.SilentPurpose {
				pay.own = &keyPath{a.Purpose, a.Chain, a.Index}
			}
			payments = append(payments, pay)
		}
		orig, msg = r, m
		maybeSilent = hasSilent(tx, req.TxID) || mayPaySilent(tx, r, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(payments) == 0 {
		return nil, fmt.Errorf("%w: %s pays only the wallet's change", ErrNotReplaceable, req.TxID)
	}
	oldVSize := txbuilder.TxWeight(msg).VSize()
	oldRate := txbuilder.FeeRate(orig.Fee * 1000 / oldVSize)
	if req.FeeRate <= oldRate {
		// Say what rate to give: nodes take a replacement only when it pays at least 1 sat/vB
		// more (BIP125 rule 4, the default incremental relay fee).
		return nil, fmt.Errorf("%w: --fee-rate %s sat/vB must be above the current %s sat/vB: give a higher one, such as --fee-rate %s",
			ErrBadInput, req.FeeRate, oldRate, oldRate+txbuilder.SatPerVB(1))
	}
	created := map[chainhash.Hash]bool{req.TxID: true}
	var cands []store.Coin
	for _, c := range pc.spendable() {
		// BIP125 rule 2: a replacement adds no unconfirmed input (nodes refuse it), so the
		// wallet's own unconfirmed change is no candidate either.
		if !created[c.OutPoint.Hash] && c.Height > 0 {
			cands = append(cands, c)
		}
	}
	if maybeSilent {
		// Silent-payment output keys depend on the inputs: keep them, only lower the change.
		// That holds for a transaction marked as paying one, and for one this copy of the
		// wallet did not send (a restore) that pays a taproot address not its own, which may
		// be one: the mark is not in the seed.
		cands = nil
	}
	sreq := SendRequest{Payments: payments, FeeRate: req.FeeRate, Policy: req.Policy}
	plan, err := w.finishPlan(sreq, pc, required, cands, change)
	var short *txbuilder.InsufficientFundsError
	if err != nil && maybeSilent && errors.As(err, &short) {
		return nil, fmt.Errorf("%w: %s pays (or may pay) a silent payment, whose output would break if coins were added, "+
			"and its change cannot pay that fee alone: use a lower --fee-rate, or satchel cpfp", err, req.TxID)
	}
	if err != nil && errors.As(err, &short) {
		return nil, fmt.Errorf("%w (a replacement may add only confirmed coins, BIP125 rule 2: wait for a confirmation, "+
			"use a lower --fee-rate, or satchel cpfp)", err)
	}
	if err != nil {
		return nil, err
	}
	plan.keepsSilent = maybeSilent
	plan.replaces = req.TxID
	if err := w.CheckPlanChain(plan); err != nil {
		return nil, fmt.Errorf("bump %s: %w", req.TxID, err)
	}
	// BIP125 rule 4: the new fee pays for the replacement's own relay on top of the old fee.
	minFee := txbuilder.Amount(orig.Fee) + req.RelayFee.FeeForVSize(plan.VSize)
	if plan.Selection.Fee < minFee {
		need := txbuilder.FeeRate((int64(minFee)*1000 + plan.VSize - 1) / plan.VSize)
		return nil, fmt.Errorf("%w: a replacement must pay at least %s (old fee %s + relay fee for %d vB): use --fee-rate %s or more",
			ErrBadInput, groupSat(int64(minFee)), groupSat(int64(orig.Fee)), plan.VSize, need)
	}
	return &BumpPlan{Plan: plan, OldFee: txbuilder.Amount(orig.Fee), OldVSize: oldVSize}, nil
}

// replaceable loads a pending transaction this wallet signed that a replacement may take the
// place of (a fee bump, an abandon), with the coins it spends. verb (bump, abandon) names
// what was asked, for the errors.
func replaceable(tx *store.Txn, id chainhash.Hash, verb string) (*store.TxRecord, *wire.MsgTx, []store.Coin, error) {
	r, err := tx.Tx(id)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: %s is not a transaction of this wallet: check the txid (satchel history lists them)", ErrBadInput, id)
	}
	if r.Status != store.StatusPending {
		return nil, nil, nil, fmt.Errorf("%w: %s is %s, only a pending transaction can be %sed", ErrNotReplaceable, id, r.Status, verb)
	}
	if r.Fee < 0 {
		return nil, nil, nil, fmt.Errorf("%w: %s spends coins that are not this wallet's", ErrNotReplaceable, id)
	}
	// Only a payment this copy of the wallet signed: a pending transaction a server reports
	// is vouched for by nothing (its txid commits to no signature), and re-signing it would
	// pay whoever the server chose.
	if !r.Sent {
		return nil, nil, nil, fmt.Errorf("%w: %s was not sent by this wallet (a server reported it, or another copy of the wallet sent it): "+
			"satchel replaces only what it signed; wait for it, or use satchel cpfp if it pays you", ErrNotReplaceable, id)
	}
	// A later transaction of ours that spends this one's outputs would be evicted by a
	// replacement, whose fee does not pay for it (BIP125 rule 3) and which may even pick
	// its change: that one must go first.
	var child *store.TxRecord
	if err := tx.ForEachTx(func(o *store.TxRecord) error {
		if child != nil || o.Status != store.StatusPending || o.TxID == id {
			return nil
		}
		om, err := o.MsgTx()
		if err != nil {
			return err
		}
		for _, in := range om.TxIn {
			if in.PreviousOutPoint.Hash == id {
				child = o
				break
			}
		}
		return nil
	}); err != nil {
		return nil, nil, nil, err
	}
	if child != nil {
		return nil, nil, nil, fmt.Errorf("%w: %s spends an output of %s (its change): a replacement would drop it; %s %s instead, "+
			"or use satchel cpfp", ErrNotReplaceable, child.TxID, id, verb, child.TxID)
	}
	m, err := r.MsgTx()
	if err != nil {
		return nil, nil, nil, err
	}
	signals := false
	var required []store.Coin
	for _, in := range m.TxIn {
		if in.Sequence < wire.MaxTxInSequenceNum-1 {
			signals = true
		}
		prev, err := tx.Tx(in.PreviousOutPoint.Hash)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%w: input %s is not this wallet's", ErrNotReplaceable, in.PreviousOutPoint)
		}
		pm, err := prev.MsgTx()
		if err != nil {
			return nil, nil, nil, err
		}
		if int(in.PreviousOutPoint.Index) >= len(pm.TxOut) {
			return nil, nil, nil, fmt.Errorf("%w: input %s does not exist", ErrNotReplaceable, in.PreviousOutPoint)
		}
		o := pm.TxOut[in.PreviousOutPoint.Index]
		a, ok := tx.Addr(o.PkScript)
		if !ok {
			return nil, nil, nil, fmt.Errorf("%w: input %s is not this wallet's", ErrNotReplaceable, in.PreviousOutPoint)
		}
		required = append(required, store.Coin{OutPoint: in.PreviousOutPoint, Value: o.Value, PkScript: o.PkScript,
			Purpose: a.Purpose, Chain: a.Chain, Index: a.Index, Height: prev.Height, Own: true})
	}
	if !signals {
		return nil, nil, nil, fmt.Errorf("%w: %s does not signal replaceability (BIP125)", ErrNotReplaceable, id)
	}
	return r, m, required, nil
}

// scriptType names the type of an output script, for sizing and dust.
func scriptType(script []byte) txbuilder.ScriptType {
	switch {
	case len(script) == 25 && script[0] == 0x76 && script[1] == 0xa9:
		return txbuilder.P2PKH
	case len(script) == 23 && script[0] == 0xa9:
		return txbuilder.P2SH
	case len(script) == 22 && script[0] == 0x00 && script[1] == 0x14:
		return txbuilder.P2WPKH
	case len(script) == 34 && script[0] == 0x00 && script[1] == 0x20:
		return txbuilder.P2WSH
	case len(script) == 34 && script[0] == 0x51 && script[1] == 0x20:
		return txbuilder.P2TR
	}
	return txbuilder.ScriptUnknown
}

// CheckReplaceable says whether the payment id can be replaced (verb: "bump" or "abandon")
// before any fee rate is chosen, so a txid that is not ours is said before a missing fee
// estimate is.
func (w *Wallet) CheckReplaceable(id chainhash.Hash, verb string) error {
	return w.st.View(func(tx *store.Txn) error {
		_, _, _, err := replaceable(tx, id, verb)
		return err
	})
}
