package wallet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// ErrChangeNotOurs means the change output did not derive from the wallet's own keys: the
// store or the code is wrong, and nothing is signed.
var ErrChangeNotOurs = errors.New("change output is not the wallet's own")

// Payment is one payee of a send.
type Payment struct {
	Address string
	Script  []byte
	Type    txbuilder.ScriptType
	Amount  txbuilder.Amount
	Label   string
}

// SendRequest describes a payment to plan.
type SendRequest struct {
	Payments []Payment
	// SweepAll pays every spendable coin (or the From coins) to the single payee, minus the fee.
	SweepAll bool
	FeeRate  txbuilder.FeeRate
	// From restricts the coins to these outpoints, all of which are spent.
	From []wire.OutPoint
	// IncludeUneconomical lets coins worth less than their spending cost be used.
	IncludeUneconomical bool
	Policy              txbuilder.Policy
	LongTermFeeRate     txbuilder.FeeRate
	// Rand drives coin selection and output order; nil means a fresh random source.
	Rand *rand.Rand
}

// Plan is a payment ready to sign: the chosen coins, the unsigned transaction and every figure
// the user is shown before agreeing to it.
type Plan struct {
	Request   SendRequest
	Selection txbuilder.Selection
	Built     *txbuilder.Built
	Prev      []txbuilder.PrevOut
	// paths[i] is where the key of input i derives from.
	paths []keyPath
	// Amount is what the payees receive in total.
	Amount txbuilder.Amount
	// VSize is the estimated size; the signed transaction is never larger.
	VSize int64
	// ChangeAddress and ChangePath describe the change output when there is one.
	ChangeAddress string
	ChangePath    string
	change        keyPath
	// InputAddresses and InputPaths follow Built.Inputs.
	InputAddresses []string
	InputPaths     []string
}

type keyPath struct{ purpose, chain, index uint32 }

// PlanSend chooses coins and builds the unsigned transaction for a payment. It reads the store
// but writes nothing, and needs no passphrase.
func (w *Wallet) PlanSend(req SendRequest) (*Plan, error) {
	if len(req.Payments) == 0 {
		return nil, fmt.Errorf("%w: no payee", ErrBadInput)
	}
	if req.SweepAll && len(req.Payments) != 1 {
		return nil, fmt.Errorf("%w: sweeping all coins pays exactly one address", ErrBadInput)
	}
	if req.Policy == nil {
		req.Policy = txbuilder.SatchelPolicy()
	}
	rng := req.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	var coins []store.Coin
	var frozen map[wire.OutPoint]bool
	var tip int32
	var changeRec store.Account
	err := w.st.View(func(tx *store.Txn) error {
		var err error
		if coins, err = tx.Coins(); err != nil {
			return err
		}
		frozen = map[wire.OutPoint]bool{}
		for _, c := range coins {
			if tx.Frozen(c.OutPoint) {
				frozen[c.OutPoint] = true
			}
		}
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		changeRec, err = w.freshAccount(tx, w.main().rec.Purpose)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}

	byOut := map[wire.OutPoint]store.Coin{}
	var cands, required []txbuilder.Coin
	for _, c := range coins {
		byOut[c.OutPoint] = c
	}
	toCoin := func(c store.Coin) txbuilder.Coin {
		confs := int32(0)
		if c.Height > 0 {
			confs = tip - c.Height + 1
		}
		return txbuilder.Coin{OutPoint: c.OutPoint, Value: txbuilder.Amount(c.Value),
			Type: keys.Purpose(c.Purpose).ScriptType(), Confirmations: confs, FromSelf: c.Own}
	}
	if len(req.From) > 0 {
		seen := map[wire.OutPoint]bool{}
		for _, op := range req.From {
			c, ok := byOut[op]
			if !ok {
				return nil, fmt.Errorf("%w: --from %s is not an unspent coin of this wallet (see: satchel utxos)", ErrBadInput, op)
			}
			if !spendable(c, tip) {
				return nil, fmt.Errorf("%w: --from %s cannot be spent yet (unconfirmed from someone else, or immature)", ErrBadInput, op)
			}
			if !seen[op] {
				seen[op] = true
				required = append(required, toCoin(c))
			}
		}
	} else {
		for _, c := range coins {
			if spendable(c, tip) && !frozen[c.OutPoint] {
				cands = append(cands, toCoin(c))
			}
		}
	}
	payees := make([]txbuilder.Payee, len(req.Payments))
	for i, p := range req.Payments {
		payees[i] = txbuilder.Payee{PkScript: p.Script, Type: p.Type, Value: p.Amount}
	}
	sreq := txbuilder.Request{
		Payees: payees, Coins: cands, Required: required, FeeRate: req.FeeRate,
		LongTermFeeRate: req.LongTermFeeRate, ChangeType: w.main().keys.ScriptType(),
		IncludeUneconomical: req.IncludeUneconomical, SubtractFee: req.SweepAll, Rand: rng,
	}
	if req.SweepAll {
		if len(required) == 0 {
			sreq.Required, sreq.Coins = cands, nil
		}
		if len(sreq.Required) == 0 {
			return nil, &txbuilder.InsufficientFundsError{Available: 0, Needed: 0}
		}
	}
	sel, err := req.Policy.Select(sreq)
	if err != nil {
		return nil, err
	}
	if req.SweepAll {
		payees[0].Value = sel.Sent
	}

	plan := &Plan{Request: req, Selection: sel, Amount: sel.Sent, VSize: sel.Weight.VSize()}
	var changeScript []byte
	if sel.Change > 0 {
		d, err := w.main().keys.Derive(1, changeRec.NextChange)
		if err != nil {
			return nil, fmt.Errorf("plan: change address: %w", err)
		}
		changeScript = d.PkScript
		plan.ChangeAddress, plan.ChangePath = d.Address, w.main().keys.Path(1, changeRec.NextChange)
		plan.change = keyPath{changeRec.Purpose, 1, changeRec.NextChange}
	}
	built, err := txbuilder.Build(txbuilder.BuildRequest{Selection: sel, Payees: payees, ChangeScript: changeScript,
		LockTime: uint32(max(tip, 0)), Rand: rng})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	plan.Built = built
	for _, in := range built.Inputs {
		c := byOut[in.OutPoint]
		a := w.account(c.Purpose)
		if a == nil {
			return nil, fmt.Errorf("plan: coin %s belongs to unknown account %d", c.OutPoint, c.Purpose)
		}
		d, err := a.keys.Derive(c.Chain, c.Index)
		if err != nil {
			return nil, fmt.Errorf("plan: derive %s: %w", a.keys.Path(c.Chain, c.Index), err)
		}
		if !bytes.Equal(d.PkScript, c.PkScript) {
			return nil, fmt.Errorf("plan: coin %s script does not match its path %s", c.OutPoint, a.keys.Path(c.Chain, c.Index))
		}
		plan.Prev = append(plan.Prev, txbuilder.PrevOut{Value: txbuilder.Amount(c.Value), PkScript: c.PkScript,
			Type: d.Type, RedeemScript: d.RedeemScript})
		plan.paths = append(plan.paths, keyPath{c.Purpose, c.Chain, c.Index})
		plan.InputAddresses = append(plan.InputAddresses, d.Address)
		plan.InputPaths = append(plan.InputPaths, a.keys.Path(c.Chain, c.Index))
	}
	return plan, nil
}

// Sign opens the keystore with passphrase, checks that the change output derives from the
// seed's own keys, signs every input and checks the real fee rate. The seed and keys live in
// memory only for this call and are wiped after (as far as Go allows: the runtime may have
// copied them).
func (w *Wallet) Sign(plan *Plan, passphrase []byte, opts ...keystore.Option) (*wire.MsgTx, error) {
	sec, _, err := keystore.Open(w.KeystorePath(), passphrase, opts...)
	if err != nil {
		return nil, err
	}
	defer sec.Wipe()
	seed, err := seedOf(sec)
	if err != nil {
		return nil, err
	}
	defer wipe(seed)
	master, err := keys.Master(seed, w.net)
	if err != nil {
		return nil, err
	}
	defer master.Zero()
	if keys.FormatFingerprint(keys.Fingerprint(master)) != w.meta.Fingerprint {
		return nil, fmt.Errorf("sign: the keystore's seed (fingerprint %s) is not this wallet's (%s)",
			keys.FormatFingerprint(keys.Fingerprint(master)), w.meta.Fingerprint)
	}
	tx := plan.Built.Tx.Copy()
	if plan.Built.ChangeIndex >= 0 {
		k, err := keys.PrivKey(master, keys.Purpose(plan.change.purpose), w.net, 0, plan.change.chain, plan.change.index)
		if err != nil {
			return nil, err
		}
		d, err := keys.ScriptFor(keys.Purpose(plan.change.purpose).ScriptType(), k.PubKey(), w.net)
		k.Zero()
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(d.PkScript, tx.TxOut[plan.Built.ChangeIndex].PkScript) {
			return nil, fmt.Errorf("sign: %w: output %d does not derive from %s", ErrChangeNotOurs, plan.Built.ChangeIndex, plan.ChangePath)
		}
	}
	err = txbuilder.Sign(tx, plan.Prev, func(i int) (*btcec.PrivateKey, error) {
		p := plan.paths[i]
		return keys.PrivKey(master, keys.Purpose(p.purpose), w.net, 0, p.chain, p.index)
	})
	if err != nil {
		return nil, err
	}
	if err := txbuilder.CheckFeeRate(tx, plan.Selection.Fee, plan.Request.FeeRate); err != nil {
		return nil, err
	}
	return tx, nil
}

// seedOf turns a keystore secret into the BIP32 seed.
func seedOf(sec *keystore.Secret) ([]byte, error) {
	switch sec.Kind {
	case "bip39":
		return keys.SeedFromMnemonic(sec.Mnemonic, sec.BIP39Passphrase), nil
	case "seed":
		return append([]byte(nil), sec.Seed...), nil
	}
	return nil, fmt.Errorf("keystore secret of unknown kind %q", sec.Kind)
}

// Broadcast sends a signed transaction and records it at once, so its coins are not chosen
// again and history shows it as pending.
func (w *Wallet) Broadcast(ctx context.Context, be chain.Backend, tx *wire.MsgTx, label string, now time.Time) (chainhash.Hash, error) {
	id, err := be.Broadcast(ctx, tx)
	if err != nil {
		var bErr *chain.BroadcastError
		if !errors.As(err, &bErr) || bErr.Cause != chain.CauseAlreadyInChain {
			return chainhash.Hash{}, err
		}
		id = tx.TxHash()
	}
	if id != tx.TxHash() {
		return chainhash.Hash{}, fmt.Errorf("broadcast: %s answered txid %s for %s: %w", be.Name(), id, tx.TxHash(), chain.ErrUnreachable)
	}
	if err := w.RecordSent(tx, label, now); err != nil {
		return id, fmt.Errorf("broadcast %s succeeded but recording it failed (the next sync will find it): %w", id, err)
	}
	return id, nil
}
