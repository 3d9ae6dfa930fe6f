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

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/fiat"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
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
	// own marks a payment to the wallet itself, checked at signing to derive from its keys.
	own *keyPath
	// SilentPayment, when set, is a BIP352 address: Script is then a placeholder of the right
	// size, and the real output key is derived from the inputs' private keys at signing.
	SilentPayment *silentpay.Address
	// Notes are things the user should hear about this payee (an ignored lightning invoice).
	Notes []string
	// Fiat, when set, is the amount as the user typed it in a currency; ConvertPayments sets
	// Amount from it at the price of the moment, before anything is planned.
	Fiat *fiat.Amount
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
	ownOutputs    map[int]keyPath
	// InputAddresses and InputPaths follow Built.Inputs.
	InputAddresses []string
	InputPaths     []string
	// replaces is the transaction a fee bump replaces (zero otherwise): the caps count the
	// replacement instead of it.
	replaces chainhash.Hash
	// Notes are things the user should hear about the plan (payees merged into one output).
	Notes []string
	// tips are the queued tips this payment pays (tip flush): they are marked paid by it
	// before it is broadcast.
	tips []string
	// required are the coins the plan had to spend (--from, the inputs of what a bump
	// replaces, a CPFP parent's output), as opposed to those selection chose.
	required map[wire.OutPoint]bool
	// fixedChange marks a plan whose change address is not the next fresh one (a fee bump
	// keeps the change of the transaction it replaces).
	fixedChange bool
	// keepsSilent marks a replacement of a transaction that pays (or may pay) a silent
	// payment: its inputs were kept, and it is marked as such before it is broadcast.
	keepsSilent bool
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
	if err := w.checkSilentPayees(req.Payments); err != nil {
		return nil, err
	}
	for _, p := range req.Payments {
		if p.Fiat != nil && p.Amount <= 0 && !req.SweepAll {
			return nil, fmt.Errorf("%w: %s to %s was never converted to satoshis (ConvertPayments)", ErrBadInput, p.Fiat, p.Address)
		}
	}
	var notes []string
	req.Payments, notes = w.mergePayees(req.Payments)
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var cands, required []store.Coin
	if len(req.From) > 0 {
		seen := map[wire.OutPoint]bool{}
		for _, op := range req.From {
			c, ok := pc.byOut[op]
			if !ok {
				return nil, fmt.Errorf("%w: --from %s is not an unspent coin of this wallet (see: satchel utxos)", ErrBadInput, op)
			}
			if !spendable(c, pc.tip) {
				return nil, fmt.Errorf("%w: --from %s cannot be spent yet: %s", ErrBadInput, op, whyNotSpendable(c, pc.tip))
			}
			if !seen[op] {
				seen[op] = true
				required = append(required, c)
			}
		}
	} else {
		cands = pc.spendable()
	}
	if req.SweepAll && len(required) == 0 {
		required, cands = cands, nil
		if len(required) == 0 {
			return nil, notCounted(&txbuilder.InsufficientFundsError{}, pc)
		}
	}
	plan, err := w.finishPlan(req, pc, required, cands, nil)
	if err != nil {
		if len(req.From) > 0 {
			return nil, err // the coins were named: none was left out
		}
		return nil, notCounted(err, pc)
	}
	plan.Notes = notes
	return plan, nil
}

// planContext is the store's state a plan is made from.
type planContext struct {
	coins     []store.Coin
	byOut     map[wire.OutPoint]store.Coin
	frozen    map[wire.OutPoint]bool
	tip       int32
	changeRec store.Account
	// typeOf is the script type of a coin, from its account (a multisig's m and n are not in
	// its purpose).
	typeOf func(store.Coin) txbuilder.ScriptType
}

func (w *Wallet) loadPlanContext() (*planContext, error) {
	pc := &planContext{byOut: map[wire.OutPoint]store.Coin{}, frozen: map[wire.OutPoint]bool{}, typeOf: w.coinType}
	err := w.st.View(func(tx *store.Txn) error {
		var err error
		if pc.coins, err = tx.Coins(); err != nil {
			return err
		}
		now := w.now()
		for _, c := range pc.coins {
			pc.byOut[c.OutPoint] = c
			// Frozen and reserved coins are both kept out of automatic selection.
			if tx.Frozen(c.OutPoint) || reserved(tx, c.OutPoint, now) {
				pc.frozen[c.OutPoint] = true
			}
		}
		if s, err := tx.SyncState(); err == nil {
			pc.tip = s.Height
		}
		pc.changeRec, err = w.freshAccount(tx, w.main().rec.Purpose)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return pc, nil
}

// spendable lists the coins send may choose by itself: spendable now and not frozen.
func (pc *planContext) spendable() []store.Coin {
	var out []store.Coin
	for _, c := range pc.coins {
		if spendable(c, pc.tip) && !pc.frozen[c.OutPoint] {
			out = append(out, c)
		}
	}
	return out
}

func (pc *planContext) selectionCoin(c store.Coin) txbuilder.Coin {
	return txbuilder.Coin{OutPoint: c.OutPoint, Value: txbuilder.Amount(c.Value),
		Type: pc.typeOf(c), Confirmations: txbuilder.Confirmations(c.Height, pc.tip), FromSelf: c.Own, Group: string(c.PkScript)}
}

// finishPlan runs coin selection over required and candidate coins, builds the transaction and
// records where every key comes from. change, when set, fixes the change address (a fee bump
// keeps the one it replaces); otherwise the next unused change address is used.
func (w *Wallet) finishPlan(req SendRequest, pc *planContext, required, cands []store.Coin, change *keyPath) (*Plan, error) {
	if req.Policy == nil {
		req.Policy = txbuilder.SatchelPolicy()
	}
	rng := req.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	byOut := map[wire.OutPoint]store.Coin{}
	var reqCoins, candCoins []txbuilder.Coin
	for _, c := range required {
		byOut[c.OutPoint] = c
		reqCoins = append(reqCoins, pc.selectionCoin(c))
	}
	for _, c := range cands {
		byOut[c.OutPoint] = c
		candCoins = append(candCoins, pc.selectionCoin(c))
	}
	var payees []txbuilder.Payee
	for _, p := range req.Payments {
		payees = append(payees, txbuilder.Payee{PkScript: p.Script, Type: p.Type, Value: p.Amount})
	}
	// The same constructor the coin-selection simulator uses, so it measures these requests.
	sreq := txbuilder.NewRequest(payees, reqCoins, candCoins, txbuilder.SendOptions{
		FeeRate: req.FeeRate, LongTermFeeRate: req.LongTermFeeRate, WalletType: w.main().keys.ScriptType(),
		IncludeUneconomical: req.IncludeUneconomical, SweepAll: req.SweepAll, Rand: rng})
	sel, err := req.Policy.Select(sreq)
	if err != nil {
		return nil, err
	}
	if req.SweepAll {
		payees[0].Value = sel.Sent
	}

	plan := &Plan{Request: req, Selection: sel, Amount: sel.Sent, VSize: sel.Weight.VSize(), fixedChange: change != nil,
		required: map[wire.OutPoint]bool{}}
	for _, c := range required {
		plan.required[c.OutPoint] = true
	}
	var changeScript []byte
	if sel.Change > 0 {
		kp := keyPath{pc.changeRec.Purpose, 1, pc.changeRec.NextChange}
		if change != nil {
			kp = *change
		}
		a := w.account(kp.purpose)
		if a == nil {
			return nil, fmt.Errorf("plan: change account %d unknown", kp.purpose)
		}
		d, err := a.keys.Derive(kp.chain, kp.index)
		if err != nil {
			return nil, fmt.Errorf("plan: change address: %w", err)
		}
		changeScript = d.PkScript
		plan.ChangeAddress, plan.ChangePath, plan.change = d.Address, a.keys.Path(kp.chain, kp.index), kp
	}
	built, err := txbuilder.Build(txbuilder.BuildRequest{Selection: sel, Payees: payees, ChangeScript: changeScript,
		LockTime: uint32(max(pc.tip, 0)), Rand: rng})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	plan.Built = built
	for _, in := range built.Inputs {
		c := byOut[in.OutPoint]
		if w.silentInput(plan, c) {
			continue
		}
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
	// Payments to the wallet's own addresses (consolidation) are checked at signing like change.
	for i, p := range req.Payments {
		if p.own != nil {
			if plan.ownOutputs == nil {
				plan.ownOutputs = map[int]keyPath{}
			}
			plan.ownOutputs[built.PayeeIndex[i]] = *p.own
		}
	}
	return plan, nil
}

// Sign opens the keystore with passphrase, checks that the change output derives from the
// seed's own keys, signs every input and checks the real fee rate. The seed and keys live in
// memory only for this call and are wiped after (as far as Go allows: the runtime may have
// copied them).
func (w *Wallet) Sign(plan *Plan, passphrase []byte, opts ...keystore.Option) (*wire.MsgTx, error) {
	master, err := w.unlock(passphrase, opts...)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	defer master.Zero()
	tx := plan.Built.Tx.Copy()
	own := map[int]keyPath{}
	for i, kp := range plan.ownOutputs {
		own[i] = kp
	}
	if plan.Built.ChangeIndex >= 0 {
		own[plan.Built.ChangeIndex] = plan.change
	}
	for idx, kp := range own {
		k, err := keys.PrivKey(master, keys.Purpose(kp.purpose), w.net, 0, kp.chain, kp.index)
		if err != nil {
			return nil, err
		}
		d, err := keys.ScriptFor(keys.Purpose(kp.purpose).ScriptType(), k.PubKey(), w.net)
		k.Zero()
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(d.PkScript, tx.TxOut[idx].PkScript) {
			return nil, fmt.Errorf("sign: %w: output %d does not derive from %d/%d/%d", ErrChangeNotOurs, idx+1, kp.purpose, kp.chain, kp.index)
		}
	}
	if err := w.silentOutputs(plan, tx, master); err != nil {
		return nil, err
	}
	// The placeholder is an unspendable key: nothing may be signed that still pays it.
	for i, out := range tx.TxOut {
		if bytes.Equal(out.PkScript, SilentPlaceholder) {
			return nil, fmt.Errorf("sign: output %d still pays the silent-payment placeholder; nothing was signed", i+1)
		}
	}
	err = txbuilder.Sign(tx, plan.Prev, func(i int) (*btcec.PrivateKey, error) {
		return w.inputPrivKey(master, plan.paths[i])
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
	case keystore.KindBIP39:
		return keys.SeedFromMnemonic(sec.Mnemonic, sec.BIP39Passphrase), nil
	case keystore.KindSeed:
		return append([]byte(nil), sec.Seed...), nil
	}
	return nil, fmt.Errorf("keystore secret of unknown kind %q", sec.Kind)
}

// Broadcast sends a signed transaction and records it at once, so its coins are not chosen
// again and history shows it as pending.
func (w *Wallet) Broadcast(ctx context.Context, be chain.Backend, tx *wire.MsgTx, label string, now time.Time) (chainhash.Hash, error) {
	// A label that cannot be stored must fail before the transaction leaves, not after.
	if err := CheckLabel(label); err != nil {
		return chainhash.Hash{}, err
	}
	id, err := be.Broadcast(ctx, tx)
	if err != nil {
		// Already in a block: say so, the next sync records it.
		if conf := alreadyConfirmed(ctx, be, tx, err); conf != nil {
			return chainhash.Hash{}, conf
		}
		// Already in a mempool: it went out before (a retry after a lost answer), and is
		// recorded as sent.
		var bErr *chain.BroadcastError
		if !errors.As(err, &bErr) || bErr.Cause != chain.CauseAlreadyInChain {
			// A dropped connection or a late answer may come after the transaction
			// left: say so, lest the payment be made again as a new transaction, and
			// record it as pending (the person consented to it), so its coins are not
			// chosen again, history shows it, and sync broadcasts it again until it
			// confirms or is abandoned.
			uerr := broadcastUnsure(tx.TxHash(), err)
			var unsure *BroadcastUnsureError
			if errors.As(uerr, &unsure) {
				unsure.Recorded = w.RecordSent(tx, label, now) == nil
			}
			return chainhash.Hash{}, uerr
		}
		id = tx.TxHash()
	}
	if id != tx.TxHash() {
		return chainhash.Hash{}, fmt.Errorf("broadcast: %s answered txid %s for %s: %w", be.Name(), id, tx.TxHash(), chain.ErrUnreachable)
	}
	crash.Point(crash.SendAfterBroadcast)
	if err := w.RecordSent(tx, label, now); err != nil {
		return id, fmt.Errorf("broadcast %s succeeded but recording it failed (the next sync will find it): %w", id, err)
	}
	crash.Point(crash.SendAfterRecord)
	return id, nil
}

// whyNotSpendable says in words why spendable(c, tip) is false.
func whyNotSpendable(c store.Coin, tip int32) string {
	if c.Coinbase {
		if c.Height == 0 {
			return "a coinbase output not yet in a block"
		}
		return fmt.Sprintf("a coinbase output, immature until height %d (%d more blocks)", c.Height+CoinbaseMaturity-1, c.Height+CoinbaseMaturity-1-tip)
	}
	return "unconfirmed, and paid by someone else: wait for a confirmation"
}
