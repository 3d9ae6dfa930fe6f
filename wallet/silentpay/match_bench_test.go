package silentpay

import (
	"math/rand/v2"
	"testing"
)

// The two ways of checking output k = 0 of a transaction that does not pay the wallet, with
// the 21 labels a wallet scans for by default (change and 20 look-ahead) and two taproot
// outputs: match picks between them by the number of labels and outputs.
func BenchmarkMatch21Labels2Outputs(b *testing.B) {
	labels := make([]uint32, 20)
	for i := range labels {
		labels[i] = uint32(i + 1)
	}
	bob := newReceiver(b, labels...)
	rng := rand.New(rand.NewPCG(7, 8))
	outs := [][]byte{randomXOnly(rng), randomXOnly(rng)}
	k := bob.scanner.scan
	pk := baseMult(&k)
	pkAff := pk
	affine(&pkAff)
	b.Run("adding", func(b *testing.B) {
		for b.Loop() {
			bob.scanner.matchByAdding(&pk, &pkAff, true, newOutputSet(outs))
		}
	})
	b.Run("subtracting", func(b *testing.B) {
		for b.Loop() {
			bob.scanner.matchBySubtracting(&pk, newOutputSet(outs))
		}
	})
}
