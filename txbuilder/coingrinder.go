package txbuilder

// grinderNoTail stands for "no coin left" in the minimum-tail-weight table; any real weight is
// smaller, and the bound arithmetic below never multiplies it.
const grinderNoTail = Weight(1) << 40

// selectCoinGrinder is Bitcoin Core's CoinGrinder (v27): the input set of least weight whose
// effective value reaches target+changeTarget, preferring the smaller amount on equal weight. It
// always leaves change, so it pays off when fees are high. pool holds coins of positive effective
// value sorted by descending effective value, lighter first among equals. The depth-first search
// moves in three steps: explore (add the next coin), shift (replace the last coin by its
// successor) and cut (drop the last two and continue after the penultimate); it stops after
// SearchTries coins added.
func selectCoinGrinder(pool []utxo, target, changeTarget Amount, maxWeight Weight) (best []int32, overWeight bool) {
	n := len(pool)
	if n == 0 {
		return nil, false
	}
	// lookahead[i]: effective value of the coins after i; minTail[i]: lightest coin after i.
	lookahead := make([]Amount, n)
	minTail := make([]Weight, n)
	var total Amount
	lightest := grinderNoTail
	for i := n - 1; i >= 0; i-- {
		lookahead[i] = total
		minTail[i] = lightest
		total += pool[i].eff
		lightest = min(lightest, pool[i].weight)
	}
	goal := target + changeTarget
	if total < goal {
		return nil, false
	}

	var (
		curr       = make([]int32, 0, 16)
		currAmount Amount
		currWeight Weight
		bestAmount = MaxMoney
		bestWeight = maxWeight // equal weight is fine: the smaller amount wins ties
	)
	dropLast := func() {
		last := curr[len(curr)-1]
		currAmount -= pool[last].eff
		currWeight -= pool[last].weight
		curr = curr[:len(curr)-1]
	}
	// lastIsLightest: when the coin just added is at least as light as anything after it,
	// swapping it for a later coin cannot help, so the whole subtree can be cut.
	lastIsLightest := func(tail int) bool { return pool[tail].weight <= minTail[tail] }

	next := 0
	for tries := 0; ; {
		shift, cut := false, false
		curr = append(curr, int32(next))
		currAmount += pool[next].eff
		currWeight += pool[next].weight
		next++
		tries++

		tail := int(curr[len(curr)-1])
		switch {
		case currAmount+lookahead[tail] < goal:
			cut = true // even every remaining coin would not reach the goal
		case currWeight > bestWeight:
			if currWeight > maxWeight {
				overWeight = true
			}
			if lastIsLightest(tail) {
				cut = true
			} else {
				shift = true
			}
		case currAmount >= goal:
			shift = true // more coins only add weight
			if currWeight < bestWeight || currAmount < bestAmount {
				best = append(best[:0], curr...)
				bestWeight, bestAmount = currWeight, currAmount
			}
		case len(best) > 0 && missingInputsTooHeavy(goal-currAmount, pool[tail].eff, minTail[tail], bestWeight-currWeight):
			if lastIsLightest(tail) {
				cut = true
			} else {
				shift = true
			}
		}

		if tries >= SearchTries {
			break // not proven optimal, but the best found so far stands
		}
		if next == n {
			cut = true // nothing left to add or to shift to
		}
		if cut {
			dropLast()
			shift = true
		}
		for shift {
			if len(curr) == 0 {
				return best, overWeight // search space exhausted
			}
			next = int(curr[len(curr)-1]) + 1
			dropLast()
			shift = false
			// A coin with the same effective value as the one just omitted is no lighter (by the
			// sort order), so choosing it would repeat or worsen a selection already evaluated.
			for pool[next-1].eff == pool[next].eff {
				if next >= n-1 {
					shift = true // only clones left: shift one level up instead
					break
				}
				next++
			}
		}
	}
	return best, overWeight
}

// missingInputsTooHeavy is CoinGrinder's lower bound: still missing `missing` of effective value,
// with no remaining coin worth more than `largest` (coins are sorted by descending value), at least
// ceil(missing/largest) more inputs of at least minWeight each are needed. It reports whether
// those would exceed the room left (best weight minus current weight), without overflow.
func missingInputsTooHeavy(missing, largest Amount, minWeight, room Weight) bool {
	count := (missing + largest - 1) / largest
	return int64(count) > int64(room)/int64(minWeight)
}
