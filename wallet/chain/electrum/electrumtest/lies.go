package electrumtest

import (
	"context"
	"math/big"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// Lie is a way the server deceives its clients, so tests can check that they notice (or, for
// LieHide, that nothing can). Each lie is about a height; what that means depends on the kind.
type Lie string

// The lies the server can tell.
const (
	// LieConfirmMempool lists every mempool transaction in histories as confirmed in the tip
	// block, and answers get_merkle for it with the branch of that block's first transaction.
	// The height is not used.
	LieConfirmMempool Lie = "confirm-mempool"
	// LieBadBranch answers get_merkle for transactions at the height (0: any) with one hash of
	// the branch changed.
	LieBadBranch Lie = "bad-branch"
	// LieWrongPos answers get_merkle for transactions at the height (0: any) with a pos too
	// large for the branch.
	LieWrongPos Lie = "wrong-pos"
	// LieBadPoW serves, at the height, a header whose hash misses its target; the headers above
	// are linked and mined on top of it, so that is the only fault.
	LieBadPoW Lie = "bad-pow"
	// LieBrokenLink serves, at the height, a header naming a made-up previous block (mined to
	// meet its target); the headers above link to it.
	LieBrokenLink Lie = "broken-link"
	// LieEasyBits serves, at the height, a header claiming twice its real target, which on
	// regtest (where blocks sit at the limit) is easier than the network allows, and meeting it.
	LieEasyBits Lie = "easy-bits"
	// LieFork serves, from the height up, a chain of its own: headers that link to the real
	// one below the height and to each other and meet their targets, but are other blocks
	// (another merkle root). On regtest such a chain costs nothing to make, as a low-work chain
	// from an old height costs little on the testnets: only a checkpoint above the fork point
	// (an Anchor) tells it from the real one.
	LieFork Lie = "fork"
	// LieHide leaves out of histories the transactions confirmed at the height (0: every
	// confirmed one). No client can tell.
	LieHide Lie = "hide"
)

type lie struct {
	kind   Lie
	height int32
}

// WithLie makes the server lie in this way from the start (see Server.Lie).
func WithLie(kind Lie, height int32) Option {
	return func(c *startConfig) { c.lies = append(c.lies, lie{kind, height}) }
}

// Lie makes the server lie in this way from now on, besides any lies it already tells. Header
// lies need a height of 1 or more (the client checks block 0 when it connects); 0 means 1.
func (s *Server) Lie(kind Lie, height int32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lies = append(s.lies, lie{kind, height})
}

// Honest stops every lie.
func (s *Server) Honest() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lies = nil
}

// lying says whether the server tells a lie of this kind about height (a lie about height 0
// is about every height).
func (s *Server) lying(kind Lie, height int32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.lies {
		if l.kind == kind && (l.height == 0 || l.height == height || kind == LieConfirmMempool) {
			return true
		}
	}
	return false
}

// headerLie is the lowest header lie told, if any.
func (s *Server) headerLie() (lie, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out lie
	found := false
	for _, l := range s.lies {
		switch l.kind {
		case LieBadPoW, LieBrokenLink, LieEasyBits, LieFork:
			l.height = max(l.height, 1)
			if !found || l.height < out.height {
				out, found = l, true
			}
		}
	}
	return out, found
}

// lieInHistories applies LieConfirmMempool and LieHide to the backend's histories.
func (s *Server) lieInHistories(ctx context.Context, hists [][]chain.HistoryItem) ([][]chain.HistoryItem, error) {
	confirm := s.lying(LieConfirmMempool, 0)
	var tip chain.Tip
	if confirm {
		var err error
		if tip, err = s.be.Tip(ctx); err != nil {
			return nil, err
		}
	}
	out := make([][]chain.HistoryItem, len(hists))
	for i, h := range hists {
		for _, it := range h {
			if it.Height > 0 && s.lying(LieHide, it.Height) {
				continue
			}
			if it.Height <= 0 && confirm {
				it.Height = tip.Height
			}
			out[i] = append(out[i], it)
		}
	}
	return out, nil
}

// headersAt is the backend's headers at heights, forged from the lowest header lie up.
func (s *Server) headersAt(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	hdrs, err := s.be.BlockHeaders(ctx, heights)
	if err != nil {
		return nil, err
	}
	l, ok := s.headerLie()
	if !ok {
		return hdrs, nil
	}
	top := int32(-1)
	for _, h := range heights {
		top = max(top, h)
	}
	if top < l.height {
		return hdrs, nil
	}
	forged, err := s.forge(ctx, l, top)
	if err != nil {
		return nil, err
	}
	for i, h := range heights {
		if f, ok := forged[h]; ok {
			c := *f
			hdrs[i] = &c
		}
	}
	return hdrs, nil
}

// forge rewrites the chain from the lie's height to top: the lie at its height, and every
// header above linked to the forged one below it and mined to meet its target.
func (s *Server) forge(ctx context.Context, l lie, top int32) (map[int32]*wire.BlockHeader, error) {
	heights := make([]int32, 0, top-l.height+2)
	for h := l.height - 1; h <= top; h++ {
		heights = append(heights, h)
	}
	real, err := s.be.BlockHeaders(ctx, heights)
	if err != nil {
		return nil, err
	}
	out := map[int32]*wire.BlockHeader{}
	prev := real[0].BlockHash()
	for i, r := range real[1:] {
		h := l.height + int32(i)
		hd := *r
		hd.PrevBlock = prev
		switch {
		case h == l.height && l.kind == LieBrokenLink:
			hd.PrevBlock = chainhash.DoubleHashH([]byte("electrumtest: no such block"))
		case h == l.height && l.kind == LieFork:
			hd.MerkleRoot = chainhash.DoubleHashH([]byte("electrumtest: a chain of its own"))
		case h == l.height && l.kind == LieEasyBits:
			hd.Bits = blockchain.BigToCompact(new(big.Int).Lsh(blockchain.CompactToBig(hd.Bits), 1))
		}
		miss := h == l.height && l.kind == LieBadPoW
		for meetsTarget(&hd) == miss {
			hd.Nonce++
		}
		out[h] = &hd
		prev = hd.BlockHash()
	}
	return out, nil
}

// meetsTarget says whether a header's hash is within the target its bits give.
func meetsTarget(h *wire.BlockHeader) bool {
	hash := h.BlockHash()
	return blockchain.HashToBig(&hash).Cmp(blockchain.CompactToBig(h.Bits)) <= 0
}
