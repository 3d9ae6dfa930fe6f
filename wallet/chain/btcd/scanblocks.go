package btcd

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// ScanBlocks returns the blocks at heights with their taproot-paying transactions and the
// scripts those spend: getblockhash and raw getblock in one batch each, then the previous
// transactions of every input (getrawtransaction through the node's transaction index) in
// batches. Inputs spending an output of the same block are answered from the block itself.
func (b *Backend) ScanBlocks(ctx context.Context, heights []int32) ([]chain.ScanBlock, error) {
	if len(heights) == 0 {
		return nil, nil
	}
	hashes, err := b.blockHashes(ctx, heights)
	if err != nil {
		return nil, err
	}
	calls := make([]*call, len(heights))
	raws := make([]string, len(heights))
	for i := range heights {
		calls[i] = &call{cmd: cmd("getblock", hashes[i], 0), out: &raws[i]}
	}
	if err := b.exchange(ctx, "getblock", calls); err != nil {
		return nil, err
	}
	out := make([]chain.ScanBlock, len(heights))
	var txs []*chain.ScanTx
	for i, c := range calls {
		if c.err != nil {
			// The chain moved between the two requests (a reorg dropped the block).
			return nil, fmt.Errorf("%s: block %s (height %d): %w", b.name, hashes[i], heights[i], c.err)
		}
		raw, err := hex.DecodeString(raws[i])
		if err != nil {
			return nil, b.inconsistent("getblock", "block %s is not hex", hashes[i])
		}
		var blk wire.MsgBlock
		if err := blk.Deserialize(bytes.NewReader(raw)); err != nil {
			return nil, b.inconsistent("getblock", "block %s: %v", hashes[i], err)
		}
		if got := blk.BlockHash().String(); got != hashes[i] {
			return nil, b.inconsistent("getblock", "asked for block %s, got one hashing to %s", hashes[i], got)
		}
		sb := chain.ScanBlock{Height: heights[i], Hash: blk.BlockHash(), Prev: blk.Header.PrevBlock,
			TxCount: len(blk.Transactions)}
		inBlock := make(map[chainhash.Hash]*wire.MsgTx, len(blk.Transactions))
		for j, tx := range blk.Transactions {
			inBlock[tx.TxHash()] = tx
			if j == 0 || !chain.HasTaprootOutput(tx) {
				continue
			}
			sb.Txs = append(sb.Txs, chain.ScanTx{Tx: tx, PrevScripts: make([][]byte, len(tx.TxIn))})
		}
		for j := range sb.Txs {
			st := &sb.Txs[j]
			for k, in := range st.Tx.TxIn {
				if p, ok := inBlock[in.PreviousOutPoint.Hash]; ok && int(in.PreviousOutPoint.Index) < len(p.TxOut) {
					st.PrevScripts[k] = p.TxOut[in.PreviousOutPoint.Index].PkScript
				}
			}
		}
		out[i] = sb
		for j := range out[i].Txs {
			txs = append(txs, &out[i].Txs[j])
		}
	}
	if err := b.fillPrevScripts(ctx, txs); err != nil {
		return nil, err
	}
	return out, nil
}

// ScanMempool returns the mempool's transactions with a taproot output and the scripts their
// inputs spend: getrawmempool, then getrawtransaction for the transactions and their parents.
func (b *Backend) ScanMempool(ctx context.Context) ([]chain.ScanTx, error) {
	var ids []string
	c := &call{cmd: cmd("getrawmempool", false), out: &ids}
	if err := b.exchange(ctx, "getrawmempool", []*call{c}); err != nil {
		return nil, err
	}
	if c.err != nil {
		return nil, fmt.Errorf("%s: getrawmempool: %w", b.name, c.err)
	}
	hashes := make([]chainhash.Hash, 0, len(ids))
	for _, s := range ids {
		h, err := chainhash.NewHashFromStr(s)
		if err != nil {
			return nil, b.inconsistent("getrawmempool", "lists transaction %q", s)
		}
		hashes = append(hashes, *h)
	}
	// Transactions fetched by an earlier call (a wait polling every few seconds) are not
	// fetched again; those that left the mempool are forgotten.
	b.mempoolMu.Lock()
	cached := b.mempool
	b.mempoolMu.Unlock()
	var fresh []chainhash.Hash
	for _, h := range hashes {
		if _, ok := cached[h]; !ok {
			fresh = append(fresh, h)
		}
	}
	mtxs, err := b.transactionsWithWitness(ctx, fresh)
	if err != nil {
		return nil, fmt.Errorf("mempool: %w", err)
	}
	var add []chain.ScanTx
	for _, tx := range mtxs {
		if chain.HasTaprootOutput(tx) {
			add = append(add, chain.ScanTx{Tx: tx, PrevScripts: make([][]byte, len(tx.TxIn))})
		}
	}
	ptrs := make([]*chain.ScanTx, len(add))
	for i := range add {
		ptrs[i] = &add[i]
	}
	if err := b.fillPrevScripts(ctx, ptrs); err != nil {
		return nil, err
	}
	next := make(map[chainhash.Hash]*chain.ScanTx, len(hashes))
	for _, h := range fresh {
		next[h] = nil // no taproot output: nothing to scan, remembered all the same
	}
	for i := range add {
		next[add[i].Tx.TxHash()] = &add[i]
	}
	var out []chain.ScanTx
	for _, h := range hashes {
		st, ok := next[h]
		if !ok {
			st = cached[h]
			next[h] = st
		}
		if st != nil {
			out = append(out, *st)
		}
	}
	b.mempoolMu.Lock()
	b.mempool = next
	b.mempoolMu.Unlock()
	return out, nil
}

// fillPrevScripts fetches the previous transaction of every input whose script is still
// unknown, each once, and fills the scripts in.
func (b *Backend) fillPrevScripts(ctx context.Context, txs []*chain.ScanTx) error {
	want := map[chainhash.Hash]int{}
	var ids []chainhash.Hash
	for _, st := range txs {
		for k, in := range st.Tx.TxIn {
			if st.PrevScripts[k] != nil {
				continue
			}
			if _, ok := want[in.PreviousOutPoint.Hash]; !ok {
				want[in.PreviousOutPoint.Hash] = len(ids)
				ids = append(ids, in.PreviousOutPoint.Hash)
			}
		}
	}
	prev, err := b.Transactions(ctx, ids)
	if err != nil {
		return fmt.Errorf("previous outputs: %w", err)
	}
	for _, st := range txs {
		for k, in := range st.Tx.TxIn {
			if st.PrevScripts[k] != nil {
				continue
			}
			p := prev[want[in.PreviousOutPoint.Hash]]
			if int(in.PreviousOutPoint.Index) >= len(p.TxOut) {
				return b.inconsistent("getrawtransaction", "transaction %s has no output %d",
					in.PreviousOutPoint.Hash, in.PreviousOutPoint.Index)
			}
			st.PrevScripts[k] = p.TxOut[in.PreviousOutPoint.Index].PkScript
		}
	}
	return nil
}

var _ chain.BlockSource = (*Backend)(nil)
