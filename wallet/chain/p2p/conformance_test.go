package p2p_test

import (
	"sync"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
)

// The p2p light client, over a peer serving the fake chain on the wire protocol (with an
// Esplora test server over the same chain as its fee source), passes the suite every backend
// passes.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "p2p", NoRelayFee: true, KnowsOnlyHistories: true,
		Open: func(t testing.TB, c *chaintest.Chain) (chain.Backend, func(...[]byte)) {
			params := conformance.Params(t, c)
			addr := startChainPeer(t, c, params)
			_, fees := esploratest.Start(t, c)
			be, err := p2p.New("p2p://"+addr, chain.Options{Net: params, DataDir: t.TempDir(), FeeSource: fees, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			// Each call is a minute after the last, so every one looks at the mempool again
			// (it is downloaded at most once a minute), as the suite changes it between calls.
			var mu sync.Mutex
			now := time.Now()
			be.SetNow(func() time.Time {
				mu.Lock()
				defer mu.Unlock()
				now = now.Add(time.Minute)
				return now
			})
			t.Cleanup(func() { be.Close() })
			return be, nil
		}})
}
