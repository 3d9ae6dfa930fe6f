package txbuilder

// Algorithm names as reported in Selection.Algorithm.
const (
	algoBnB         = "bnb"
	algoKnapsack    = "knapsack"
	algoSRD         = "srd"
	algoCoinGrinder = "coingrinder"
	algoManual      = "manual"
	algoSweep       = "sweep"
	algoAll         = "all"
)

// selectBnB is Bitcoin Core's Branch and Bound (SelectCoinsBnB): a depth-first search, larger
// coins first, for a changeless input set whose effective value lies in [target, target+window]
// (window = cost_of_change) with the least waste. pool holds coins of positive effective value
// sorted by descending effective value. It gives up after SearchTries steps, keeping the best
// set found. overWeight reports that some candidate exceeded maxWeight.
func selectBnB(pool []utxo, target, window Amount, maxWeight Weight) (best []int32, overWeight bool) {
	var avail Amount // effective value of the coins not yet decided
	for i := range pool {
		avail += pool[i].eff
	}
	if avail < target || len(pool) == 0 {
		return nil, false
	}
	// Above the long-term rate every input adds waste, so a branch already more wasteful than the
	// best can only get worse. Below it, inputs reduce waste and the search must go on.
	feeRateHigh := pool[0].waste > 0
	var (
		curr                 = make([]int32, 0, 16)
		currValue, currWaste Amount
		currWeight           Weight
		bestWaste            = MaxMoney
	)
	i := 0
	for try := 0; try < SearchTries; try, i = try+1, i+1 {
		backtrack := false
		switch {
		case currValue+avail < target, currValue > target+window, currWaste > bestWaste && feeRateHigh:
			backtrack = true
		case currWeight > maxWeight:
			overWeight = true
			backtrack = true
		case currValue >= target:
			// A solution: its excess goes to the fee, so it counts as waste.
			if w := currWaste + currValue - target; w <= bestWaste {
				best = append(best[:0], curr...)
				bestWaste = w
			}
			backtrack = true
		}
		if backtrack {
			if len(curr) == 0 {
				break // every branch explored
			}
			last := int(curr[len(curr)-1])
			// Coins skipped since the last inclusion become undecided again.
			for i--; i > last; i-- {
				avail += pool[i].eff
			}
			// Now explore the branch that omits the last included coin.
			currValue -= pool[last].eff
			currWaste -= pool[last].waste
			currWeight -= pool[last].weight
			curr = curr[:len(curr)-1]
			continue
		}
		u := &pool[i]
		avail -= u.eff
		// Including a coin equal to the previous one that this branch omitted would repeat a
		// combination already explored.
		if len(curr) == 0 || int(curr[len(curr)-1]) == i-1 || u.eff != pool[i-1].eff || u.fee != pool[i-1].fee {
			curr = append(curr, int32(i))
			currValue += u.eff
			currWaste += u.waste
			currWeight += u.weight
		}
	}
	return best, overWeight
}
