package esplora_test

import (
	"context"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
)

// The Esplora client, over the Esplora test server, over the fake chain, passes the suite
// every backend passes.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "Esplora", NoRelayFee: true,
		Open: func(t testing.TB, c *chaintest.Chain) (chain.Backend, func(...[]byte)) {
			s, url := esploratest.Start(t, c)
			be, err := esplora.Open(context.Background(), url, chain.Options{Net: conformance.Params(t, c)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { be.Close() })
			return be, s.Watch
		}})
}
