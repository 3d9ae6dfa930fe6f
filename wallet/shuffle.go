package wallet

import "math/rand/v2"

// shuffle puts a batch of queries in random order. It is privacy, not security: math/rand is
// enough.
func shuffle[T any](s []T) {
	rand.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}
