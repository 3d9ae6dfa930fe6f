package wallet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// KeystoreOption tunes how the keystore is opened (tests use a cheap KDF). It is keystore's
// own option type, re-exported so callers of the pipeline need not import keystore.
type KeystoreOption = keystore.Option

// ErrPlanChanged means the coins a plan spends changed while the user was asked (another
// satchel spent or reserved one): the plan was made again and must be agreed to again, and it
// changed more often than the pipeline retries.
var ErrPlanChanged = errors.New("the wallet changed while you were asked")

// maxConsentRounds bounds how often a plan that went stale during the prompt is made and
// shown again before the payment gives up.
const maxConsentRounds = 3

// Planner makes a plan from the wallet's current state. The pipeline calls it again when the
// state changed while the user was asked, so it must read everything it needs from the store
// each time.
type Planner func() (*Plan, error)

// PayOptions is what a command supplies to the pipeline besides the planner: the user's guard,
// whether to stop at the plan, the questions it asks and the backend it sends through.
type PayOptions struct {
	Guard FeeGuard
	// DryRun stops after the guard and the caps: nothing is asked, signed or sent.
	DryRun bool
	// Label is stored as the transaction's label once it is sent.
	Label string
	// Consent shows a plan (with the guard's warnings) and asks the user to agree; an error
	// stops the payment. It runs with no lock on the wallet, so a prompt left open blocks no
	// other satchel. Nil means consent was given up front (--yes).
	Consent func(p *Plan, warnings []string) error
	// WithPassphrase asks for the keystore passphrase, only after consent, and calls use with
	// it; it may ask again when use fails with ErrWrongPassphrase (a typo at the prompt). It
	// wipes the passphrase after use.
	WithPassphrase func(use func(passphrase []byte) error) error
	// Keystore options, for tests.
	Keystore []KeystoreOption
	// Backend sends the signed transaction.
	Backend chain.Backend
}

// Paid is the pipeline's result: the plan the user agreed to and, unless it was a dry run or
// the wallet is watch-only, the signed transaction and its id.
type Paid struct {
	Plan     *Plan
	Warnings []string
	Tx       *wire.MsgTx
	TxID     chainhash.Hash
	// Unsigned is the PSBT a watch-only wallet hands to its signer (its coins are reserved);
	// a multisig wallet's, signed by its own key, for the other cosigners.
	Unsigned *psbt.Packet
	// Signed says Unsigned carries this wallet's signature (a multisig member's).
	Signed bool
}

// Pay is the one path every payment of the wallet takes: plan, fee guard, spending caps,
// unconfirmed-chain limits, consent (with the wallet unlocked, so a prompt left open blocks
// nobody; the coins are checked again after it and the plan made again if they changed),
// unlock, sign, check the signed transaction, mark silent outputs, broadcast, record. No
// command can skip a step or change their order.
func (w *Wallet) Pay(ctx context.Context, planner Planner, o PayOptions) (*Paid, error) {
	for round := 1; ; round++ {
		plan, err := planner()
		if err != nil {
			return nil, err
		}
		warnings, err := w.Review(plan, o.Guard)
		if err != nil {
			return nil, err
		}
		res := &Paid{Plan: plan, Warnings: warnings}
		if o.DryRun {
			return res, nil
		}
		if w.meta.WatchOnly {
			return w.handOver(plan, res, nil)
		}
		crash.Point(crash.SendAfterPlan)
		stale, err := w.ask(plan, warnings, o.Consent)
		if err != nil {
			return nil, err
		}
		if stale {
			if round >= maxConsentRounds {
				return nil, fmt.Errorf("%w: its coins were spent or reserved by another satchel %d times; try again", ErrPlanChanged, round)
			}
			continue
		}
		if w.IsMultisig() {
			return w.multisigHandOver(plan, res, o)
		}
		return w.signAndSend(ctx, plan, res, o)
	}
}

// Review is the part of the pipeline before consent: the fee guard on the whole fee, the
// spending caps and node policy's limits on chains of unconfirmed transactions (25
// ancestors or descendants, 101 kvB). It returns the
// warnings to show beside the plan.
func (w *Wallet) Review(p *Plan, g FeeGuard) ([]string, error) {
	warnHigh, err := g.Check(p)
	if err != nil {
		return nil, err
	}
	if err := w.CheckLimits(p, w.now()); err != nil {
		return nil, err
	}
	if err := w.CheckPlanChain(p); err != nil {
		return nil, err
	}
	var warnings []string
	if warnHigh {
		warnings = append(warnings, fmt.Sprintf("the fee is %s of the amount paid (more than 10%%)", Share(p.Selection.Fee, p.Amount)))
	}
	return warnings, nil
}

// ask releases the wallet, asks for consent and takes the write lock again. It reports
// whether the plan went stale meanwhile (a coin it spends is gone or reserved, or its change
// address was handed out), in which case the caller plans and asks again.
func (w *Wallet) ask(p *Plan, warnings []string, consent func(*Plan, []string) error) (stale bool, err error) {
	if consent == nil {
		if err := w.writable(); err != nil {
			return false, err
		}
		return false, nil
	}
	if err := w.unlocked(func() error { return consent(p, warnings) }); err != nil {
		return false, err
	}
	return w.stale(p)
}

// stale says whether p can no longer be signed as shown: one of its coins is spent, frozen or
// reserved, or its change address is no longer the next unused one.
func (w *Wallet) stale(p *Plan) (bool, error) {
	pc, err := w.loadPlanContext()
	if err != nil {
		return false, err
	}
	replacement := p.replaces != chainhash.Hash{}
	for _, in := range p.Built.Inputs {
		req := p.required[in.OutPoint]
		if req && replacement {
			continue // spent by the transaction this one replaces, as planned
		}
		if _, ok := pc.byOut[in.OutPoint]; !ok {
			return true, nil
		}
		// Coins the user named may be frozen; coins selection chose must still be free.
		if pc.frozen[in.OutPoint] && !req {
			return true, nil
		}
	}
	if p.Built.ChangeIndex >= 0 && !p.fixedChange && p.change.index < pc.changeRec.NextChange {
		return true, nil
	}
	return false, nil
}

// signAndSend is the pipeline after consent: unlock, sign, check, mark, broadcast, record.
func (w *Wallet) signAndSend(ctx context.Context, plan *Plan, res *Paid, o PayOptions) (*Paid, error) {
	if o.Backend == nil {
		return nil, fmt.Errorf("%w: sending needs a backend", ErrBadInput)
	}
	if err := CheckLabel(o.Label); err != nil {
		return nil, err
	}
	var tx *wire.MsgTx
	err := o.WithPassphrase(func(pass []byte) error {
		var err error
		tx, err = w.Sign(plan, pass, o.Keystore...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := checkSigned(plan, tx); err != nil {
		return nil, err
	}
	// Silent outputs are marked before the broadcast, so a crash after it cannot leave a
	// silent payment that a later bump would break by adding coins.
	if err := w.NoteSilent(plan, tx.TxHash()); err != nil {
		return nil, err
	}
	if err := w.markTipsPaid(plan.tips, tx.TxHash()); err != nil {
		return nil, err
	}
	crash.Point(crash.SendAfterSign)
	bctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	id, err := w.Broadcast(bctx, o.Backend, tx, o.Label, w.now())
	if err != nil {
		var bErr *chain.BroadcastError
		if errors.As(err, &bErr) {
			// Refused: the tips it would have paid wait in the queue again.
			if uerr := w.unmarkTipsPaid(plan.tips, tx.TxHash()); uerr != nil {
				return nil, fmt.Errorf("%w (and putting its tips back in the queue failed: %v)", err, uerr)
			}
		}
		return nil, err
	}
	if err := w.keepLabels(plan, tx); err != nil {
		return nil, fmt.Errorf("%s was sent, but storing its labels failed: %w", id, err)
	}
	res.Tx, res.TxID = tx, id
	return res, nil
}

// handOver ends a watch-only payment: the unsigned PSBT for the signer, its coins reserved
// for ReserveFor so the next send does not choose them while it is signed elsewhere.
func (w *Wallet) handOver(plan *Plan, res *Paid, p *psbt.Packet) (*Paid, error) {
	if p == nil {
		var err error
		if p, err = w.PSBT(plan); err != nil {
			return nil, err
		}
	}
	ops := make([]wire.OutPoint, 0, len(plan.Built.Inputs))
	for _, in := range plan.Built.Inputs {
		ops = append(ops, in.OutPoint)
	}
	if err := w.Reserve(ops, w.now().Add(ReserveFor)); err != nil {
		return nil, err
	}
	res.Unsigned = p
	return res, nil
}

// multisigHandOver ends a multisig payment after consent: the PSBT, signed with the seed's
// key (the passphrase is asked only now), goes to the other cosigners; nothing is sent until
// M of them have signed (satchel psbt broadcast). Its coins are reserved as for watch-only.
func (w *Wallet) multisigHandOver(plan *Plan, res *Paid, o PayOptions) (*Paid, error) {
	p, err := w.PSBT(plan)
	if err != nil {
		return nil, err
	}
	sp, err := w.PlanPSBTSigning(p)
	if err != nil {
		return nil, err
	}
	if o.WithPassphrase == nil {
		return nil, fmt.Errorf("%w: signing needs the passphrase", ErrBadInput)
	}
	if err := o.WithPassphrase(func(pass []byte) error {
		_, err := w.SignPSBT(p, sp, pass, o.Keystore...)
		return err
	}); err != nil {
		return nil, err
	}
	res.Signed = true
	return w.handOver(plan, res, p)
}

// checkSigned is the last look at a signed transaction before it leaves: the rate the user
// asked for is really paid, it is within the standard weight, and no output is dust. (The
// change and the wallet's own outputs were derived from the seed and compared in Sign.)
func checkSigned(plan *Plan, tx *wire.MsgTx) error {
	if err := txbuilder.CheckFeeRate(tx, plan.Selection.Fee, plan.Request.FeeRate); err != nil {
		return err
	}
	if wt := txbuilder.TxWeight(tx); wt > txbuilder.MaxStandardTxWeight {
		return fmt.Errorf("%w: the signed transaction is %s vB, over the %s vB nodes relay; nothing was sent: spend fewer coins, or merge small coins first (satchel consolidate)",
			txbuilder.ErrTooLarge, groupNum(wt.VSize()), groupNum(txbuilder.MaxStandardTxWeight.VSize()))
	}
	for i, out := range tx.TxOut {
		if isNullData(out.PkScript) {
			continue
		}
		py := txbuilder.Payee{PkScript: out.PkScript, Type: scriptType(out.PkScript), Value: txbuilder.Amount(out.Value)}
		if lim := py.DustLimit(); py.Value < lim {
			return fmt.Errorf("%w: output %d pays %s, below its %s dust limit; nothing was sent", txbuilder.ErrDustOutput, i+1, groupSat(out.Value), groupSat(int64(lim)))
		}
	}
	return nil
}

// isNullData reports an OP_RETURN output, which carries no value and has no dust limit.
func isNullData(script []byte) bool { return len(script) > 0 && script[0] == 0x6a }

// unlocked runs ask (a question to the user) with the store closed, so that no lock is held
// while the user thinks, then takes the write lock: what follows a consent writes. ask's
// error, if any, wins.
func (w *Wallet) unlocked(ask func() error) error {
	if err := w.suspend(); err != nil {
		return err
	}
	aerr := ask()
	if err := w.resume(); err != nil {
		return err
	}
	return aerr
}

// suspend closes the store, so no lock is held while the user is asked something.
func (w *Wallet) suspend() error {
	if err := w.st.Close(); err != nil {
		return err
	}
	w.suspended = true
	return nil
}

// resume reopens the store after suspend, for writing: what follows a consent writes.
func (w *Wallet) resume() error {
	if !w.suspended {
		return w.writable()
	}
	w.suspended = false
	w.readOnly = true // the closed handle holds no lock: take the write lock anew
	return w.writable()
}
