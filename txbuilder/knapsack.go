package txbuilder

import (
	"math/bits"
	"math/rand/v2"
	"sort"
)

// selectKnapsack is Bitcoin Core's legacy KnapsackSolver. pool is sorted by descending effective
// value and may hold coins of non-positive effective value (Core gives Knapsack its "mixed" group).
// It returns a single coin equal to target if there is one; otherwise it looks for the subset of
// coins smaller than target+changeTarget that reaches target (then target+changeTarget) with the
// least overshoot by Core's randomised ApproximateBestSubset, and takes the smallest larger coin
// instead when that is closer or the subset leaves less than changeTarget of change.
//
// Core shuffled the pool before scanning it; here the pool's order is fixed by value and ties
// among equal coins are broken with rng, which gives the same choices.
func selectKnapsack(pool []utxo, target, changeTarget Amount, maxWeight Weight, rng *rand.Rand, s *subsetSearch) (sel []int32, overWeight bool) {
	n := len(pool)
	desc := func(v Amount) int { // first index whose value is below v
		return sort.Search(n, func(i int) bool { return pool[i].eff < v })
	}
	randomOf := func(lo, hi int) int32 { return int32(lo + rng.IntN(hi-lo)) }

	// A single coin worth exactly the target.
	if lo, hi := desc(target+1), desc(target); lo < hi {
		return []int32{randomOf(lo, hi)}, false
	}
	// Coins at or above target+changeTarget are too large to combine; the smallest of them is the
	// fallback ("lowest larger").
	split := desc(target + changeTarget)
	larger := int32(-1)
	if split > 0 {
		larger = randomOf(desc(pool[split-1].eff+1), split)
	}
	lowestLarger := func() ([]int32, bool) {
		if larger < 0 {
			return nil, false
		}
		if pool[larger].weight > maxWeight {
			return nil, true
		}
		return []int32{larger}, false
	}
	app := pool[split:]
	var lower Amount
	var lowerWeight Weight
	for i := range app {
		lower += app[i].eff
		lowerWeight += app[i].weight
	}
	all := func() []int32 {
		out := make([]int32, len(app))
		for i := range app {
			out[i] = int32(split + i)
		}
		return out
	}
	if lower == target && lowerWeight <= maxWeight {
		return all(), false
	}
	if lower < target {
		return lowestLarger()
	}

	s.reset(app, rng)
	best, bestAll, bestSum := s.run(lower, target, KnapsackIterations)
	if bestSum != target && lower >= target+changeTarget {
		best, bestAll, bestSum = s.run(lower, target+changeTarget, KnapsackIterations)
	}
	if larger >= 0 && ((bestSum != target && bestSum < target+changeTarget) || pool[larger].eff <= bestSum) {
		return lowestLarger()
	}
	if bestAll {
		sel = all()
	} else {
		sel = make([]int32, len(best))
		for i, k := range best {
			sel[i] = int32(split) + k
		}
	}
	var w Weight
	for _, i := range sel {
		w += pool[i].weight
	}
	if w > maxWeight {
		// Core checks the weight inside the search; checking the result and falling back to the
		// larger coin costs the same in practice and keeps the search fast.
		if ll, ow := lowestLarger(); ll != nil {
			return ll, ow
		}
		return nil, true
	}
	return sel, false
}

// subsetSearch runs Core's ApproximateBestSubset over values sorted in descending order. Core
// walks every coin in each of its 1,000 iterations, flipping a coin for each; this version
// produces the same distribution of results in time proportional to the coins it includes:
// a run of coins each large enough to reach the target changes nothing but the best candidate, and
// only its smallest included member matters, so the run is skipped by binary search; among coins
// too small to reach the target, only the flips that include one matter, and the gap to the next
// is drawn directly (the number of tails before a head).
type subsetSearch struct {
	vals  []Amount
	rng   bitSource
	incl  []int32
	best  []int32
	stamp []uint32
	epoch uint32
}

// reset points the search at pool's effective values.
func (s *subsetSearch) reset(pool []utxo, rng *rand.Rand) {
	s.vals = s.vals[:0]
	for i := range pool {
		s.vals = append(s.vals, pool[i].eff)
	}
	s.rng = bitSource{r: rng}
}

// run is one call of ApproximateBestSubset: the least sum reaching target found in
// iterations random tries (stopping early on an exact hit), as indices into vals, or
// all=true for Core's initial answer of every coin (whose sum is total).
func (s *subsetSearch) run(total, target Amount, iterations int) (best []int32, all bool, bestSum Amount) {
	vals := s.vals
	n := len(vals)
	bestSum, all = total, true
	s.best = s.best[:0]
	record := func(sum Amount, k int) {
		if sum < bestSum {
			bestSum, all = sum, false
			s.best = append(append(s.best[:0], s.incl...), int32(k))
		}
	}
	for rep := 0; rep < iterations && bestSum != target; rep++ {
		s.incl = s.incl[:0]
		var sum Amount
		reached := false
		// Pass 1: each coin is included with probability 1/2; a coin that reaches the target is
		// recorded as a candidate and left out again.
		for i := 0; i < n; {
			gap := target - sum // always positive: the sum never stays at or above target
			if vals[i] >= gap {
				j := i + sort.Search(n-i, func(k int) bool { return vals[i+k] < gap })
				// Of the coins in [i, j) that land heads, the last (smallest) gives the best
				// candidate; walk back from the end to the first head.
				if t := s.rng.tails(); t < j-i {
					reached = true
					record(sum+vals[j-1-t], j-1-t)
				}
				i = j
				continue
			}
			// Every coin from i on is below the gap until one is included.
			k := i + s.rng.tails()
			if k >= n {
				break
			}
			s.incl = append(s.incl, int32(k))
			sum += vals[k]
			i = k + 1
		}
		if reached {
			continue
		}
		// Pass 2: include every coin left out, in order, recording each that reaches the target.
		s.epoch++
		if len(s.stamp) < n {
			s.stamp = make([]uint32, n)
			s.epoch = 1
		}
		for _, k := range s.incl {
			s.stamp[k] = s.epoch
		}
		for k := range n {
			if s.stamp[k] == s.epoch {
				continue
			}
			if sum+vals[k] >= target {
				record(sum+vals[k], k)
				continue
			}
			sum += vals[k]
			s.incl = append(s.incl, int32(k))
			s.stamp[k] = s.epoch
		}
	}
	return s.best, all, bestSum
}

// bitSource hands out fair coin flips 64 at a time.
type bitSource struct {
	r    *rand.Rand
	word uint64
	left uint
}

// tails flips until the first head and returns the number of tails before it.
func (b *bitSource) tails() int {
	n := 0
	for {
		if b.left == 0 {
			b.word, b.left = b.r.Uint64(), 64
		}
		if tz := uint(bits.TrailingZeros64(b.word)); tz < b.left {
			b.word >>= tz + 1
			b.left -= tz + 1
			return n + int(tz)
		}
		n += int(b.left)
		b.left = 0
	}
}
