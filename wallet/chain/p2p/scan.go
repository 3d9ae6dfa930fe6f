package p2p

import (
	"context"
	"fmt"
	"sort"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// blockBatch is how many blocks one getdata asks for.
const blockBatch = 16

// maxFilterCache bounds the filters kept in memory for later calls of the same process (the
// wallet asks again for each gap extension). Beyond it, the filters of blocks that did not
// match are forgotten after use and fetched again if needed: a first sync from an old birthday
// on mainnet reads gigabytes of filters.
const maxFilterCache = 64 << 20

// maxBlockCache bounds the blocks kept in memory for later calls of the same process.
const maxBlockCache = 128 << 20

// keepBlock remembers a verified block, forgetting others when the cache is full: what the
// wallet needs from a block is in the scan state already.
func (b *Backend) keepBlock(blk *wire.MsgBlock) {
	size := blk.SerializeSize()
	for hash, old := range b.blocks {
		if b.blockBytes+size <= maxBlockCache {
			break
		}
		b.blockBytes -= old.SerializeSize()
		delete(b.blocks, hash)
	}
	b.blocks[blk.BlockHash()] = blk
	b.blockBytes += size
}

// ScriptHistories matches the scripts against the filters of every block since the scan start
// (only the blocks not matched for them before), downloads the blocks that match, and answers
// from the transactions found there and the wallet's own broadcasts not yet mined. No peer
// learns the scripts; a peer learns which blocks were downloaded.
func (b *Backend) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.sync(ctx); err != nil {
		return nil, err
	}
	tip := int32(len(b.fh)) - 1
	start := max(b.target.start, 1)
	b.scan.watch(scripts, start)

	need := map[scriptKey][]byte{}
	from := tip + 1
	for _, s := range scripts {
		k := keyOf(s)
		if h := b.scan.scanned[k]; h < tip {
			need[k] = s
			from = min(from, max(h+1, start))
		}
	}
	if len(need) > 0 && from <= tip {
		if err := b.scanRange(ctx, from, tip, need); err != nil {
			return nil, err
		}
	}
	for k := range need {
		b.scan.scanned[k] = tip
	}
	before := len(b.scan.pending)
	b.scan.prunePending()
	for id := range b.tookBy {
		if _, ok := b.scan.pending[id]; !ok {
			delete(b.tookBy, id)
		}
	}
	if b.refreshMempool(ctx) {
		b.forgetDropped()
	}
	if len(need) > 0 || len(b.scan.pending) != before {
		if err := b.scan.save(b.dataDir); err != nil {
			return nil, fmt.Errorf("%s: %w", b.name, err)
		}
	}
	return b.scan.histories(scripts, b.mempool), nil
}

// scanRange matches the scripts in need against the filters from..to and records the
// transactions of the matching blocks.
func (b *Backend) scanRange(ctx context.Context, from, to int32, need map[scriptKey][]byte) error {
	var matched []int32
	for lo := from; lo <= to; lo += wire.MaxGetCFiltersReqRange {
		hi := min(lo+wire.MaxGetCFiltersReqRange-1, to)
		if err := b.loadFilters(ctx, lo, hi); err != nil {
			return err
		}
		for h := lo; h <= hi; h++ {
			var active [][]byte
			for k, s := range need {
				if b.scan.scanned[k] < h {
					active = append(active, s)
				}
			}
			if len(active) == 0 {
				continue
			}
			f, err := parseFilter(b.filters[h])
			if err != nil {
				return b.unreachable("filter of block %d: %v", h, err)
			}
			hits, err := matchScripts(f, b.chain.hashes[h], active)
			if err != nil {
				return b.unreachable("filter of block %d: %v", h, err)
			}
			hit := false
			for _, x := range hits {
				hit = hit || x
			}
			if hit {
				matched = append(matched, h)
			} else if b.filterBytes > maxFilterCache {
				b.filterBytes -= len(b.filters[h])
				delete(b.filters, h)
			}
		}
	}
	for i := 0; i < len(matched); i += blockBatch {
		hs := matched[i:min(i+blockBatch, len(matched))]
		blocks, err := b.loadBlocks(ctx, hs)
		if err != nil {
			return err
		}
		for j, h := range hs {
			b.recordBlock(h, blocks[j], need)
		}
	}
	return nil
}

// recordBlock keeps the block's transactions that pay a script being scanned at its height or
// spend an output paying a watched script.
func (b *Backend) recordBlock(height int32, blk *wire.MsgBlock, need map[scriptKey][]byte) {
	hash := b.chain.hashes[height]
	for pos, tx := range blk.Transactions {
		rel := false
		for _, o := range tx.TxOut {
			if s, ok := need[keyOf(o.PkScript)]; ok && s != nil && b.scan.scanned[keyOf(o.PkScript)] < height {
				rel = true
				break
			}
		}
		if !rel {
			for _, in := range tx.TxIn {
				if _, ok := b.scan.outs[in.PreviousOutPoint]; ok {
					rel = true
					break
				}
			}
		}
		if rel {
			b.scan.addTx(&txRecord{tx: tx, height: height, block: hash, pos: pos})
		}
	}
}

// loadFilters makes sure the verified filters of heights lo..hi are at hand, fetching the
// missing ones from a peer and checking each against its filter header.
func (b *Backend) loadFilters(ctx context.Context, lo, hi int32) error {
	for lo <= hi {
		if _, ok := b.filters[lo]; ok {
			lo++
			continue
		}
		break
	}
	if lo > hi {
		return nil
	}
	hashes := b.chain.hashes[lo : hi+1]
	for try := 0; ; try++ {
		if len(b.conns) == 0 {
			return b.unreachable("no peer left to give filters")
		}
		c := b.conns[(int(lo)/wire.MaxGetCFiltersReqRange+try)%len(b.conns)]
		rctx, cancel := b.request(ctx)
		data, err := c.getCFilters(rctx, uint32(lo), hashes)
		cancel()
		if err == nil {
			err = b.checkFilters(lo, data)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			b.drop(c, err)
			continue
		}
		for i, d := range data {
			b.filters[lo+int32(i)] = d
			b.filterBytes += len(d)
		}
		b.fetchedFilters += len(data)
		return nil
	}
}

// checkFilters verifies filters from height lo against the verified filter headers.
func (b *Backend) checkFilters(lo int32, data [][]byte) error {
	for i, d := range data {
		h := lo + int32(i)
		var prev chainhash.Hash
		if h > 0 {
			prev = b.fh[h-1]
		}
		if filterHeaderOf(d, prev) != b.fh[h] {
			return fmt.Errorf("%w: the filter of block %d does not match the agreed filter header", errBadFilter, h)
		}
	}
	return nil
}

// loadBlocks downloads the blocks at heights, checks each against its header and its filter
// against it, and returns them in order.
func (b *Backend) loadBlocks(ctx context.Context, heights []int32) ([]*wire.MsgBlock, error) {
	out := make([]*wire.MsgBlock, len(heights))
	var ask []chainhash.Hash
	for i, h := range heights {
		if blk, ok := b.blocks[b.chain.hashes[h]]; ok {
			out[i] = blk
		} else {
			ask = append(ask, b.chain.hashes[h])
		}
	}
	for try := 0; len(ask) > 0; try++ {
		if len(b.conns) == 0 {
			return nil, b.unreachable("no peer left to give blocks")
		}
		c := b.conns[(int(heights[0])+try)%len(b.conns)]
		rctx, cancel := b.request(ctx)
		got, err := c.getBlocks(rctx, ask)
		cancel()
		if err == nil {
			for i, blk := range got {
				if err = checkBlock(blk, ask[i]); err != nil {
					break
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			b.drop(c, err)
			continue
		}
		fresh := map[chainhash.Hash]*wire.MsgBlock{}
		for i, blk := range got {
			fresh[ask[i]] = blk
			b.keepBlock(blk)
		}
		for i, h := range heights {
			if out[i] == nil {
				out[i] = fresh[b.chain.hashes[h]]
			}
		}
		b.fetchedBlocks += len(got)
		ask = nil
	}
	for i, h := range heights {
		blk := out[i]
		f, err := parseFilter(b.filters[h])
		if err == nil {
			err = checkFilterAgainstBlock(f, blk)
		}
		if err != nil {
			// Every peer agreed on a filter the block contradicts: nothing here can be trusted.
			return nil, b.unreachable("block %d: %v", h, err)
		}
		out[i] = blk
	}
	return out, nil
}

// unmined is the wallet's broadcasts and the relayed transactions not mined and not in
// conflict with a mined one.
func (s *scanState) unmined(relayed map[chainhash.Hash]*wire.MsgTx) map[chainhash.Hash]*wire.MsgTx {
	out := make(map[chainhash.Hash]*wire.MsgTx, len(s.pending)+len(relayed))
	for id, tx := range s.pending {
		out[id] = tx
	}
	if len(relayed) == 0 {
		return out
	}
	spent := map[wire.OutPoint]bool{}
	for _, r := range s.txs {
		for _, in := range r.tx.TxIn {
			spent[in.PreviousOutPoint] = true
		}
	}
next:
	for id, tx := range relayed {
		if _, mined := s.txs[id]; mined {
			continue
		}
		for _, in := range tx.TxIn {
			if spent[in.PreviousOutPoint] {
				continue next
			}
		}
		out[id] = tx
	}
	return out
}

// prunePending forgets broadcasts that were mined, or whose coins a mined transaction spent.
func (s *scanState) prunePending() {
	spent := map[wire.OutPoint]chainhash.Hash{}
	for id, r := range s.txs {
		for _, in := range r.tx.TxIn {
			spent[in.PreviousOutPoint] = id
		}
	}
	for id, tx := range s.pending {
		if _, mined := s.txs[id]; mined {
			delete(s.pending, id)
			continue
		}
		for _, in := range tx.TxIn {
			if by, ok := spent[in.PreviousOutPoint]; ok && by != id {
				delete(s.pending, id)
				break
			}
		}
	}
}

// histories lists, for each script, the recorded transactions that pay it or spend an output
// paying it, oldest first, with the unmined broadcasts and the transactions of a peer's
// mempool (relayed) last.
func (s *scanState) histories(scripts [][]byte, relayed map[chainhash.Hash]*wire.MsgTx) [][]chain.HistoryItem {
	type item struct {
		id     chainhash.Hash
		height int32
		pos    int
	}
	by := map[scriptKey][]item{}
	for _, sc := range scripts {
		by[keyOf(sc)] = nil
	}
	touch := func(k scriptKey, it item, seen map[scriptKey]bool) {
		if _, asked := by[k]; asked && !seen[k] {
			seen[k] = true
			by[k] = append(by[k], it)
		}
	}
	for id, r := range s.txs {
		it := item{id: id, height: r.height, pos: r.pos}
		seen := map[scriptKey]bool{}
		for _, o := range r.tx.TxOut {
			touch(keyOf(o.PkScript), it, seen)
		}
		for _, in := range r.tx.TxIn {
			if k, ok := s.outs[in.PreviousOutPoint]; ok {
				touch(k, it, seen)
			}
		}
	}
	unmined := s.unmined(relayed)
	pendingOuts := map[wire.OutPoint]scriptKey{}
	for id, tx := range unmined {
		for i, o := range tx.TxOut {
			pendingOuts[wire.OutPoint{Hash: id, Index: uint32(i)}] = keyOf(o.PkScript)
		}
	}
	for id, tx := range unmined {
		it := item{id: id}
		seen := map[scriptKey]bool{}
		for _, o := range tx.TxOut {
			touch(keyOf(o.PkScript), it, seen)
		}
		for _, in := range tx.TxIn {
			if k, ok := s.outs[in.PreviousOutPoint]; ok {
				touch(k, it, seen)
			} else if k, ok := pendingOuts[in.PreviousOutPoint]; ok {
				touch(k, it, seen)
			}
		}
	}
	out := make([][]chain.HistoryItem, len(scripts))
	for i, sc := range scripts {
		items := append([]item(nil), by[keyOf(sc)]...)
		sort.Slice(items, func(a, c int) bool {
			ha, hc := items[a].height, items[c].height
			if (ha == 0) != (hc == 0) {
				return hc == 0
			}
			if ha != hc {
				return ha < hc
			}
			if items[a].pos != items[c].pos {
				return items[a].pos < items[c].pos
			}
			return string(items[a].id[:]) < string(items[c].id[:])
		})
		out[i] = make([]chain.HistoryItem, len(items))
		for j, it := range items {
			out[i][j] = chain.HistoryItem{TxID: it.id, Height: it.height}
		}
	}
	return out
}
