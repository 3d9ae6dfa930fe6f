package p2p

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// load reads the headers, filter headers and scan state the wallet folder keeps. A file that
// does not read or whose chain does not check is ignored: it is rebuilt from the network.
func (b *Backend) load() error {
	b.chain = newHeaderChain(b.params)
	b.fh = nil
	if data, err := readFile(b.dataDir, headersFile); err != nil {
		return fmt.Errorf("%s: read %s: %w", b.name, headersFile, err)
	} else if hs, err := decodeHeaders(data); err == nil && len(hs) > 0 && hs[0].BlockHash() == *b.params.GenesisHash {
		br := &branch{base: b.chain, fork: 0}
		for _, h := range hs[1:] {
			// Our own file: checked again for linkage and work, but against the clock of now.
			if br.add(h, b.now()) != nil {
				break
			}
		}
		br.adopt()
	}
	if data, err := readFile(b.dataDir, filterHeadersFile); err != nil {
		return fmt.Errorf("%s: read %s: %w", b.name, filterHeadersFile, err)
	} else if fh, tip, err := decodeFilterHeaders(data); err == nil && len(fh) > 0 && len(fh) <= len(b.chain.headers) && b.chain.hashes[len(fh)-1] == tip {
		// Filter headers of another chain (the headers file was rewritten after a reorg and
		// the run stopped before this one was) are not kept: they are fetched again.
		b.fh = fh
	}
	st, err := loadScan(b.dataDir)
	if err != nil {
		return fmt.Errorf("%s: %w", b.name, err)
	}
	b.scan = st
	// What was scanned above the verified filter headers, or in blocks no longer in the chain,
	// is scanned again.
	top := int32(len(b.fh)) - 1
	for _, r := range st.txs {
		if r.height > top || b.chain.hashes[r.height] != r.block {
			top = min(top, r.height-1)
		}
	}
	b.scan.rollback(top)
	return nil
}

// save writes the headers and filter headers to the wallet folder.
func (b *Backend) save() error {
	if err := writeFile(b.dataDir, headersFile, encodeHeaders(b.chain.headers)); err != nil {
		return fmt.Errorf("%s: %w", b.name, err)
	}
	var tip chainhash.Hash
	if len(b.fh) > 0 {
		tip = b.chain.hashes[len(b.fh)-1]
	}
	if err := writeFile(b.dataDir, filterHeadersFile, encodeFilterHeaders(b.fh, tip)); err != nil {
		return fmt.Errorf("%s: %w", b.name, err)
	}
	return nil
}

// sync catches up with the peers: headers, then filter headers. Callers hold mu.
func (b *Backend) sync(ctx context.Context) error {
	if err := b.begin(ctx); err != nil {
		return err
	}
	oldTip, oldFH := b.chain.tip(), len(b.fh)
	fork := b.chain.tip()
	for _, c := range append([]*conn(nil), b.conns...) {
		f, err := b.syncHeaders(ctx, c)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			b.drop(c, err)
			continue
		}
		fork = min(fork, f)
	}
	if len(b.conns) == 0 {
		return b.unreachable("no peer gave headers")
	}
	if fork == oldTip && oldTip > 0 {
		fork = min(fork, b.followPeersBack())
	}
	if fork < oldTip {
		// A reorg: what was verified or scanned above the fork is done again.
		b.fh = b.fh[:min(len(b.fh), int(fork)+1)]
		b.scan.rollback(fork)
		for h, d := range b.filters {
			if h > fork {
				b.filterBytes -= len(d)
				delete(b.filters, h)
			}
		}
		if err := b.scan.save(b.dataDir); err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
	}
	if err := b.syncFilterHeaders(ctx); err != nil {
		return err
	}
	if len(b.fh) == 0 {
		return b.unreachable("no peer gave filter headers")
	}
	if b.chain.tip() != oldTip || len(b.fh) != oldFH || fork < oldTip {
		return b.save()
	}
	return nil
}

// syncHeaders asks c for the headers past ours and adopts its chain when it has more work. It
// returns the height below which the best chain is unchanged. An error means c lied or failed.
func (b *Backend) syncHeaders(ctx context.Context, c *conn) (int32, error) {
	br := &branch{base: b.chain, fork: b.chain.tip()}
	for {
		rctx, cancel := b.request(ctx)
		hs, err := c.getHeaders(rctx, br.locator())
		cancel()
		if err != nil {
			return 0, err
		}
		if len(hs) == 0 {
			break
		}
		if hs[0].PrevBlock != br.hash(br.tip()) {
			// The peer forks off somewhere below: start the branch there.
			h, ok := b.chain.index[hs[0].PrevBlock]
			if !ok || len(br.headers) > 0 {
				return 0, fmt.Errorf("%w: headers that connect to no block we know (%s)", errBadHeader, hs[0].PrevBlock)
			}
			br.fork = h
		}
		for _, h := range hs {
			if err := br.add(h, b.now()); err != nil {
				return 0, err
			}
		}
		if len(hs) < wire.MaxBlockHeadersPerMsg {
			break
		}
	}
	c.tip, c.lacksTip = br.hash(br.tip()), false
	if len(br.headers) > 0 {
		c.p.UpdateLastBlockHeight(br.tip())
	} else if tip := b.chain.tip(); c.p.LastBlock() < tip {
		// It gave nothing new but announced a lower height: has it our tip at all?
		has, at, err := b.peerHasTip(ctx, c)
		if err != nil {
			return 0, err
		}
		if has {
			c.p.UpdateLastBlockHeight(tip)
		} else {
			c.tip, c.lacksTip, c.forkAt = b.chain.hashes[at], true, at
		}
	}
	if len(br.headers) > 0 && br.better() {
		br.adopt()
		return br.fork, nil
	}
	return b.chain.tip(), nil
}

// cfAnswer is one peer's filter hashes for a range, chained into headers.
type cfAnswer struct {
	c       *conn
	headers []chainhash.Hash
	err     error
}

// syncFilterHeaders extends the verified filter headers to the header tip, asking every peer
// on the best chain and comparing; a disagreement is settled by the block itself.
func (b *Backend) syncFilterHeaders(ctx context.Context) error {
	if int(b.chain.tip())-len(b.fh) >= wire.CFCheckptInterval && len(b.conns) > 1 {
		if err := b.fetchCheckpoints(ctx); err != nil {
			return err
		}
	}
	for len(b.fh) <= int(b.chain.tip()) {
		start := int32(len(b.fh))
		// Batches end on checkpoint heights (multiples of 1000), so checkpoints can vouch for them.
		end := (start + wire.MaxCFHeadersPerMsg - 1) / wire.CFCheckptInterval * wire.CFCheckptInterval
		if end < start {
			end = start + wire.MaxCFHeadersPerMsg - 1
		}
		stop := min(end, b.chain.tip())
		var ask []*conn
		for _, c := range b.conns {
			if h, ok := b.chain.index[c.tip]; ok && h >= stop && b.chain.hashes[h] == c.tip {
				ask = append(ask, c)
			}
		}
		if len(ask) == 0 {
			return nil // no peer has these blocks yet: the tip stays where filters are checked
		}
		var prev chainhash.Hash
		if start > 0 {
			prev = b.fh[start-1]
		}
		if len(ask) > 1 && agreedCheckpoints(ask, start, stop) {
			// Every peer vouched for these headers through its checkpoints: one peer's
			// answer, chained and checked against them, is enough.
			c := ask[int(start/wire.CFCheckptInterval)%len(ask)]
			hs, err := b.cfHeadersFrom(ctx, c, start, stop, prev)
			if err == nil && !matchesCheckpoints(c, start, hs) {
				err = fmt.Errorf("%w: filter headers from height %d do not lead to the checkpoints every peer agrees on", errBadFilter, start)
			}
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				b.drop(c, err)
				continue
			}
			b.fh = append(b.fh, hs...)
			continue
		}
		answers := make([]cfAnswer, len(ask))
		var wg sync.WaitGroup
		for i, c := range ask {
			wg.Add(1)
			go func(i int, c *conn) {
				defer wg.Done()
				answers[i] = cfAnswer{c: c}
				rctx, cancel := b.request(ctx)
				defer cancel()
				answers[i].headers, answers[i].err = b.cfHeadersFrom(rctx, c, start, stop, prev)
			}(i, c)
		}
		wg.Wait()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var good []cfAnswer
		for _, a := range answers {
			if a.err != nil {
				b.drop(a.c, a.err)
			} else {
				good = append(good, a)
			}
		}
		if len(good) == 0 {
			return b.unreachable("no peer gave filter headers from height %d", start)
		}
		groups := groupAnswers(good)
		if len(groups) == 1 {
			b.fh = append(b.fh, good[0].headers...)
			continue
		}
		if err := b.settle(ctx, start, prev, groups); err != nil {
			return err
		}
	}
	return nil
}

// cfHeadersFrom asks c for the filter hashes from start to stop and chains them after prev.
func (b *Backend) cfHeadersFrom(ctx context.Context, c *conn, start, stop int32, prev chainhash.Hash) ([]chainhash.Hash, error) {
	rctx, cancel := b.request(ctx)
	defer cancel()
	b.cfRequests.Add(1)
	m, err := c.getCFHeaders(rctx, uint32(start), b.chain.hashes[stop])
	switch {
	case err != nil:
		return nil, err
	case m.PrevFilterHeader != prev:
		return nil, fmt.Errorf("%w: filter header before height %d is %s, the others agree on %s", errBadFilter, start, m.PrevFilterHeader, prev)
	case len(m.FilterHashes) != int(stop-start+1):
		return nil, fmt.Errorf("%w: %d filter hashes for %d blocks", errBadFilter, len(m.FilterHashes), stop-start+1)
	}
	return filterHeaders(prev, m.FilterHashes), nil
}

// fetchCheckpoints asks every peer for its filter headers at every 1000th height (one small
// message), so that long stretches where all agree are downloaded from one peer only.
func (b *Backend) fetchCheckpoints(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, len(b.conns))
	conns := append([]*conn(nil), b.conns...)
	for i, c := range conns {
		h, ok := b.chain.index[c.tip]
		if !ok || b.chain.hashes[h] != c.tip {
			continue
		}
		wg.Add(1)
		go func(i int, c *conn, stop chainhash.Hash) {
			defer wg.Done()
			rctx, cancel := b.request(ctx)
			defer cancel()
			c.checkpoints, errs[i] = c.getCFCheckpt(rctx, stop)
		}(i, c, c.tip)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for i, err := range errs {
		if err != nil {
			b.drop(conns[i], err)
		}
	}
	return nil
}

// agreedCheckpoints says whether every peer of ask sent the same checkpoints for start..stop
// and one of them is at stop.
func agreedCheckpoints(ask []*conn, start, stop int32) bool {
	if stop%wire.CFCheckptInterval != 0 || stop == 0 {
		return false
	}
	for h := (start + wire.CFCheckptInterval - 1) / wire.CFCheckptInterval * wire.CFCheckptInterval; h <= stop; h += wire.CFCheckptInterval {
		if h == 0 {
			continue
		}
		i := int(h/wire.CFCheckptInterval) - 1
		for _, c := range ask {
			if len(c.checkpoints) <= i || c.checkpoints[i] != ask[0].checkpoints[i] {
				return false
			}
		}
	}
	return true
}

// matchesCheckpoints says whether headers from start agree with c's checkpoints at every
// 1000th height among them.
func matchesCheckpoints(c *conn, start int32, hs []chainhash.Hash) bool {
	for i := range hs {
		h := start + int32(i)
		if h == 0 || h%wire.CFCheckptInterval != 0 {
			continue
		}
		k := int(h/wire.CFCheckptInterval) - 1
		if k >= len(c.checkpoints) || c.checkpoints[k] != hs[i] {
			return false
		}
	}
	return true
}

// groupAnswers puts together the peers that gave the same filter headers, largest group first.
func groupAnswers(as []cfAnswer) [][]cfAnswer {
	by := map[chainhash.Hash][]cfAnswer{}
	var order []chainhash.Hash
	for _, a := range as {
		last := a.headers[len(a.headers)-1] // chained: equal last headers mean equal all
		if _, ok := by[last]; !ok {
			order = append(order, last)
		}
		by[last] = append(by[last], a)
	}
	out := make([][]cfAnswer, len(order))
	for i, k := range order {
		out[i] = by[k]
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// errUndecided means peers disagree on a filter and the block cannot tell who is right.
var errUndecided = errors.New("peers disagree on a block filter and neither is provably wrong")

// settle decides between peers that gave different filter headers: at the first height where
// they differ it downloads the block and each group's filter, and drops every peer whose
// filter does not match its own headers or leaves out a script the block shows. When the block
// cannot decide, the larger group stays.
func (b *Backend) settle(ctx context.Context, start int32, prev chainhash.Hash, groups [][]cfAnswer) error {
	first := len(groups[0][0].headers)
	for _, g := range groups[1:] {
		for i := range g[0].headers {
			if i < first && g[0].headers[i] != groups[0][0].headers[i] {
				first = i
				break
			}
		}
	}
	height := start + int32(first)
	hash := b.chain.hashes[height]
	before := prev
	if first > 0 {
		before = groups[0][0].headers[first-1]
	}
	block, err := b.fetchBlock(ctx, groups[0][0].c, hash)
	if err != nil {
		// Try the block from any peer: it checks against the header whoever sends it.
		for _, g := range groups[1:] {
			if block, err = b.fetchBlock(ctx, g[0].c, hash); err == nil {
				break
			}
		}
		if err != nil {
			return b.unreachable("block %s, needed to check disagreeing filters: %v", hash, err)
		}
	}
	var survivors [][]cfAnswer
	for _, g := range groups {
		verdict := b.judgeFilter(ctx, g[0], height, hash, before, first, block)
		if verdict != nil {
			for _, a := range g {
				b.drop(a.c, verdict)
			}
			continue
		}
		survivors = append(survivors, g)
	}
	if len(survivors) > 1 {
		if len(survivors[0]) == len(survivors[1]) {
			return b.unreachable("%v (block %d, %s)", errUndecided, height, hash)
		}
		for _, g := range survivors[1:] {
			for _, a := range g {
				b.drop(a.c, fmt.Errorf("%w: filter headers at height %d differ from most peers'", errBadFilter, height))
			}
		}
	}
	if len(survivors) == 0 {
		return b.unreachable("every peer served a wrong filter for block %d", height)
	}
	return nil
}

// judgeFilter asks a's peer for the filter it committed to at height and checks it against its
// filter header and the block. nil means the filter is consistent with the block.
func (b *Backend) judgeFilter(ctx context.Context, a cfAnswer, height int32, hash, before chainhash.Hash, idx int, block *wire.MsgBlock) error {
	rctx, cancel := b.request(ctx)
	defer cancel()
	data, err := a.c.getCFilters(rctx, uint32(height), []chainhash.Hash{hash})
	if err != nil {
		return fmt.Errorf("%w: no filter for block %d: %v", errBadFilter, height, err)
	}
	if filterHeaderOf(data[0], before) != a.headers[idx] {
		return fmt.Errorf("%w: the filter of block %d does not match the peer's own filter header", errBadFilter, height)
	}
	f, err := parseFilter(data[0])
	if err != nil {
		return err
	}
	if err := checkFilterAgainstBlock(f, block); err != nil {
		return err
	}
	return nil
}

// fetchBlock downloads one block from c and checks it against its header.
func (b *Backend) fetchBlock(ctx context.Context, c *conn, hash chainhash.Hash) (*wire.MsgBlock, error) {
	if blk, ok := b.blocks[hash]; ok {
		return blk, nil
	}
	rctx, cancel := b.request(ctx)
	defer cancel()
	got, err := c.getBlocks(rctx, []chainhash.Hash{hash})
	if err != nil {
		return nil, err
	}
	if err := checkBlock(got[0], hash); err != nil {
		return nil, err
	}
	b.keepBlock(got[0])
	b.fetchedBlocks++
	return got[0], nil
}

// followPeersBack handles a tip no peer has any more. A light client keeps the chain with the
// most work, so a block its peers' node took back (btcd's or Core's invalidateblock) would stay
// forever: when every peer says it lacks our tip, the backend follows them back down to the
// highest of their tips. (A peer merely behind looks the same; it is followed back too, and
// forward again once it catches up: a confirmation shown late, never one invented.) It returns
// the height below which the chain is unchanged.
func (b *Backend) followPeersBack() int32 {
	tip := b.chain.tip()
	fork := int32(-1)
	for _, c := range b.conns {
		if !c.lacksTip {
			return tip
		}
		fork = max(fork, c.forkAt)
	}
	if fork < 0 || fork >= tip {
		return tip
	}
	b.chain.truncate(fork)
	return fork
}

// peerHasTip asks c for the headers after our tip alone. A peer whose best chain holds our tip
// answers from there; one whose chain lacks it answers from the genesis block, and its last
// header (or, past one message, the height it announced) says where its chain ends.
func (b *Backend) peerHasTip(ctx context.Context, c *conn) (bool, int32, error) {
	tip := b.chain.tip()
	tipHash := b.chain.hashes[tip]
	rctx, cancel := b.request(ctx)
	hs, err := c.getHeaders(rctx, []*chainhash.Hash{&tipHash})
	cancel()
	if err != nil {
		return false, 0, err
	}
	if len(hs) == 0 || hs[0].PrevBlock == tipHash {
		return true, tip, nil
	}
	fork := min(max(c.p.LastBlock(), 0), tip-1)
	if len(hs) < wire.MaxBlockHeadersPerMsg {
		last := hs[len(hs)-1].BlockHash()
		if at, ok := b.chain.index[last]; ok && at < tip {
			fork = at
		}
	}
	return false, fork, nil
}
