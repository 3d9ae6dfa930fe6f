package electrum

import (
	"context"
	"errors"
	"sync"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// ErrBadProof marks an answer that fails the light-client checks: a header without its proof
// of work, headers that do not link, a merkle proof that does not lead to its block's merkle
// root. The server is lying or broken. It comes wrapped with chain.ErrUnreachable.
var ErrBadProof = errors.New("the server's answer fails the light-client checks")

// forkSteps is how far back the first look for a fork point goes when new headers do not link
// to the cached ones; each further look goes eight times as far.
const forkSteps = 8

// provenAt is where a transaction's merkle proof was checked: a height and that block's hash,
// so that a reorganisation invalidates it, and the proof itself, so that a copy read back from
// the cache is checked again rather than believed.
type provenAt struct {
	height int32
	block  chainhash.Hash
	proof  merkleProof
}

// spv is the light-client state of a Backend: a verified header chain from the lowest height
// the wallet needed up to the tip, and the transactions whose proofs were checked against it.
// Its mutex is held across the network calls that fill it, so checks take turns.
type spv struct {
	mu     sync.Mutex
	rules  *rules
	chain  span // verified headers; empty until first needed
	proven map[chainhash.Hash]provenAt
	cache  cacheState // what options.CacheDir holds

	tipMu   sync.Mutex
	tip     chain.Tip // the last tip the server announced
	haveTip bool
}

func newSPV(p *chaincfg.Params) *spv {
	return &spv{rules: newRules(p), proven: map[chainhash.Hash]provenAt{}}
}

// noteTip records the tip the server just announced.
func (s *spv) noteTip(t chain.Tip) {
	s.tipMu.Lock()
	s.tip, s.haveTip = t, true
	s.tipMu.Unlock()
}

func (s *spv) lastTip() (chain.Tip, bool) {
	s.tipMu.Lock()
	defer s.tipMu.Unlock()
	return s.tip, s.haveTip
}

// at looks a verified header up.
func (s *spv) at(h int32) (*wire.BlockHeader, chainhash.Hash, bool) {
	if len(s.chain.hdrs) == 0 || h < s.chain.from || h > s.chain.top() {
		return nil, chainhash.Hash{}, false
	}
	i := h - s.chain.from
	return &s.chain.hdrs[i], s.chain.hashes[i], true
}

// timedTip asks the tip within one call's time limit. The light-client checks run on the
// caller's context and bound each message by itself, since a first sync may fetch many.
func (b *Backend) timedTip(ctx context.Context) (chain.Tip, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	return b.tip(ctx)
}

// timedExchange is exchange with each message bounded by the call time limit.
func (b *Backend) timedExchange(ctx context.Context, op string, calls []*call, batch int) error {
	for start := 0; start < len(calls); start += batch {
		mctx, cancel := b.begin(ctx)
		err := b.exchange(mctx, op, calls[start:min(len(calls), start+batch)], batch)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// spvErr reports a failed light-client check.
func (b *Backend) spvErr(op string, err error) error {
	return &netutil.Error{Server: b.name, Op: op, Kind: netutil.KindBadAnswer, Detail: err.Error(), Err: ErrBadProof}
}

// ensureChain makes the verified header chain cover low up to the tip, where high (the
// highest height the caller needs) must lie. The tip is the last one announced, asked again
// when high is above it. An answer that may only mean the chain moved while it was being
// read is asked again once, against a fresh tip, before it counts as a failure. The caller
// holds s.mu.
func (b *Backend) ensureChain(ctx context.Context, low, high int32) error {
	s := b.spv
	b.loadCache(ctx)
	tip, ok := s.lastTip()
	if !ok || high > tip.Height {
		t, err := b.timedTip(ctx)
		if err != nil {
			return err
		}
		tip = t
	}
	if high > tip.Height {
		return b.errs.Bad("blockchain.headers.subscribe", "height %d is above the tip %d", high, tip.Height)
	}
	if a := s.rules.anchor; a != nil {
		// The verified chain always reaches down to the anchor, whose hash is a checkpoint:
		// headers that do not lead through it prove nothing.
		if tip.Height < a.Height {
			return b.spvErr("blockchain.headers.subscribe", errBelowAnchor(s.rules.params.Name, *a, tip.Height))
		}
		low = min(low, a.Height)
	}
	err := b.syncChain(ctx, low, tip)
	var moved errMoved
	if !errors.As(err, &moved) {
		return err
	}
	if tip, err = b.timedTip(ctx); err != nil {
		return err
	}
	err = b.syncChain(ctx, low, tip)
	if errors.As(err, &moved) {
		return moved.err
	}
	return err
}

// syncChain brings the verified chain to [min(low, its start), tip]: new headers are fetched
// and checked, a cached part that the server's chain no longer contains (a reorganisation) is
// dropped above the fork, and the chain must end at the tip's hash.
func (b *Backend) syncChain(ctx context.Context, low int32, tip chain.Tip) error {
	s := b.spv
	if low > tip.Height {
		return b.errs.Bad("blockchain.headers.subscribe", "height %d is above the tip %d", low, tip.Height)
	}
	if len(s.chain.hdrs) > 0 && s.chain.from > tip.Height {
		// A cached chain that starts above the server's tip (a regtest chain started over, a
		// damaged cache) has nothing to build on.
		s.chain = span{}
	}
	if len(s.chain.hdrs) > 0 && low < s.chain.from {
		if err := b.prependChain(ctx, low); err != nil {
			return err
		}
	}
	if len(s.chain.hdrs) == 0 {
		return b.rebuildChain(ctx, low, tip)
	}
	c := &s.chain
	if c.top() >= tip.Height {
		if _, hash, _ := s.at(tip.Height); hash == tip.Hash {
			b.cutChain(tip.Height)
			return nil
		}
	}
	from, step := min(c.top()+1, tip.Height), int32(forkSteps)
	for {
		if from <= c.from {
			return b.rebuildChain(ctx, c.from, tip)
		}
		seg, err := b.fetchHeaders(ctx, from, tip.Height)
		if err != nil {
			return err
		}
		if _, below, _ := s.at(from - 1); seg.hdrs[0].PrevBlock != below {
			from, step = max(c.from, from-step), min(step*forkSteps, 1<<24)
			continue
		}
		if err := b.checkSpan(ctx, seg); err != nil {
			return err
		}
		b.cutChain(from - 1)
		c.hdrs = append(c.hdrs, seg.hdrs...)
		c.hashes = append(c.hashes, seg.hashes...)
		return b.checkTop(tip)
	}
}

// rebuildChain replaces the chain with freshly fetched headers from low to the tip.
func (b *Backend) rebuildChain(ctx context.Context, low int32, tip chain.Tip) error {
	b.spv.chain = span{}
	seg, err := b.fetchHeaders(ctx, low, tip.Height)
	if err != nil {
		return err
	}
	if err := b.checkSpan(ctx, seg); err != nil {
		return err
	}
	b.spv.chain = seg
	return b.checkTop(tip)
}

// prependChain extends the chain down to low. When the fetched headers do not lead to the
// cached ones, the server's chain changed below them: the cache is dropped, to be rebuilt.
func (b *Backend) prependChain(ctx context.Context, low int32) error {
	s := b.spv
	seg, err := b.fetchHeaders(ctx, low, s.chain.from-1)
	if err != nil {
		return err
	}
	if s.chain.hdrs[0].PrevBlock != seg.hashes[len(seg.hashes)-1] {
		s.chain = span{}
		return nil
	}
	if err := b.checkSpan(ctx, seg); err != nil {
		return err
	}
	old := s.chain
	s.chain = span{from: low, hdrs: append(seg.hdrs, old.hdrs...), hashes: append(seg.hashes, old.hashes...)}
	// The headers that were at the bottom can now be checked against the ones below them.
	for h := old.from; h <= min(old.top(), old.from+s.rules.interval); h++ {
		hdr, _, _ := s.at(h)
		if err := s.rules.checkLinked(h, hdr, s.at); err != nil {
			s.chain = span{}
			return b.spvErr("blockchain.block.headers", err)
		}
	}
	return nil
}

// cutChain drops the headers above height.
func (b *Backend) cutChain(height int32) {
	c := &b.spv.chain
	if n := int(height - c.from + 1); n < len(c.hdrs) {
		c.hdrs, c.hashes = c.hdrs[:max(n, 0)], c.hashes[:max(n, 0)]
	}
}

// checkTop requires the chain to end at the announced tip.
func (b *Backend) checkTop(tip chain.Tip) error {
	if _, hash, ok := b.spv.at(tip.Height); !ok || hash != tip.Hash || b.spv.chain.top() != tip.Height {
		return errMoved{b.spvErr("blockchain.block.headers", errors.New(
			"the headers do not lead to the tip the server announced ("+tip.Hash.String()+")"))}
	}
	return nil
}

// checkSpan checks fetched headers, each alone and against the ones below it (in the span or,
// below its start, in the verified chain), after loading the checkpoint header whose
// difficulty bounds them.
func (b *Backend) checkSpan(ctx context.Context, seg span) error {
	s := b.spv
	if err := b.loadCheckpoint(ctx, s.rules.floorCheckpoint(seg.from)); err != nil {
		return err
	}
	at := func(h int32) (*wire.BlockHeader, chainhash.Hash, bool) {
		if h >= seg.from && h <= seg.top() {
			return &seg.hdrs[h-seg.from], seg.hashes[h-seg.from], true
		}
		if h < seg.from {
			return s.at(h)
		}
		return nil, chainhash.Hash{}, false
	}
	const op = "blockchain.block.headers"
	for i := range seg.hdrs {
		h := seg.from + int32(i)
		if err := s.rules.checkAlone(h, &seg.hdrs[i], seg.hashes[i]); err != nil {
			return b.spvErr(op, err)
		}
		err := s.rules.checkLinked(h, &seg.hdrs[i], at)
		var nl errNoLink
		if errors.As(err, &nl) {
			return errMoved{b.spvErr(op, err)}
		}
		if err != nil {
			return b.spvErr(op, err)
		}
	}
	return nil
}

// loadCheckpoint fetches the header at checkpoint height cp (0: none) unless its bits are
// known, and checks it is the checkpoint's block.
func (b *Backend) loadCheckpoint(ctx context.Context, cp int32) error {
	r := b.spv.rules
	if cp == 0 {
		return nil
	}
	if _, ok := r.cpBits[cp]; ok {
		return nil
	}
	const op = "blockchain.block.header"
	if hdr, hash, ok := b.spv.at(cp); ok {
		if err := r.checkAlone(cp, hdr, hash); err != nil {
			return b.spvErr(op, err)
		}
		return nil
	}
	c := &call{method: op, params: []any{cp}}
	if err := b.timedExchange(ctx, op, []*call{c}, 1); err != nil {
		return err
	}
	hdrs, err := b.headersFrom([]*call{c}, []int32{cp})
	if err != nil {
		return err
	}
	if err := r.checkAlone(cp, hdrs[0], hdrs[0].BlockHash()); err != nil {
		return b.spvErr(op, err)
	}
	return nil
}
