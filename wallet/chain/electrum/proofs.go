package electrum

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// merkleBatch is the get_merkle requests per message: an answer is under 1 kB each.
const merkleBatch = 250

// proveHistories checks every confirmed item of hists with a merkle proof against the verified
// header chain, which it first brings to cover the lowest of them up to the tip. A transaction
// proven before in the same block is not asked about again. A proof that fails is asked once
// more after looking at the tip again, since a reorganisation between the history and the
// proof looks the same as a lie.
func (b *Backend) proveHistories(ctx context.Context, hists [][]chain.HistoryItem) error {
	s := b.spv
	if s == nil {
		return nil
	}
	want := map[chainhash.Hash]int32{}
	low, high := int32(math.MaxInt32), int32(0)
	for _, h := range hists {
		for _, it := range h {
			if it.Height > 0 {
				want[it.TxID] = it.Height
				low, high = min(low, it.Height), max(high, it.Height)
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// What the chain and the proofs hold is verified even when a later step fails.
	defer b.saveCache()
	if err := b.ensureChain(ctx, low, high); err != nil {
		return err
	}
	todo := b.unproven(want)
	if len(todo) == 0 {
		return nil
	}
	failed, err := b.checkProofs(ctx, todo)
	if err != nil || len(failed) == 0 {
		return err
	}
	tip, err := b.timedTip(ctx)
	if err != nil {
		return err
	}
	if err := b.ensureChain(ctx, low, max(high, tip.Height)); err != nil {
		return err
	}
	if failed, err = b.checkProofs(ctx, failed); err != nil {
		return err
	}
	if len(failed) > 0 {
		it := failed[0]
		return b.spvErr("blockchain.transaction.get_merkle", fmt.Errorf(
			"merkle proof for %s at height %d does not match the block header: the server claims a confirmation it cannot prove",
			it.TxID, it.Height))
	}
	return nil
}

// unproven lists the items not yet proven in the block now at their height, in a fixed order.
func (b *Backend) unproven(want map[chainhash.Hash]int32) []chain.HistoryItem {
	var out []chain.HistoryItem
	for id, h := range want {
		_, hash, _ := b.spv.at(h)
		if p, ok := b.spv.proven[id]; ok && p.height == h && p.block == hash {
			continue
		}
		out = append(out, chain.HistoryItem{TxID: id, Height: h})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Height != out[j].Height {
			return out[i].Height < out[j].Height
		}
		return out[i].TxID.String() < out[j].TxID.String()
	})
	return out
}

// checkProofs asks get_merkle for each item (batched), records the ones whose branch leads to
// the merkle root of the verified header at their height, and returns the ones whose branch
// does not. A malformed answer, or one for another height, is an error at once.
func (b *Backend) checkProofs(ctx context.Context, items []chain.HistoryItem) ([]chain.HistoryItem, error) {
	const op = "blockchain.transaction.get_merkle"
	calls := make([]*call, len(items))
	for i, it := range items {
		calls[i] = &call{method: op, params: []any{it.TxID.String(), it.Height}}
	}
	if err := b.timedExchange(ctx, op, calls, merkleBatch); err != nil {
		return nil, err
	}
	var failed []chain.HistoryItem
	for i, c := range calls {
		it := items[i]
		if c.err != nil {
			return nil, b.errs.Refused(op, fmt.Sprintf("%s at height %d: %v", it.TxID, it.Height, c.err))
		}
		p, err := parseMerkle(c.result)
		if err != nil {
			return nil, b.errs.Bad(op, "%s: %v", it.TxID, err)
		}
		if p.height != it.Height {
			return nil, b.spvErr(op, fmt.Errorf("asked to prove %s at height %d, the proof is for height %d",
				it.TxID, it.Height, p.height))
		}
		root, err := p.root(it.TxID)
		if err != nil {
			return nil, b.spvErr(op, fmt.Errorf("merkle proof for %s at height %d: %v", it.TxID, it.Height, err))
		}
		hdr, hash, ok := b.spv.at(it.Height)
		if !ok || root != hdr.MerkleRoot {
			failed = append(failed, it)
			continue
		}
		b.spv.proven[it.TxID] = provenAt{height: it.Height, block: hash, proof: p}
		b.spv.cache.proofsOld = true
	}
	return failed, nil
}

// verifiedHeaders answers BlockHeaders from the verified chain, brought to cover the heights
// up to the tip first.
func (b *Backend) verifiedHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	if len(heights) == 0 {
		return nil, nil
	}
	low, high := heights[0], heights[0]
	for _, h := range heights {
		low, high = min(low, h), max(high, h)
	}
	s := b.spv
	s.mu.Lock()
	defer s.mu.Unlock()
	defer b.saveCache()
	if err := b.ensureChain(ctx, low, high); err != nil {
		return nil, err
	}
	out := make([]*wire.BlockHeader, len(heights))
	for i, h := range heights {
		hdr, _, ok := s.at(h)
		if !ok {
			return nil, fmt.Errorf("%s: the verified chain lacks height %d: %w", b.name, h, chain.ErrUnreachable)
		}
		c := *hdr
		out[i] = &c
	}
	return out, nil
}

// tooShortToTell refuses a transaction of 64 bytes without its witness: it hashes like an
// inner node of a merkle tree, so a proof cannot tell it from one.
func (b *Backend) tooShortToTell(tx *wire.MsgTx) error {
	if b.spv == nil || tx.SerializeSizeStripped() != 2*chainhash.HashSize {
		return nil
	}
	return b.spvErr("blockchain.transaction.get", fmt.Errorf(
		"transaction %s is 64 bytes long, which a merkle proof cannot tell from two hashes", tx.TxHash()))
}
