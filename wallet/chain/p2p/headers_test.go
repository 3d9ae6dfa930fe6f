package p2p

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// now is the clock of these tests: a fixed day, far after regtest's genesis.
var now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// solve sets the nonce so the header meets (or, with fail, misses) its own target.
func solve(h *wire.BlockHeader, fail bool) {
	target := blockchain.CompactToBig(h.Bits)
	for h.Nonce = 0; ; h.Nonce++ {
		hash := h.BlockHash()
		if (hashToBig(&hash).Cmp(target) <= 0) != fail {
			return
		}
	}
}

// next makes a solved header on prev, a minute later, with tag in the merkle root so
// branches differ.
func next(prev *wire.BlockHeader, tag byte) wire.BlockHeader {
	h := wire.BlockHeader{
		Version:    4,
		PrevBlock:  prev.BlockHash(),
		MerkleRoot: chainhash.Hash{tag},
		Timestamp:  prev.Timestamp.Add(time.Minute),
		Bits:       prev.Bits,
	}
	solve(&h, false)
	return h
}

// chainOf makes n headers on top of the chain's tip.
func chainOf(c *headerChain, from int32, n int, tag byte) []wire.BlockHeader {
	prev := c.headers[from]
	out := make([]wire.BlockHeader, n)
	for i := range out {
		out[i] = next(&prev, tag)
		prev = out[i]
	}
	return out
}

func extend(t *testing.T, c *headerChain, fork int32, hs []wire.BlockHeader) (*branch, error) {
	t.Helper()
	br := &branch{base: c, fork: fork}
	for _, h := range hs {
		if err := br.add(h, now); err != nil {
			return br, err
		}
	}
	return br, nil
}

func TestHeaderRules(t *testing.T) {
	params := &chaincfg.RegressionNetParams
	base := newHeaderChain(params)
	good, err := extend(t, base, 0, chainOf(base, 0, 12, 1))
	if err != nil {
		t.Fatal(err)
	}
	good.adopt()
	tip := base.headers[base.tip()]

	cp := *params
	cp.Checkpoints = []chaincfg.Checkpoint{{Height: base.tip() + 1, Hash: &chainhash.Hash{9}}}

	tests := []struct {
		name   string
		params *chaincfg.Params
		make   func() wire.BlockHeader
		want   string // empty: accepted
	}{
		{"a good header", params, func() wire.BlockHeader { return next(&tip, 1) }, ""},
		{"does not follow the tip", params, func() wire.BlockHeader {
			h := next(&tip, 1)
			h.PrevBlock = chainhash.Hash{1}
			solve(&h, false)
			return h
		}, "does not follow"},
		{"hash above its target", params, func() wire.BlockHeader {
			h := next(&tip, 1)
			solve(&h, true)
			return h
		}, "above its target"},
		{"target above the limit", params, func() wire.BlockHeader {
			h := next(&tip, 1)
			h.Bits = 0x2100ffff
			solve(&h, false)
			return h
		}, "out of range"},
		{"difficulty changed without a retarget", params, func() wire.BlockHeader {
			h := next(&tip, 1)
			h.Bits = 0x207ffffe
			solve(&h, false)
			return h
		}, "the rules want"},
		{"time not after the median", params, func() wire.BlockHeader {
			h := next(&tip, 1)
			h.Timestamp = base.headers[base.tip()-6].Timestamp
			solve(&h, false)
			return h
		}, "median"},
		{"time in the future", params, func() wire.BlockHeader {
			h := next(&tip, 1)
			h.Timestamp = now.Add(3 * time.Hour)
			solve(&h, false)
			return h
		}, "future"},
		{"not the checkpoint", &cp, func() wire.BlockHeader { return next(&tip, 1) }, "checkpoint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			saved := base.params
			base.params = tc.params
			defer func() { base.params = saved }()
			_, err := extend(t, base, base.tip(), []wire.BlockHeader{tc.make()})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, errBadHeader) || !contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want errBadHeader saying %q", err, tc.want)
			}
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestMoreWorkReplacesTheChain(t *testing.T) {
	c := newHeaderChain(&chaincfg.RegressionNetParams)
	br, err := extend(t, c, 0, chainOf(c, 0, 10, 1))
	if err != nil {
		t.Fatal(err)
	}
	br.adopt()
	oldTip := c.hashes[10]

	// A branch from height 7 as long as ours is not better; one block longer is.
	same, err := extend(t, c, 7, chainOf(c, 7, 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	if same.better() {
		t.Fatal("a branch of equal work replaced the chain")
	}
	longer, err := extend(t, c, 7, chainOf(c, 7, 4, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !longer.better() {
		t.Fatal("a branch with more work did not win")
	}
	longer.adopt()
	if c.tip() != 11 || c.hashes[11] != longer.hashes[3] {
		t.Fatalf("tip %d %s after the reorg", c.tip(), c.hashes[c.tip()])
	}
	if _, ok := c.index[oldTip]; ok {
		t.Fatal("the old tip is still indexed")
	}
	if c.index[c.hashes[8]] != 8 || c.headers[8].MerkleRoot != (chainhash.Hash{2}) {
		t.Fatal("height 8 is not the new branch's")
	}
}

func TestLocatorEndsAtGenesis(t *testing.T) {
	c := newHeaderChain(&chaincfg.RegressionNetParams)
	br, err := extend(t, c, 0, chainOf(c, 0, 40, 1))
	if err != nil {
		t.Fatal(err)
	}
	br.adopt()
	loc := (&branch{base: c, fork: c.tip()}).locator()
	if *loc[0] != c.hashes[40] || *loc[len(loc)-1] != c.hashes[0] {
		t.Fatalf("locator from %s to %s", loc[0], loc[len(loc)-1])
	}
	if len(loc) >= 40 {
		t.Fatalf("locator of %d hashes is not sparse", len(loc))
	}
}

// ancestorList is an ancestry from a slice.
type ancestorList []wire.BlockHeader

func (a ancestorList) header(h int32) *wire.BlockHeader { return &a[h] }

func TestMainnetRetarget(t *testing.T) {
	p := &chaincfg.MainNetParams
	interval := int32(p.TargetTimespan / p.TargetTimePerBlock)
	start := time.Unix(1_600_000_000, 0)
	mk := func(span time.Duration) ancestorList {
		anc := make(ancestorList, interval)
		for i := range anc {
			anc[i] = wire.BlockHeader{Bits: 0x1b0404cb, Timestamp: start.Add(span / time.Duration(interval-1) * time.Duration(i))}
		}
		anc[interval-1].Timestamp = start.Add(span) // exact, whatever the rounding above
		return anc
	}
	old := blockchain.CompactToBig(0x1b0404cb)
	scaled := func(num, den int64) uint32 {
		n := new(big.Int).Mul(old, big.NewInt(num))
		return blockchain.BigToCompact(n.Div(n, big.NewInt(den)))
	}
	tests := []struct {
		name string
		span time.Duration
		want uint32
	}{
		{"on time", p.TargetTimespan, 0x1b0404cb},
		{"twice as fast", p.TargetTimespan / 2, scaled(1, 2)},
		{"ten times as fast is clamped to four", p.TargetTimespan / 10, scaled(1, 4)},
		{"ten times as slow is clamped to four", p.TargetTimespan * 10, scaled(4, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := requiredBits(p, mk(tc.span), interval, &wire.BlockHeader{})
			if err != nil || got != tc.want {
				t.Fatalf("bits %08x (%v), want %08x", got, err, tc.want)
			}
		})
	}
	// Between retargets the difficulty stays.
	anc := mk(p.TargetTimespan)
	if got, _ := requiredBits(p, anc[:10], 10, &wire.BlockHeader{}); got != 0x1b0404cb {
		t.Fatalf("bits %08x between retargets", got)
	}
}

func TestTestnetMinimumDifficultyRule(t *testing.T) {
	p := &chaincfg.TestNet3Params
	const real, real2 = 0x1c0fffff, 0x1c0ffffe
	start := time.Unix(1_600_000_000, 0)
	anc := make(ancestorList, 2040)
	for i := range anc {
		anc[i] = wire.BlockHeader{Bits: p.PowLimitBits, Timestamp: start.Add(time.Duration(i) * time.Minute)}
	}
	anc[2016].Bits = real  // a retarget block
	anc[2025].Bits = real2 // a block mined at the real difficulty
	tests := []struct {
		name   string
		height int32
		late   bool
		want   uint32
	}{
		{"20 minutes after the last block: the minimum", 2020, true, p.PowLimitBits},
		{"sooner: the last real difficulty, back to the retarget", 2020, false, real},
		{"sooner, after a real block", 2030, false, real2},
		{"right after the retarget", 2017, false, real},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := wire.BlockHeader{Timestamp: anc[tc.height-1].Timestamp.Add(time.Minute)}
			if tc.late {
				h.Timestamp = anc[tc.height-1].Timestamp.Add(21 * time.Minute)
			}
			got, err := requiredBits(p, anc, tc.height, &h)
			if err != nil || got != tc.want {
				t.Fatalf("bits %08x (%v), want %08x", got, err, tc.want)
			}
		})
	}
	// A branch remembers its last answer; walking header by header gives the same answers.
	base := &headerChain{params: p, headers: anc}
	br := &branch{base: base, fork: int32(len(anc)) - 1}
	for h := int32(2017); h < int32(len(anc)); h++ {
		if got, want := lastRealBits(p, br, h, 2016), lastRealBits(p, anc, h, 2016); got != want {
			t.Fatalf("height %d: remembered %08x, walked %08x", h, got, want)
		}
	}
}
