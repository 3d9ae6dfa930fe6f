// Package chaintest is an in-memory chain.Backend for tests: blocks, a mempool, reorgs and
// call counters, so sync and send logic can be tested without a node.
package chaintest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
)

type block struct {
	header wire.BlockHeader
	txs    []*wire.MsgTx
}

// Chain is a fake chain. Its zero value is not usable: call New.
type Chain struct {
	mu      sync.Mutex
	blocks  []*block
	mempool []*wire.MsgTx
	nonce   uint32
	// Calls counts calls per method name.
	Calls map[string]int
	// Fee is the estimate EstimateFee answers; 0 means ErrNoEstimate.
	Fee txbuilder.FeeRate
	// Relay is the minimum relay fee; 0 means 1 sat/vB.
	Relay txbuilder.FeeRate
	// Down makes every call fail as unreachable.
	Down bool
}

// New makes a chain holding only a genesis block.
func New() *Chain {
	c := &Chain{Calls: map[string]int{}}
	c.blocks = []*block{c.newBlock(chainhash.Hash{}, nil)}
	return c
}

// regtestBits is the regtest proof-of-work limit every fake block is mined at.
const regtestBits = 0x207fffff

// newBlock makes a block whose header commits to txs (the real merkle root; a block without
// transactions, which a real chain never has, gets a made-up one) and meets its regtest
// proof-of-work target, so light-client checks pass on the fake chain as on a real one.
func (c *Chain) newBlock(prev chainhash.Hash, txs []*wire.MsgTx) *block {
	c.nonce++
	h := wire.BlockHeader{Version: 4, PrevBlock: prev, Timestamp: time.Unix(1700000000+int64(len(c.blocks))*600, 0),
		Bits: regtestBits, Nonce: c.nonce}
	if len(txs) > 0 {
		ids := make([]chainhash.Hash, len(txs))
		for i, t := range txs {
			ids[i] = t.TxHash()
		}
		h.MerkleRoot = MerkleRoot(ids)
	} else {
		h.MerkleRoot = chainhash.DoubleHashH([]byte(fmt.Sprint(c.nonce, len(txs))))
	}
	target := blockchain.CompactToBig(h.Bits)
	for {
		hash := h.BlockHash()
		if blockchain.HashToBig(&hash).Cmp(target) <= 0 {
			break
		}
		c.nonce++
		h.Nonce = c.nonce
	}
	return &block{header: h, txs: txs}
}

// MerkleRoot is the Bitcoin merkle root of txids (double SHA-256 of each pair, the last one
// paired with itself on a level of odd length). It panics on an empty list, which has none.
func MerkleRoot(txids []chainhash.Hash) chainhash.Hash {
	if len(txids) == 0 {
		panic("chaintest: the merkle root of no transactions")
	}
	level := append([]chainhash.Hash(nil), txids...)
	for len(level) > 1 {
		if len(level)%2 == 1 {
			level = append(level, level[len(level)-1])
		}
		next := make([]chainhash.Hash, len(level)/2)
		var buf [2 * chainhash.HashSize]byte
		for i := range next {
			copy(buf[:chainhash.HashSize], level[2*i][:])
			copy(buf[chainhash.HashSize:], level[2*i+1][:])
			next[i] = chainhash.DoubleHashH(buf[:])
		}
		level = next
	}
	return level[0]
}

// Height is the tip height.
func (c *Chain) Height() int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int32(len(c.blocks) - 1)
}

// AddMempool puts transactions in the mempool without checks.
func (c *Chain) AddMempool(txs ...*wire.MsgTx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mempool = append(c.mempool, txs...)
}

// RemoveMempool drops a transaction from the mempool (as an eviction or a replacement would).
func (c *Chain) RemoveMempool(id chainhash.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, t := range c.mempool {
		if t.TxHash() == id {
			c.mempool = append(c.mempool[:i], c.mempool[i+1:]...)
			return
		}
	}
}

// Block is the best chain's block at height, as a peer serves it; false when there is none.
func (c *Chain) Block(height int32) (*wire.MsgBlock, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if height < 0 || int(height) >= len(c.blocks) {
		return nil, false
	}
	b := c.blocks[height]
	m := &wire.MsgBlock{Header: b.header}
	for _, t := range b.txs {
		m.Transactions = append(m.Transactions, t.Copy())
	}
	return m, true
}

// Mempool lists the transactions in the mempool, as a peer answers BIP35 mempool.
func (c *Chain) Mempool() []*wire.MsgTx {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*wire.MsgTx, len(c.mempool))
	for i, t := range c.mempool {
		out[i] = t.Copy()
	}
	return out
}

// Mine adds n blocks; the first takes the whole mempool, plus extra transactions.
func (c *Chain) Mine(n int, extra ...*wire.MsgTx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < n; i++ {
		var txs []*wire.MsgTx
		if i == 0 {
			txs = append(append(txs, c.mempool...), extra...)
			c.mempool = nil
		}
		prev := c.blocks[len(c.blocks)-1].header.BlockHash()
		c.blocks = append(c.blocks, c.newBlock(prev, txs))
	}
}

// Disconnect removes the top n blocks; their transactions go back to the mempool, as a node
// does when a block leaves the best chain.
func (c *Chain) Disconnect(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < n && len(c.blocks) > 1; i++ {
		b := c.blocks[len(c.blocks)-1]
		c.blocks = c.blocks[:len(c.blocks)-1]
		for _, t := range b.txs {
			if !isCoinbase(t) {
				c.mempool = append(c.mempool, t)
			}
		}
	}
}

func isCoinbase(t *wire.MsgTx) bool {
	return len(t.TxIn) == 1 && t.TxIn[0].PreviousOutPoint.Index == wire.MaxPrevOutIndex &&
		t.TxIn[0].PreviousOutPoint.Hash == chainhash.Hash{}
}

// Coinbase makes a coinbase transaction paying value to script; unique per height tag.
func Coinbase(script []byte, value int64, tag uint32) *wire.MsgTx {
	t := wire.NewMsgTx(2)
	in := wire.NewTxIn(wire.NewOutPoint(&chainhash.Hash{}, wire.MaxPrevOutIndex), []byte{byte(tag), byte(tag >> 8), byte(tag >> 16), 0x51}, nil)
	t.AddTxIn(in)
	t.AddTxOut(wire.NewTxOut(value, script))
	return t
}

// Pay makes a transaction from someone outside the wallet (spending a made-up outpoint) paying
// each value to its script.
func Pay(tag uint32, outs ...*wire.TxOut) *wire.MsgTx {
	t := wire.NewMsgTx(2)
	h := chainhash.DoubleHashH([]byte(fmt.Sprint("external", tag)))
	t.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&h, 0), nil, nil))
	for _, o := range outs {
		t.AddTxOut(o)
	}
	return t
}

func (c *Chain) enter(name string) error {
	c.Calls[name]++
	if c.Down {
		return fmt.Errorf("fake chain is down: %w", chain.ErrUnreachable)
	}
	return nil
}

// ResetCalls zeroes the call counters.
func (c *Chain) ResetCalls() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Calls = map[string]int{}
}

// Tip implements chain.Backend.
func (c *Chain) Tip(ctx context.Context) (chain.Tip, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("Tip"); err != nil {
		return chain.Tip{}, err
	}
	top := c.blocks[len(c.blocks)-1]
	return chain.Tip{Height: int32(len(c.blocks) - 1), Hash: top.header.BlockHash()}, nil
}

type located struct {
	tx     *wire.MsgTx
	height int32
}

func (c *Chain) all() map[chainhash.Hash]located {
	m := map[chainhash.Hash]located{}
	for h, b := range c.blocks {
		for _, t := range b.txs {
			m[t.TxHash()] = located{t, int32(h)}
		}
	}
	for _, t := range c.mempool {
		m[t.TxHash()] = located{t, 0}
	}
	return m
}

// ScriptHistories implements chain.Backend: every transaction paying to or spending from each
// script, confirmed or in the mempool.
func (c *Chain) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("ScriptHistories"); err != nil {
		return nil, err
	}
	all := c.all()
	out := make([][]chain.HistoryItem, len(scripts))
	for i, s := range scripts {
		for id, l := range all {
			if touches(l.tx, s, all) {
				out[i] = append(out[i], chain.HistoryItem{TxID: id, Height: l.height})
			}
		}
	}
	return out, nil
}

func touches(t *wire.MsgTx, script []byte, all map[chainhash.Hash]located) bool {
	for _, o := range t.TxOut {
		if bytes.Equal(o.PkScript, script) {
			return true
		}
	}
	for _, in := range t.TxIn {
		if p, ok := all[in.PreviousOutPoint.Hash]; ok && int(in.PreviousOutPoint.Index) < len(p.tx.TxOut) &&
			bytes.Equal(p.tx.TxOut[in.PreviousOutPoint.Index].PkScript, script) {
			return true
		}
	}
	return false
}

// Transactions implements chain.Backend.
func (c *Chain) Transactions(ctx context.Context, ids []chainhash.Hash) ([]*wire.MsgTx, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("Transactions"); err != nil {
		return nil, err
	}
	all := c.all()
	out := make([]*wire.MsgTx, len(ids))
	for i, id := range ids {
		l, ok := all[id]
		if !ok {
			return nil, fmt.Errorf("no transaction %s: %w", id, chain.ErrUnreachable)
		}
		out[i] = l.tx.Copy()
	}
	return out, nil
}

// BlockHeaders implements chain.Backend.
func (c *Chain) BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("BlockHeaders"); err != nil {
		return nil, err
	}
	out := make([]*wire.BlockHeader, len(heights))
	for i, h := range heights {
		if h < 0 || int(h) >= len(c.blocks) {
			return nil, fmt.Errorf("no block at %d: %w", h, chain.ErrUnreachable)
		}
		hd := c.blocks[h].header
		out[i] = &hd
	}
	return out, nil
}

// BlockTxIDs implements chain.BlockTxLister.
func (c *Chain) BlockTxIDs(ctx context.Context, height int32) ([]chainhash.Hash, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("BlockTxIDs"); err != nil {
		return nil, err
	}
	if height < 0 || int(height) >= len(c.blocks) {
		return nil, fmt.Errorf("no block at %d: %w", height, chain.ErrUnreachable)
	}
	txs := c.blocks[height].txs
	out := make([]chainhash.Hash, len(txs))
	for i, t := range txs {
		out[i] = t.TxHash()
	}
	return out, nil
}

// Broadcast implements chain.Backend: it refuses a transaction spending a coin another confirmed
// or pending transaction already spends.
func (c *Chain) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("Broadcast"); err != nil {
		return chainhash.Hash{}, err
	}
	all := c.all()
	if _, ok := all[tx.TxHash()]; ok {
		return chainhash.Hash{}, &chain.BroadcastError{Cause: chain.CauseAlreadyInChain, Message: "already have transaction"}
	}
	for _, l := range all {
		for _, a := range l.tx.TxIn {
			for _, b := range tx.TxIn {
				if a.PreviousOutPoint == b.PreviousOutPoint {
					return chainhash.Hash{}, &chain.BroadcastError{Cause: chain.CauseConflict, Message: "output already spent"}
				}
			}
		}
	}
	c.mempool = append(c.mempool, tx.Copy())
	return tx.TxHash(), nil
}

// EstimateFee implements chain.Backend.
func (c *Chain) EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("EstimateFee"); err != nil {
		return 0, err
	}
	if c.Fee == 0 {
		return 0, chain.ErrNoEstimate
	}
	return c.Fee, nil
}

// RelayFee implements chain.Backend.
func (c *Chain) RelayFee(ctx context.Context) (txbuilder.FeeRate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("RelayFee"); err != nil {
		return 0, err
	}
	if c.Relay == 0 {
		return txbuilder.SatPerVB(1), nil
	}
	return c.Relay, nil
}

// Name implements chain.Backend.
func (c *Chain) Name() string { return "fake chain" }

// Close implements chain.Backend.
func (c *Chain) Close() error { return nil }

var (
	_ chain.Backend       = (*Chain)(nil)
	_ chain.BlockTxLister = (*Chain)(nil)
)

// ScanBlocks implements chain.BlockSource, as a full node with a transaction index does.
func (c *Chain) ScanBlocks(ctx context.Context, heights []int32) ([]chain.ScanBlock, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("ScanBlocks"); err != nil {
		return nil, err
	}
	all := c.all()
	out := make([]chain.ScanBlock, len(heights))
	for i, h := range heights {
		if h < 0 || int(h) >= len(c.blocks) {
			return nil, fmt.Errorf("no block at %d: %w", h, chain.ErrUnreachable)
		}
		b := c.blocks[h]
		sb := chain.ScanBlock{Height: h, Hash: b.header.BlockHash(), Prev: b.header.PrevBlock, TxCount: len(b.txs)}
		for _, t := range b.txs {
			if isCoinbase(t) || !chain.HasTaprootOutput(t) {
				continue
			}
			st, err := scanTx(t, all)
			if err != nil {
				return nil, err
			}
			sb.Txs = append(sb.Txs, st)
		}
		out[i] = sb
	}
	return out, nil
}

// ScanMempool implements chain.BlockSource.
func (c *Chain) ScanMempool(ctx context.Context) ([]chain.ScanTx, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter("ScanMempool"); err != nil {
		return nil, err
	}
	all := c.all()
	var out []chain.ScanTx
	for _, t := range c.mempool {
		if !chain.HasTaprootOutput(t) {
			continue
		}
		st, err := scanTx(t, all)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// scanTx pairs a transaction with the scripts its inputs spend. An input whose coin the fake
// chain never saw gets an empty script (not eligible), as a coin from outside the test.
func scanTx(t *wire.MsgTx, all map[chainhash.Hash]located) (chain.ScanTx, error) {
	st := chain.ScanTx{Tx: t.Copy(), PrevScripts: make([][]byte, len(t.TxIn))}
	for i, in := range t.TxIn {
		if p, ok := all[in.PreviousOutPoint.Hash]; ok && int(in.PreviousOutPoint.Index) < len(p.tx.TxOut) {
			st.PrevScripts[i] = p.tx.TxOut[in.PreviousOutPoint.Index].PkScript
		} else {
			st.PrevScripts[i] = []byte{}
		}
	}
	return st, nil
}

var _ chain.BlockSource = (*Chain)(nil)
