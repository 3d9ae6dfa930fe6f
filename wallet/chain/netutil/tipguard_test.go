package netutil_test

import (
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestTipGuardRefusesATipGoingBackwards(t *testing.T) {
	var g netutil.TipGuard
	if _, ok := g.Height(); ok {
		t.Fatal("a new guard claims a tip")
	}
	for _, tc := range []struct {
		h  int32
		ok bool
	}{{100, true}, {100, true}, {101, true}, {99, false}, {105, true}} {
		prev, ok := g.Observe(chain.Tip{Height: tc.h})
		if ok != tc.ok {
			t.Fatalf("Observe(%d) ok=%v (prev %d), want %v", tc.h, ok, prev.Height, tc.ok)
		}
	}
	if h, ok := g.Height(); !ok || h != 105 {
		t.Fatalf("Height = %d, %v", h, ok)
	}
}
