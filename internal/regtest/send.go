package regtest

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// DefaultFeeRate is the rate of harness transactions: above the 1 sat/vB relay minimum with
// room to spare, low enough that the amounts tests check stay round.
const DefaultFeeRate = txbuilder.FeeRate(2000)

// Output is one payment of a harness transaction.
type Output struct {
	Address string
	Amount  txbuilder.Amount
}

// TxOptions changes how CreateTx builds a transaction. The zero value is a non-replaceable
// transaction at DefaultFeeRate from coins the harness picks, with change back to the payer.
type TxOptions struct {
	FeeRate txbuilder.FeeRate
	// RBF signals BIP125 replaceability on every input.
	RBF bool
	// Inputs, when set, are the exact coins to spend (they must pay the key). Spending one
	// already spent makes a double spend, which is how tests get conflicts.
	Inputs []wire.OutPoint
}

// Coin is an output a Key can spend.
type Coin struct {
	OutPoint      wire.OutPoint
	Value         txbuilder.Amount
	Confirmations int64 // 0 in the mempool
	Coinbase      bool
}

// Send pays amount to addr from the faucet, broadcasts and returns the txid. Several sends in
// a row need no mining in between: each spends mature coinbases or earlier change.
func (n *Node) Send(t testing.TB, addr string, amount txbuilder.Amount) chainhash.Hash {
	t.Helper()
	return n.SendFrom(t, Faucet, []Output{{Address: addr, Amount: amount}})
}

// SendMany pays every output in one transaction from the faucet.
func (n *Node) SendMany(t testing.TB, outs []Output) chainhash.Hash {
	t.Helper()
	return n.SendFrom(t, Faucet, outs)
}

// SendFrom pays outs from key's coins, change back to key, and broadcasts.
func (n *Node) SendFrom(t testing.TB, key *Key, outs []Output) chainhash.Hash {
	t.Helper()
	return n.Broadcast(t, n.CreateTx(t, key, outs, TxOptions{}))
}

// Broadcast sends a transaction to the node and fails the test if it is refused.
func (n *Node) Broadcast(t testing.TB, tx *wire.MsgTx) chainhash.Hash {
	t.Helper()
	id, err := n.RPC().SendRawTransaction(tx, false)
	if err != nil {
		t.Fatalf("sendrawtransaction %s: %v", tx.TxHash(), err)
	}
	return *id
}

// CreateTx builds and signs, without broadcasting, a transaction paying outs from key. It
// fails the test when key has too little.
func (n *Node) CreateTx(t testing.TB, key *Key, outs []Output, opts TxOptions) *wire.MsgTx {
	t.Helper()
	tx, err := n.createTx(key, outs, opts)
	if err != nil {
		t.Fatalf("create transaction from %s: %v", key.Address, err)
	}
	return tx
}

func (n *Node) createTx(key *Key, outs []Output, opts TxOptions) (*wire.MsgTx, error) {
	rate := opts.FeeRate
	if rate <= 0 {
		rate = DefaultFeeRate
	}
	tx := wire.NewMsgTx(2)
	var pay txbuilder.Amount
	for _, o := range outs {
		a, err := address.DecodeAddress(o.Address, Net)
		if err != nil {
			return nil, fmt.Errorf("address %q: %w", o.Address, err)
		}
		script, err := txscript.PayToAddrScript(a)
		if err != nil {
			return nil, fmt.Errorf("address %q: %w", o.Address, err)
		}
		tx.AddTxOut(wire.NewTxOut(int64(o.Amount), script))
		pay += o.Amount
	}

	var coins []Coin
	var err error
	if len(opts.Inputs) > 0 {
		coins, err = n.lookupCoins(key, opts.Inputs)
	} else {
		coins, err = n.Coins(key)
	}
	if err != nil {
		return nil, err
	}
	changeWeight := txbuilder.Weight((8 + 1 + len(key.PkScript)) * 4)
	weight := txbuilder.TxOverheadWeight + changeWeight
	for _, o := range tx.TxOut {
		weight += txbuilder.Weight((8 + 1 + len(o.PkScript)) * 4)
	}
	var (
		have     txbuilder.Amount
		picked   []Coin
		fee      txbuilder.Amount
		enough   bool
		explicit = len(opts.Inputs) > 0
	)
	for _, c := range coins {
		picked = append(picked, c)
		have += c.Value
		weight += key.Type.InputWeight()
		fee = rate.FeeForWeight(weight)
		if !explicit && have >= pay+fee {
			enough = true
			break
		}
	}
	if explicit {
		enough = have >= pay+rate.FeeForWeight(weight-changeWeight)
	}
	if !enough {
		return nil, fmt.Errorf("has %d sat spendable, needs %d plus fee", have, pay)
	}

	seq := uint32(wire.MaxTxInSequenceNum)
	if opts.RBF {
		seq = wire.MaxTxInSequenceNum - 2
	}
	prev := make(map[wire.OutPoint]*wire.TxOut, len(picked))
	for _, c := range picked {
		in := wire.NewTxIn(&c.OutPoint, nil, nil)
		in.Sequence = seq
		tx.AddTxIn(in)
		prev[c.OutPoint] = wire.NewTxOut(int64(c.Value), key.PkScript)
	}
	if change := have - pay - fee; change >= key.Type.DustLimit() {
		tx.AddTxOut(wire.NewTxOut(int64(change), key.PkScript))
	} // else the remainder goes to the fee

	hashes := txscript.NewTxSigHashes(tx, txscript.NewMultiPrevOutFetcher(prev))
	for i, in := range tx.TxIn {
		if err := key.sign(tx, i, prev[in.PreviousOutPoint].Value, hashes); err != nil {
			return nil, fmt.Errorf("sign input %d: %w", i, err)
		}
	}
	return tx, nil
}

// Coins lists key's spendable outputs as the node's address index sees them, mempool
// included: outputs paying key.PkScript that no indexed transaction spends, with coinbases
// only once mature. Confirmed coins come first, largest first, so sends rarely chain.
func (n *Node) Coins(key *Key) ([]Coin, error) {
	a, err := address.DecodeAddress(key.Address, Net)
	if err != nil {
		return nil, err
	}
	var items []*btcjson.SearchRawTransactionsResult
	const page = 1000
	for skip := 0; ; skip += page {
		got, err := n.RPC().SearchRawTransactionsVerbose(a, skip, page, false, false, nil)
		var rerr *btcjson.RPCError
		if errors.As(err, &rerr) && rerr.Code == btcjson.ErrRPCNoTxInfo {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("searchrawtransactions %s: %w", key.Address, err)
		}
		items = append(items, got...)
		if len(got) < page {
			break
		}
	}
	spent := make(map[wire.OutPoint]bool)
	var coins []Coin
	for _, it := range items {
		tx, err := decodeTx(it.Hex)
		if err != nil {
			return nil, fmt.Errorf("transaction %s: %w", it.Txid, err)
		}
		coinbase := len(it.Vin) == 1 && it.Vin[0].Coinbase != ""
		if !coinbase {
			for _, in := range tx.TxIn {
				spent[in.PreviousOutPoint] = true
			}
		}
		for i, o := range tx.TxOut {
			if !bytes.Equal(o.PkScript, key.PkScript) {
				continue
			}
			if coinbase && it.Confirmations < uint64(Net.CoinbaseMaturity) {
				continue
			}
			coins = append(coins, Coin{
				OutPoint:      wire.OutPoint{Hash: tx.TxHash(), Index: uint32(i)},
				Value:         txbuilder.Amount(o.Value),
				Confirmations: int64(it.Confirmations),
				Coinbase:      coinbase,
			})
		}
	}
	unspent := coins[:0]
	for _, c := range coins {
		if !spent[c.OutPoint] {
			unspent = append(unspent, c)
		}
	}
	sort.SliceStable(unspent, func(i, j int) bool {
		ci, cj := unspent[i].Confirmations > 0, unspent[j].Confirmations > 0
		if ci != cj {
			return ci
		}
		return unspent[i].Value > unspent[j].Value
	})
	return unspent, nil
}

// lookupCoins fetches the named outputs, which must pay key, spent or not.
func (n *Node) lookupCoins(key *Key, ops []wire.OutPoint) ([]Coin, error) {
	coins := make([]Coin, 0, len(ops))
	for _, op := range ops {
		tx, err := n.RPC().GetRawTransaction(&op.Hash)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", op, err)
		}
		outs := tx.MsgTx().TxOut
		if int(op.Index) >= len(outs) || !bytes.Equal(outs[op.Index].PkScript, key.PkScript) {
			return nil, fmt.Errorf("input %s does not pay %s", op, key.Address)
		}
		coins = append(coins, Coin{OutPoint: op, Value: txbuilder.Amount(outs[op.Index].Value)})
	}
	return coins, nil
}

func decodeTx(s string) (*wire.MsgTx, error) {
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, err
	}
	tx := new(wire.MsgTx)
	if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
		return nil, err
	}
	return tx, nil
}

// TxHex serializes tx as the hex sendrawtransaction and testmempoolaccept take.
func TxHex(tx *wire.MsgTx) string {
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		panic(err) // writing to a bytes.Buffer does not fail
	}
	return hex.EncodeToString(buf.Bytes())
}
