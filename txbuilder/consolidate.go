package txbuilder

// consolidate extends base, a selection from pool (sorted by descending effective value), with
// the pool's other coins, smallest first, while the inputs stay within maxWeight. Spending a coin
// now, below the long-term fee rate, costs less than spending it later.
func consolidate(pool []utxo, base []int32, maxWeight Weight) []int32 {
	in := make([]bool, len(pool))
	var w Weight
	for _, i := range base {
		in[i] = true
		w += pool[i].weight
	}
	out := append([]int32(nil), base...)
	for i := len(pool) - 1; i >= 0; i-- {
		if in[i] || w+pool[i].weight > maxWeight {
			continue
		}
		w += pool[i].weight
		out = append(out, int32(i))
	}
	return out
}
