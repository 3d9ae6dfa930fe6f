package p2p

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// medianBlocks is how many previous blocks the median time past is taken over.
const medianBlocks = 11

// maxFutureDrift is how far ahead of this machine's clock a header's time may be.
const maxFutureDrift = 2 * time.Hour

// errBadHeader marks a header that breaks a consensus rule: the peer that sent it lies.
var errBadHeader = errors.New("invalid block header")

// headerChain is the best header chain known, from the genesis block. Index is height.
type headerChain struct {
	params  *chaincfg.Params
	headers []wire.BlockHeader
	hashes  []chainhash.Hash
	index   map[chainhash.Hash]int32
}

func newHeaderChain(params *chaincfg.Params) *headerChain {
	c := &headerChain{params: params, index: map[chainhash.Hash]int32{}}
	c.push(params.GenesisBlock.Header)
	return c
}

func (c *headerChain) push(h wire.BlockHeader) {
	hash := h.BlockHash()
	c.index[hash] = int32(len(c.headers))
	c.headers = append(c.headers, h)
	c.hashes = append(c.hashes, hash)
}

// truncate keeps heights 0..height.
func (c *headerChain) truncate(height int32) {
	for _, h := range c.hashes[height+1:] {
		delete(c.index, h)
	}
	c.headers = c.headers[:height+1]
	c.hashes = c.hashes[:height+1]
}

// tip is the height of the last header.
func (c *headerChain) tip() int32 { return int32(len(c.headers)) - 1 }

// branch is a candidate chain: the best chain up to fork, then the headers of a peer.
type branch struct {
	base    *headerChain
	fork    int32
	headers []wire.BlockHeader
	hashes  []chainhash.Hash
	// The last answer of lastRealBits (testnet), at realHeight.
	realKnown  bool
	realHeight int32
	realBits   uint32
}

func (b *branch) tip() int32 { return b.fork + int32(len(b.headers)) }

func (b *branch) header(h int32) *wire.BlockHeader {
	if h <= b.fork {
		return &b.base.headers[h]
	}
	return &b.headers[h-b.fork-1]
}

func (b *branch) hash(h int32) chainhash.Hash {
	if h <= b.fork {
		return b.base.hashes[h]
	}
	return b.hashes[h-b.fork-1]
}

// locator lists hashes from the tip back, densely and then exponentially, as getheaders wants.
func (b *branch) locator() []*chainhash.Hash {
	var out []*chainhash.Hash
	step := int32(1)
	for h := b.tip(); h >= 0; h -= step {
		hash := b.hash(h)
		out = append(out, &hash)
		if len(out) >= 10 {
			step *= 2
		}
		if len(out) == wire.MaxBlockLocatorsPerMsg-1 {
			break
		}
	}
	if last := out[len(out)-1]; *last != b.base.hashes[0] {
		g := b.base.hashes[0]
		out = append(out, &g)
	}
	return out
}

// add checks h as the next header of the branch and appends it. now is the local clock.
func (b *branch) add(h wire.BlockHeader, now time.Time) error {
	height := b.tip() + 1
	prevHash := b.hash(height - 1)
	hash := h.BlockHash()
	if h.PrevBlock != prevHash {
		return fmt.Errorf("%w: header %s at height %d does not follow %s", errBadHeader, hash, height, prevHash)
	}
	if err := checkHeader(b.base.params, b, height, &h, hash, now); err != nil {
		return err
	}
	b.headers = append(b.headers, h)
	b.hashes = append(b.hashes, hash)
	return nil
}

// work is the total proof of work of the branch above fork.
func (b *branch) work() *big.Int {
	return sumWork(b.headers)
}

func sumWork(hs []wire.BlockHeader) *big.Int {
	w := new(big.Int)
	for i := range hs {
		w.Add(w, blockchain.CalcWork(hs[i].Bits))
	}
	return w
}

// better says whether the branch has more work than the best chain above the fork.
func (b *branch) better() bool {
	return b.work().Cmp(sumWork(b.base.headers[b.fork+1:])) > 0
}

// adopt makes the branch the best chain.
func (b *branch) adopt() {
	b.base.truncate(b.fork)
	for i := range b.headers {
		b.base.index[b.hashes[i]] = int32(len(b.base.headers))
		b.base.headers = append(b.base.headers, b.headers[i])
		b.base.hashes = append(b.base.hashes, b.hashes[i])
	}
}

// ancestry gives the headers below a height, so the rules can look back.
type ancestry interface {
	header(h int32) *wire.BlockHeader
}

// checkHeader applies the consensus rules a light client can check on a header alone: the
// proof of work matches the claimed target, the target follows the network's difficulty
// rules, the time is above the median of the last 11 blocks and not far in the future, and
// checkpointed heights carry the checkpointed hash.
func checkHeader(p *chaincfg.Params, anc ancestry, height int32, h *wire.BlockHeader, hash chainhash.Hash, now time.Time) error {
	target := blockchain.CompactToBig(h.Bits)
	if target.Sign() <= 0 || target.Cmp(p.PowLimit) > 0 {
		return fmt.Errorf("%w: height %d: target %08x out of range", errBadHeader, height, h.Bits)
	}
	if hashToBig(&hash).Cmp(target) > 0 {
		return fmt.Errorf("%w: height %d: hash %s above its target", errBadHeader, height, hash)
	}
	want, err := requiredBits(p, anc, height, h)
	if err != nil {
		return err
	}
	if want != 0 && want != h.Bits {
		return fmt.Errorf("%w: height %d: difficulty bits %08x, the rules want %08x", errBadHeader, height, h.Bits, want)
	}
	if mtp := medianTime(anc, height); !h.Timestamp.After(mtp) {
		return fmt.Errorf("%w: height %d: time %s not after the median of the last blocks %s", errBadHeader, height, h.Timestamp.UTC(), mtp.UTC())
	}
	if h.Timestamp.After(now.Add(maxFutureDrift)) {
		return fmt.Errorf("%w: height %d: time %s is in the future", errBadHeader, height, h.Timestamp.UTC())
	}
	for _, cp := range p.Checkpoints {
		if cp.Height == height && *cp.Hash != hash {
			return fmt.Errorf("%w: height %d: hash %s is not the checkpoint %s", errBadHeader, height, hash, cp.Hash)
		}
	}
	return nil
}

// hashToBig reads a block hash as the little-endian number the target is compared with.
func hashToBig(hash *chainhash.Hash) *big.Int {
	var buf [chainhash.HashSize]byte
	for i := range buf {
		buf[i] = hash[chainhash.HashSize-1-i]
	}
	return new(big.Int).SetBytes(buf[:])
}

// medianTime is the median time of the up to 11 blocks below height.
func medianTime(anc ancestry, height int32) time.Time {
	var ts []int64
	for h := height - 1; h >= 0 && len(ts) < medianBlocks; h-- {
		ts = append(ts, anc.header(h).Timestamp.Unix())
	}
	if len(ts) == 0 {
		return time.Unix(0, 0)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return time.Unix(ts[len(ts)/2], 0)
}

// requiredBits is the difficulty the rules demand at height (the rules of btcd's
// calcNextRequiredDifficulty): regtest never retargets; mainnet and signet keep the difficulty
// between retargets; testnet3 and testnet4 allow a minimum-difficulty block 20 minutes after the
// previous one, and otherwise keep the last difficulty that was not the minimum.
func requiredBits(p *chaincfg.Params, anc ancestry, height int32, h *wire.BlockHeader) (uint32, error) {
	prev := anc.header(height - 1)
	if p.PoWNoRetargeting {
		return p.PowLimitBits, nil
	}
	interval := int32(p.TargetTimespan / p.TargetTimePerBlock)
	if height%interval != 0 {
		if p.ReduceMinDifficulty {
			if h.Timestamp.Unix() > prev.Timestamp.Unix()+int64(p.MinDiffReductionTime/time.Second) {
				return p.PowLimitBits, nil
			}
			return lastRealBits(p, anc, height-1, interval), nil
		}
		return prev.Bits, nil
	}
	first := anc.header(height - interval)
	span := prev.Timestamp.Unix() - first.Timestamp.Unix()
	target := int64(p.TargetTimespan / time.Second)
	minSpan := target / p.RetargetAdjustmentFactor
	maxSpan := target * p.RetargetAdjustmentFactor
	if span < minSpan {
		span = minSpan
	} else if span > maxSpan {
		span = maxSpan
	}
	oldBits := prev.Bits
	if p.EnforceBIP94 {
		oldBits = first.Bits
	}
	next := new(big.Int).Mul(blockchain.CompactToBig(oldBits), big.NewInt(span))
	next.Div(next, big.NewInt(target))
	if next.Cmp(p.PowLimit) > 0 {
		next.Set(p.PowLimit)
	}
	return blockchain.BigToCompact(next), nil
}

// lastRealBits walks back from height to the last block that was not a minimum-difficulty one
// (or a retarget block), as testnet's rule wants. A branch remembers the last answer, so a
// long run of minimum-difficulty blocks costs one step a header, not the whole run.
func lastRealBits(p *chaincfg.Params, anc ancestry, height, interval int32) uint32 {
	br, _ := anc.(*branch)
	h := height
	for h > 0 && h%interval != 0 && anc.header(h).Bits == p.PowLimitBits {
		if br != nil && br.realKnown && br.realHeight == h-1 {
			h = -1
			break
		}
		h--
	}
	bits := br.realBitsOr(anc, h)
	if br != nil {
		br.realKnown, br.realHeight, br.realBits = true, height, bits
	}
	return bits
}

// realBitsOr is the header's bits at h, or the remembered answer when the walk stopped on it
// (h < 0).
func (b *branch) realBitsOr(anc ancestry, h int32) uint32 {
	if h < 0 {
		return b.realBits
	}
	return anc.header(h).Bits
}
