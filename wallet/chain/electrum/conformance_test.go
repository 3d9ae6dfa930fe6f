package electrum_test

import (
	"context"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// The Electrum client, light-client checks on, over the Electrum test server, over the fake
// chain, passes the suite every backend passes.
func TestConformance(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "Electrum",
		Open: func(t testing.TB, c *chaintest.Chain) (chain.Backend, func(...[]byte)) {
			s := electrumtest.Start(t, c)
			be, err := electrum.Open(context.Background(), s.URL(), chain.Options{Net: conformance.Params(t, c)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { be.Close() })
			return be, s.Watch
		}})
}
