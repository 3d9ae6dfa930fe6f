package txbuilder

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// selBenchCoins is a wallet of n coins with log-normal values (median 50,000 sat, most between
// 1,000 sat and 2.5M sat), four in five P2WPKH and the rest P2TR, mostly well confirmed.
func selBenchCoins(n int, seed uint64) []Coin {
	rng := rand.New(rand.NewPCG(seed, 42))
	coins := make([]Coin, n)
	for i := range coins {
		v := Amount(50_000 * math.Exp(2*rng.NormFloat64()))
		v = min(max(v, 546), 50*SatPerBTC)
		ty := P2WPKH
		if rng.IntN(5) == 0 {
			ty = P2TR
		}
		coins[i] = selCoin(i, v, ty)
		coins[i].Confirmations = int32(1 + rng.IntN(1000))
		coins[i].FromSelf = rng.IntN(3) == 0
	}
	return coins
}

// BenchmarkSelect times one Select (two attempts, as Core makes) per policy, wallet size,
// payment (a 2,100 sat tip and a 1,000,000 sat payment) and fee rate (5 sat/vB, where Branch and
// Bound cannot prune on waste, and 40 sat/vB, where CoinGrinder runs in SatchelPolicy).
func BenchmarkSelect(b *testing.B) {
	for _, pol := range []Policy{CorePolicy(), SatchelPolicy()} {
		for _, n := range []int{1_000, 10_000, 100_000} {
			coins := selBenchCoins(n, 1)
			for _, payment := range []Amount{2_100, 1_000_000} {
				for _, rate := range []int64{5, 40} {
					name := fmt.Sprintf("%s/coins=%d/pay=%d/rate=%d", pol.Name(), n, payment, rate)
					b.Run(name, func(b *testing.B) {
						req := selRequest(rate, selPayees(payment), coins)
						req.DiscardFeeRate = SatPerVB(10)
						req.Rand = rand.New(rand.NewPCG(1, 2))
						b.ReportAllocs()
						for b.Loop() {
							if _, err := pol.Select(req); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
		}
	}
}

// BenchmarkSortPool times the one sort a selection makes, on 100,000 shuffled candidates.
func BenchmarkSortPool(b *testing.B) {
	p, err := prepare(selRequest(5, selPayees(1000), selBenchCoins(100_000, 1)))
	if err != nil {
		b.Fatal(err)
	}
	shuffled := append([]utxo(nil), p.pool...)
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for b.Loop() {
		copy(p.pool, shuffled)
		sortPool(p.pool)
	}
}
