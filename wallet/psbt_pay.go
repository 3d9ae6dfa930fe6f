package wallet

import (
	"context"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

// PSBTConsent shows what a PSBT pays and asks the user; an error stops. Like PayOptions.Consent
// it runs with the wallet unlocked.
type PSBTConsent func(s *PSBTSummary, signing []int, warnings []string) error

// knownFee is a PSBT's fee when every input states what it spends. A transaction whose fee
// satchel cannot compute is neither signed nor sent: a foreign input that leaves its amount
// out could make it pay anything.
func knownFee(p *psbt.Packet) (txbuilder.Amount, error) {
	for i := range p.Inputs {
		if txbuilder.PSBTPrevOut(p, i) == nil {
			return 0, fmt.Errorf("%w: input %d does not say what it spends, so the fee cannot be known: ask for a PSBT with every input's witness_utxo or non_witness_utxo", txbuilder.ErrPSBTRefused, i+1)
		}
	}
	fee, ok := txbuilder.PSBTFee(p)
	if !ok {
		return 0, fmt.Errorf("%w: an amount is out of range, so the fee cannot be known", txbuilder.ErrPSBTRefused)
	}
	if fee < 0 {
		return 0, fmt.Errorf("%w: the outputs are worth more than the inputs", txbuilder.ErrPSBTRefused)
	}
	return fee, nil
}

// SignPSBTPayment signs the wallet's inputs of p through the payment pipeline: a PSBT is a
// payment like any other. In order: the signing plan (BIP174 checks, trusted amounts, no
// output pretending to be change), a fee that can be computed, the fee guard (the whole fee
// against what leaves the wallet), the spending caps, consent (wallet unlocked), unlock, sign.
func (w *Wallet) SignPSBTPayment(p *psbt.Packet, g FeeGuard, consent PSBTConsent, withPassphrase func(use func([]byte) error) error, opts ...KeystoreOption) (*PSBTSignResult, error) {
	plan, err := w.PlanPSBTSigning(p)
	if err != nil {
		return nil, err
	}
	fee, err := knownFee(p)
	if err != nil {
		return nil, err
	}
	s := plan.Summary
	paid := txbuilder.Amount(0)
	var total txbuilder.Amount
	for _, o := range s.Outputs {
		total += txbuilder.Amount(o.Value)
		if !o.Ours {
			paid += txbuilder.Amount(o.Value)
		}
	}
	if paid == 0 {
		paid = total // a transfer to the wallet itself: judged against what it moves
	}
	rate, _ := s.FeeRate()
	warnHigh, err := g.CheckFee(fee, paid, rate)
	if err != nil {
		return nil, err
	}
	if err := w.CheckPSBTLimits(p, s, w.now()); err != nil {
		return nil, err
	}
	var warnings []string
	if warnHigh {
		warnings = append(warnings, fmt.Sprintf("the fee is %s of the amount paid (more than 10%%)", Share(fee, paid)))
	}
	if consent != nil {
		if err := w.unlocked(func() error { return consent(s, plan.Inputs, warnings) }); err != nil {
			return nil, err
		}
	}
	var res *PSBTSignResult
	err = withPassphrase(func(pass []byte) error {
		var err error
		res, err = w.SignPSBT(p, plan, pass, opts...)
		return err
	})
	return res, err
}

// BroadcastPSBTPayment finalises p, checks it (the fee must be computable, and at most
// MaxFeeRate), asks consent with the wallet unlocked (ours says which outputs pay it), and sends it; one that spends or pays
// the wallet is recorded as send does.
func (w *Wallet) BroadcastPSBTPayment(ctx context.Context, be chain.Backend, p *psbt.Packet, label string,
	consent func(tx *wire.MsgTx, ours []bool) error) (*wire.MsgTx, chainhash.Hash, error) {
	if _, err := knownFee(p); err != nil {
		return nil, chainhash.Hash{}, err
	}
	tx, err := ReadyPSBT(p)
	if err != nil {
		return nil, chainhash.Hash{}, err
	}
	if err := CheckLabel(label); err != nil {
		return nil, chainhash.Hash{}, err
	}
	if consent != nil {
		// Which outputs come back to the wallet, read before the store is let go.
		ours := make([]bool, len(tx.TxOut))
		for i, o := range tx.TxOut {
			if ours[i], err = w.OwnsScript(o.PkScript); err != nil {
				return nil, chainhash.Hash{}, err
			}
		}
		if err := w.unlocked(func() error { return consent(tx, ours) }); err != nil {
			return nil, chainhash.Hash{}, err
		}
	}
	bctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	id, err := w.SendReady(bctx, be, p, tx, label, w.now())
	return tx, id, err
}
