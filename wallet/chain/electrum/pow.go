package electrum

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// headerAt looks a header and its hash up by height, in whatever headers are at hand.
type headerAt func(height int32) (*wire.BlockHeader, chainhash.Hash, bool)

// rules are the header checks of one network: proof of work, the network's limit, its
// checkpoints and, where the network has them without exceptions, the difficulty rules.
type rules struct {
	params   *chaincfg.Params
	interval int32 // blocks per difficulty period (2016)
	// checkpoints maps heights to the block hash the network's parameters fix there, the
	// genesis block included.
	checkpoints map[int32]chainhash.Hash
	// floorHeights are the checkpoint heights above 0, ascending: each sets a difficulty floor
	// for the headers above it (see floor).
	floorHeights []int32
	// cpBits holds the bits of checkpoint headers already seen (their hash matched).
	cpBits map[int32]uint32
	// anchor, when set, is the block every verified chain must lead through (see Anchor); it
	// is also one of the checkpoints.
	anchor *Anchor
}

func newRules(p *chaincfg.Params) *rules {
	r := &rules{params: p, interval: 2016, checkpoints: map[int32]chainhash.Hash{}, cpBits: map[int32]uint32{}}
	if p.TargetTimePerBlock > 0 && p.TargetTimespan >= p.TargetTimePerBlock {
		r.interval = int32(p.TargetTimespan / p.TargetTimePerBlock)
	}
	if p.GenesisHash != nil {
		r.checkpoints[0] = *p.GenesisHash
	}
	for _, cp := range p.Checkpoints {
		if cp.Hash == nil || cp.Height <= 0 {
			continue
		}
		r.checkpoints[cp.Height] = *cp.Hash
		r.floorHeights = append(r.floorHeights, cp.Height)
	}
	if a, ok := AnchorFor(p); ok {
		r.setAnchor(a)
	}
	sort.Slice(r.floorHeights, func(i, j int) bool { return r.floorHeights[i] < r.floorHeights[j] })
	return r
}

// setAnchor makes a the block every verified chain must lead through, and a checkpoint.
func (r *rules) setAnchor(a Anchor) {
	r.anchor = &a
	if _, ok := r.checkpoints[a.Height]; !ok {
		r.floorHeights = append(r.floorHeights, a.Height)
		sort.Slice(r.floorHeights, func(i, j int) bool { return r.floorHeights[i] < r.floorHeights[j] })
	}
	r.checkpoints[a.Height] = a.Hash
}

// retargets says whether the network follows the difficulty rules without the testnets'
// minimum-difficulty exception, so that bits can be checked from header to header.
func (r *rules) retargets() bool {
	return !r.params.ReduceMinDifficulty && !r.params.PoWNoRetargeting
}

// floorCheckpoint is the highest checkpoint below height whose difficulty bounds the header
// there, or 0 when none does (the network has no checkpoints, or allows minimum-difficulty
// blocks).
func (r *rules) floorCheckpoint(height int32) int32 {
	if !r.retargets() {
		return 0
	}
	i := sort.Search(len(r.floorHeights), func(i int) bool { return r.floorHeights[i] >= height })
	if i == 0 {
		return 0
	}
	return r.floorHeights[i-1]
}

// checkAlone runs the checks one header needs nothing else for: checkTipAlone's, and the
// difficulty floor of the checkpoint below it (whose bits must be loaded).
func (r *rules) checkAlone(height int32, h *wire.BlockHeader, hash chainhash.Hash) error {
	pinned, err := r.checkPoW(height, h, hash)
	if err != nil {
		return err
	}
	if pinned {
		r.cpBits[height] = h.Bits
		return nil
	}
	if cp := r.floorCheckpoint(height); cp > 0 {
		bits, ok := r.cpBits[cp]
		if !ok {
			return fmt.Errorf("the checkpoint header at height %d was not loaded", cp)
		}
		floor := new(big.Int).Mul(blockchain.CompactToBig(bits), big.NewInt(r.factor()))
		if blockchain.CompactToBig(h.Bits).Cmp(floor) > 0 {
			return fmt.Errorf("the header at height %d has a difficulty under 1/%d of the checkpoint's at height %d (bits %08x, checkpoint %08x)",
				height, r.factor(), cp, h.Bits, bits)
		}
	}
	return nil
}

// checkTipAlone checks a tip header as soon as it is announced: checkPoW's checks. Unlike
// checkAlone it changes nothing, so it needs no lock.
func (r *rules) checkTipAlone(height int32, h *wire.BlockHeader, hash chainhash.Hash) error {
	_, err := r.checkPoW(height, h, hash)
	return err
}

// checkPoW checks a usable target within the network's limit, a hash that meets it, the
// checkpoint at the header's height (pinned says there was one, and it matched) and the
// fixed bits of a network that never retargets.
func (r *rules) checkPoW(height int32, h *wire.BlockHeader, hash chainhash.Hash) (pinned bool, err error) {
	target := blockchain.CompactToBig(h.Bits)
	if target.Sign() <= 0 {
		return false, fmt.Errorf("the header at height %d has no usable target (bits %08x)", height, h.Bits)
	}
	if r.params.PowLimit != nil && target.Cmp(r.params.PowLimit) > 0 {
		return false, fmt.Errorf("the header at height %d claims a target easier than %s allows (bits %08x)",
			height, r.params.Name, h.Bits)
	}
	if blockchain.HashToBig(&hash).Cmp(target) > 0 {
		return false, fmt.Errorf("the header at height %d (%s) does not meet its own proof-of-work target (bits %08x)",
			height, hash, h.Bits)
	}
	if cp, ok := r.checkpoints[height]; ok {
		if cp != hash {
			return false, fmt.Errorf("the header at height %d is %s, but %s's checkpoint there is %s",
				height, hash, r.params.Name, cp)
		}
		return true, nil
	}
	if r.params.PoWNoRetargeting && h.Bits != r.params.PowLimitBits {
		return false, fmt.Errorf("the header at height %d has bits %08x, but %s never changes them from %08x",
			height, h.Bits, r.params.Name, r.params.PowLimitBits)
	}
	return false, nil
}

func (r *rules) factor() int64 {
	if r.params.RetargetAdjustmentFactor > 1 {
		return r.params.RetargetAdjustmentFactor
	}
	return 4
}

// errNoLink marks a header that does not follow the one below it: a lie, or the server's
// chain changing between two requests.
type errNoLink struct{ height int32 }

func (e errNoLink) Error() string {
	return fmt.Sprintf("the header at height %d does not link to the one at height %d", e.height, e.height-1)
}

// checkLinked runs the checks that need the headers below: the link to the previous header and
// the difficulty rules. Within a period the bits stay the same; at a period's first block they
// must be exactly what the retarget gives when the previous period's first header is at hand,
// else at most RetargetAdjustmentFactor times easier than before.
func (r *rules) checkLinked(height int32, h *wire.BlockHeader, at headerAt) error {
	prev, prevHash, ok := at(height - 1)
	if !ok {
		return nil
	}
	if h.PrevBlock != prevHash {
		return errNoLink{height}
	}
	if !r.retargets() {
		return nil
	}
	if height%r.interval != 0 {
		if h.Bits != prev.Bits {
			return fmt.Errorf("the header at height %d changes the bits from %08x to %08x inside a difficulty period",
				height, prev.Bits, h.Bits)
		}
		return nil
	}
	if first, _, ok := at(height - r.interval); ok {
		want := r.retarget(first, prev)
		if h.Bits != want {
			return fmt.Errorf("the header at height %d has bits %08x, the difficulty retarget gives %08x",
				height, h.Bits, want)
		}
		return nil
	}
	limit := new(big.Int).Mul(blockchain.CompactToBig(prev.Bits), big.NewInt(r.factor()))
	if blockchain.CompactToBig(h.Bits).Cmp(limit) > 0 {
		return fmt.Errorf("the header at height %d lowers the difficulty more than a retarget can (bits %08x after %08x)",
			height, h.Bits, prev.Bits)
	}
	return nil
}

// retarget is the consensus difficulty adjustment: the last period's target scaled by how long
// the period took (first and last are its first and last headers), the time clamped to a
// factor of the intended span, the result capped at the network's limit.
func (r *rules) retarget(first, last *wire.BlockHeader) uint32 {
	span := int64(r.params.TargetTimespan.Seconds())
	took := last.Timestamp.Unix() - first.Timestamp.Unix()
	took = max(took, span/r.factor())
	took = min(took, span*r.factor())
	target := new(big.Int).Mul(blockchain.CompactToBig(last.Bits), big.NewInt(took))
	target.Div(target, big.NewInt(span))
	if r.params.PowLimit != nil && target.Cmp(r.params.PowLimit) > 0 {
		target.Set(r.params.PowLimit)
	}
	return blockchain.BigToCompact(target)
}
