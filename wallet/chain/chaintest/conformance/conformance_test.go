package conformance_test

import (
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
)

// The fake chain itself passes: the suite asks nothing the reference cannot answer.
func TestTheFakeChainConforms(t *testing.T) {
	conformance.Run(t, conformance.Harness{Name: "the fake chain",
		Open: func(_ testing.TB, c *chaintest.Chain) (chain.Backend, func(...[]byte)) { return c, nil }})
}
