package netutil

import (
	"sync"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// TipGuard remembers the best tip a backend has reported so later answers can be checked
// against it. A load-balanced public server may send one request to a node that is a few
// blocks behind another: its answers then contradict each other, and a wallet acting on them
// would see confirmed payments vanish. The guard turns that into an error.
type TipGuard struct {
	mu   sync.Mutex
	seen bool
	tip  chain.Tip
}

// Observe records a newly reported tip. It refuses one lower than a tip reported before: a
// server that goes backwards is lagging (or a reorganisation made the chain shorter, which on
// mainnet does not happen; a new backend accepts the shorter chain).
func (g *TipGuard) Observe(t chain.Tip) (prev chain.Tip, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen && t.Height < g.tip.Height {
		return g.tip, false
	}
	g.seen, g.tip = true, t
	return g.tip, true
}

// Height is the best tip height reported so far, and whether there was one.
func (g *TipGuard) Height() (int32, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.tip.Height, g.seen
}
