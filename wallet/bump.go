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
		r, err := tx.Tx(req.TxID)
		if err != nil {
			return fmt.Errorf("%w: %s is not a transaction of this wallet", ErrBadInput, req.TxID)
		}
		if r.Status != store.StatusPending {
			return fmt.Errorf("%w: %s is %s, only a pending transaction can be bumped", ErrNotReplaceable, req.TxID, r.Status)
		}
		if r.Fee < 0 {
			return fmt.Errorf("%w: %s spends coins that are not this wallet's", ErrNotReplaceable, req.TxID)
		}
		// A later transaction of ours that spends this one's outputs would be evicted by a
		// replacement, whose fee does not pay for it (BIP125 rule 3) and which may even pick
		// its change: bump that one instead.
		var child *store.TxRecord
		if err := tx.ForEachTx(func(o *store.TxRecord) error {
			if child != nil || o.Status != store.StatusPending || o.TxID == req.TxID {
				return nil
			}
			om, err := o.MsgTx()
			if err != nil {
				return err
			}
			for _, in := range om.TxIn {
				if in.PreviousOutPoint.Hash == req.TxID {
					child = o
					break
				}
			}
			return nil
		}); err != nil {
			return err
		}
		if child != nil {
			return fmt.Errorf("%w: %s spends an output of %s (its change): a replacement would drop it; bump %s instead, "+
				"or use satchel cpfp", ErrNotReplaceable, child.TxID, req.TxID, child.TxID)
		}
		m, err := r.MsgTx()
		if err != nil {
			return err
		}
		signals := false
		for _, in := range m.TxIn {
			if in.Sequence < wire.MaxTxInSequenceNum-1 {
				signals = true
			}
			prev, err := tx.Tx(in.PreviousOutPoint.Hash)
			if err != nil {
				return fmt.Errorf("%w: input %s is not this wallet's", ErrNotReplaceable, in.PreviousOutPoint)
			}
			pm, err := prev.MsgTx()
			if err != nil {
				return err
			}
			o := pm.TxOut[in.PreviousOutPoint.Index]
			a, ok := tx.Addr(o.PkScript)
			if !ok {
				return fmt.Errorf("%w: input %s is not this wallet's", ErrNotReplaceable, in.PreviousOutPoint)
			}
			required = append(required, store.Coin{OutPoint: in.PreviousOutPoint, Value: o.Value, PkScript: o.PkScript,
				Purpose: a.Purpose, Chain: a.Chain, Index: a.Index, Height: prev.Height, Own: true})
		}
		if !signals {
			return fmt.Errorf("%w: %s does not signal replaceability (BIP125)", ErrNotReplaceable, req.TxID)
		}
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
		return nil, fmt.Errorf("%w: --fee-rate %s sat/vB must be above the current %s sat/vB", ErrBadInput, req.FeeRate, oldRate)
	}
	created := map[chainhash.Hash]bool{req.TxID: true}
	var cands []store.Coin
	for _, c := range pc.spendable() {
		if !created[c.OutPoint.Hash] {
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
	if err != nil {
		return nil, err
	}
	plan.keepsSilent = maybeSilent
	plan.replaces = req.TxID
	// BIP125 rule 4: the new fee pays for the replacement's own relay on top of the old fee.
	minFee := txbuilder.Amount(orig.Fee) + req.RelayFee.FeeForVSize(plan.VSize)
	if plan.Selection.Fee < minFee {
		need := txbuilder.FeeRate((int64(minFee)*1000 + plan.VSize - 1) / plan.VSize)
		return nil, fmt.Errorf("%w: a replacement must pay at least %d sat (old fee %d + relay fee for %d vB): use --fee-rate %s or more",
			ErrBadInput, minFee, orig.Fee, plan.VSize, need)
	}
	return &BumpPlan{Plan: plan, OldFee: txbuilder.Amount(orig.Fee), OldVSize: oldVSize}, nil
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
