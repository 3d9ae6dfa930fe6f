package wallet

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// DefaultDustThreshold is the largest coin that is frozen on arrival at an address already used:
// a likely dust attack, sent to link the wallet's coins when it is spent with them.
const DefaultDustThreshold = 1000

// minNonWitnessSize is the smallest transaction (without witness) nodes relay (Bitcoin Core's
// MIN_STANDARD_TX_NONWITNESS_SIZE); a disposal is padded up to it.
const minNonWitnessSize = 65

// autoFreezeDust freezes, once, each small coin that arrived at an address that had received
// before: the dust-attack pattern. A coin the user unfroze is never frozen again.
func autoFreezeDust(tx *store.Txn, coins []store.Coin, all []*decoded) error {
	firstSeen := map[string]int64{} // script -> earliest receipt (height order, then first seen)
	order := func(d *decoded) int64 {
		if d.rec.Height > 0 {
			return int64(d.rec.Height)<<32 | (d.rec.FirstSeen & 0xffffffff)
		}
		return int64(1)<<62 | d.rec.FirstSeen
	}
	byID := map[[32]byte]*decoded{}
	for _, d := range all {
		byID[d.rec.TxID] = d
		for _, o := range d.msg.TxOut {
			k := string(o.PkScript)
			if v, ok := firstSeen[k]; !ok || order(d) < v {
				firstSeen[k] = order(d)
			}
		}
	}
	for _, c := range coins {
		if c.Value > DefaultDustThreshold {
			continue
		}
		key := "dust:" + c.OutPoint.String()
		if tx.Setting(key) != "" {
			continue // decided before
		}
		d := byID[c.OutPoint.Hash]
		if d == nil || d.rec.Fee >= 0 {
			continue // our own transaction (change) is never an attack
		}
		if firstSeen[string(c.PkScript)] < order(d) {
			if err := tx.SetFrozen(c.OutPoint, true); err != nil {
				return err
			}
			if err := tx.PutSetting(key, "frozen"); err != nil {
				return err
			}
		}
	}
	return nil
}

// DisposePlan gives one coin up entirely as fee, to an OP_RETURN output.
type DisposePlan struct {
	Coin    store.Coin
	Tx      *wire.MsgTx
	Prev    txbuilder.PrevOut
	path    keyPath
	Address string
	Path    string
	VSize   int64
}

// PlanDispose builds, for each outpoint, a transaction spending that coin alone with all of it
// as fee and one OP_RETURN output, so it can never be linked to the wallet's other coins. It
// refuses a coin whose value would not pay the relay fee floor for the transaction's size.
func (w *Wallet) PlanDispose(ops []wire.OutPoint, relay txbuilder.FeeRate) ([]*DisposePlan, error) {
	if w.IsMultisig() {
		// A disposal is signed alone (ANYONECANPAY) and sent at once: no signing round.
		return nil, fmt.Errorf("%w: a multisig wallet cannot dispose of dust alone; spend it with send --from, which the cosigners sign", ErrBadInput)
	}
	pc, err := w.loadPlanContext()
	if err != nil {
		return nil, err
	}
	var out []*DisposePlan
	for _, op := range ops {
		c, ok := pc.byOut[op]
		if !ok {
			return nil, fmt.Errorf("%w: %s is not an unspent coin of this wallet (see: satchel utxos)", ErrBadInput, op)
		}
		// All of the coin goes to the fee: only dust may be given up this way, never a coin
		// worth spending (a mistyped outpoint must not burn a payment).
		if c.Value > DefaultDustThreshold {
			return nil, fmt.Errorf("%w: %s holds %s; only coins of at most %s are disposed of (all of the coin goes to the fee): spend it with satchel send",
				ErrBadInput, op, groupSat(int64(c.Value)), groupSat(int64(DefaultDustThreshold)))
		}
		a := w.account(c.Purpose)
		if a == nil {
			return nil, fmt.Errorf("%w: %s is a silent payment; dispose of it with satchel send", ErrBadInput, op)
		}
		d, err := a.keys.Derive(c.Chain, c.Index)
		if err != nil {
			return nil, err
		}
		m := wire.NewMsgTx(txbuilder.TxVersion)
		m.LockTime = uint32(max(pc.tip, 0))
		in := wire.NewTxIn(&op, nil, nil)
		in.Sequence = txbuilder.SequenceRBF
		m.AddTxIn(in)
		// Pad the OP_RETURN so the transaction meets the minimum relayed size.
		// Output: value 8, script length 1, OP_RETURN 1, push opcode 1, then the data.
		pad := minNonWitnessSize - (m.SerializeSizeStripped() + 8 + 1 + 1 + 1)
		if c.Purpose == 44 || c.Purpose == 49 {
			pad = 0 // their scriptSig already makes the transaction large enough
		}
		data := bytes.Repeat([]byte{0}, max(pad, 1))
		script, err := txscript.NullDataScript(data)
		if err != nil {
			return nil, err
		}
		m.AddTxOut(wire.NewTxOut(0, script))
		typ := d.Type
		// Estimated weight with the largest signature (65 bytes for taproot with a sighash byte).
		weight := txbuilder.TxOverheadWeight + typ.InputWeight() + txbuilder.Weight(4*(8+1+len(script)))
		if typ == txbuilder.P2TR {
			weight++
		}
		vsize := weight.VSize()
		if need := relay.FeeForVSize(vsize); txbuilder.Amount(c.Value) < need {
			return nil, fmt.Errorf("%w: %s is worth %s, less than the %s relay fee for its %d vB disposal",
				ErrBadInput, op, groupSat(int64(c.Value)), groupSat(int64(need)), vsize)
		}
		out = append(out, &DisposePlan{Coin: c, Tx: m, path: keyPath{c.Purpose, c.Chain, c.Index},
			Prev:    txbuilder.PrevOut{Value: txbuilder.Amount(c.Value), PkScript: c.PkScript, Type: typ, RedeemScript: d.RedeemScript},
			Address: d.Address, Path: a.keys.Path(c.Chain, c.Index), VSize: vsize})
	}
	return out, nil
}

// SignDispose signs disposal transactions with SIGHASH_ALL|ANYONECANPAY.
func (w *Wallet) SignDispose(plans []*DisposePlan, passphrase []byte, opts ...keystore.Option) ([]*wire.MsgTx, error) {
	sec, _, err := keystore.Open(w.KeystorePath(), passphrase, opts...)
	if err != nil {
		return nil, err
	}
	defer sec.Wipe()
	seed, err := seedMatching(sec, w.meta.Fingerprint, w.net)
	if err != nil {
		return nil, err
	}
	defer wipe(seed)
	master, err := keys.Master(seed, w.net)
	if err != nil {
		return nil, err
	}
	defer master.Zero()
	var out []*wire.MsgTx
	for _, p := range plans {
		tx := p.Tx.Copy()
		err := txbuilder.SignWith(tx, []txbuilder.PrevOut{p.Prev}, func(int) (*btcec.PrivateKey, error) {
			return keys.PrivKey(master, keys.Purpose(p.path.purpose), w.net, 0, p.path.chain, p.path.index)
		}, txscript.SigHashAll|txscript.SigHashAnyOneCanPay)
		if err != nil {
			return nil, fmt.Errorf("sign disposal of %s: %w", p.Coin.OutPoint, err)
		}
		out = append(out, tx)
	}
	return out, nil
}
