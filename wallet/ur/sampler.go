package ur

// sampler picks an index with given relative probabilities by Walker and Vose's alias method,
// built exactly as BCR-2024-001 builds it (indexes pushed in reverse order), since encoder and
// decoder must pick the same degree for each part.
type sampler struct {
	probs   []float64
	aliases []int
}

func newSampler(weights []float64) *sampler {
	n := len(weights)
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	p := make([]float64, n)
	for i, w := range weights {
		p[i] = w * float64(n) / sum
	}
	var small, large []int
	for i := n - 1; i >= 0; i-- {
		if p[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	s := &sampler{probs: make([]float64, n), aliases: make([]int, n)}
	for len(small) > 0 && len(large) > 0 {
		a := small[len(small)-1]
		small = small[:len(small)-1]
		g := large[len(large)-1]
		large = large[:len(large)-1]
		s.probs[a] = p[a]
		s.aliases[a] = g
		p[g] += p[a] - 1
		if p[g] < 1 {
			small = append(small, g)
		} else {
			large = append(large, g)
		}
	}
	// What is left has probability 1; leftovers in small come from rounding only.
	for _, i := range large {
		s.probs[i] = 1
	}
	for _, i := range small {
		s.probs[i] = 1
	}
	return s
}

func (s *sampler) next(x *xoshiro) int {
	r1 := x.nextDouble()
	r2 := x.nextDouble()
	i := int(float64(len(s.probs)) * r1)
	if r2 < s.probs[i] {
		return i
	}
	return s.aliases[i]
}

// newDegreeSampler weighs degree d (1..seqLen) as 1/d: mostly parts of one or two fragments,
// which the decoder needs to peel the larger mixes apart.
func newDegreeSampler(seqLen int) *sampler {
	w := make([]float64, seqLen)
	for i := range w {
		w[i] = 1 / float64(i+1)
	}
	return newSampler(w)
}

// shuffledPrefix draws count items of items without replacement, in the order drawn: the
// spec's Fisher-Yates shuffle cut short, where each draw takes the k-th remaining item in the
// original order. A Fenwick tree finds the k-th remaining item in O(log n), so a part mixing
// thousands of fragments costs no more than O(n + degree log n), not O(n x degree).
func shuffledPrefix(items []int, x *xoshiro, count int) []int {
	n := len(items)
	tree := make([]int, n+1) // tree[i] counts the remaining items in (i - lowbit(i), i]
	for i := 1; i <= n; i++ {
		tree[i] = i & -i
	}
	top := 1
	for top*2 <= n {
		top *= 2
	}
	out := make([]int, 0, count)
	for len(out) < count {
		k := x.nextInt(0, n-len(out)-1) + 1
		pos := 0
		for step := top; step > 0; step >>= 1 {
			if pos+step <= n && tree[pos+step] < k {
				pos += step
				k -= tree[pos]
			}
		}
		out = append(out, items[pos])
		for i := pos + 1; i <= n; i += i & -i {
			tree[i]--
		}
	}
	return out
}
