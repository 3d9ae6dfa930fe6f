package txbuilder

import "math/rand/v2"

// selectSRD is Bitcoin Core's Single Random Draw: take coins in random order until their
// effective value reaches target (the caller pads it with ChangeLower and the change fee, so the
// change is never tiny). When the set grows past maxWeight, the coins of least effective value
// are dropped first, as current Core does; Core 260ede1 had no weight cap, which differs only
// where its transaction would have been non-standard. pool holds coins of positive effective
// value. The shuffle is drawn lazily, one coin at a time, which has the same distribution as
// shuffling the whole pool first.
func selectSRD(pool []utxo, target Amount, maxWeight Weight, rng *rand.Rand) (sel []int32, overWeight bool) {
	n := len(pool)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	var h srdHeap
	h.pool = pool
	var value Amount
	var weight Weight
	for k := range n {
		j := k + rng.IntN(n-k)
		order[k], order[j] = order[j], order[k]
		i := order[k]
		h.push(i)
		value += pool[i].eff
		weight += pool[i].weight
		for weight > maxWeight && len(h.idx) > 0 {
			overWeight = true
			d := h.pop()
			value -= pool[d].eff
			weight -= pool[d].weight
		}
		if value >= target {
			return h.idx, overWeight
		}
	}
	return nil, overWeight
}

// srdHeap is a min-heap of pool indices keyed by effective value.
type srdHeap struct {
	pool []utxo
	idx  []int32
}

func (h *srdHeap) less(a, b int) bool { return h.pool[h.idx[a]].eff < h.pool[h.idx[b]].eff }

func (h *srdHeap) push(i int32) {
	h.idx = append(h.idx, i)
	for c := len(h.idx) - 1; c > 0; {
		parent := (c - 1) / 2
		if !h.less(c, parent) {
			break
		}
		h.idx[c], h.idx[parent] = h.idx[parent], h.idx[c]
		c = parent
	}
}

func (h *srdHeap) pop() int32 {
	top := h.idx[0]
	last := len(h.idx) - 1
	h.idx[0] = h.idx[last]
	h.idx = h.idx[:last]
	for p := 0; ; {
		c := 2*p + 1
		if c >= last {
			break
		}
		if c+1 < last && h.less(c+1, c) {
			c++
		}
		if !h.less(c, p) {
			break
		}
		h.idx[p], h.idx[c] = h.idx[c], h.idx[p]
		p = c
	}
	return top
}
