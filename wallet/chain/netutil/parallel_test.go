package netutil_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestParallelBoundsAndStopsAtTheFirstError(t *testing.T) {
	var running, peak, done atomic.Int32
	boom := errors.New("boom")
	err := netutil.Parallel(context.Background(), 100, 4, func(ctx context.Context, i int) error {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		done.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if peak.Load() > 4 {
		t.Fatalf("%d ran at once, limit 4", peak.Load())
	}
	if done.Load() == 100 {
		t.Fatal("the error did not stop the remaining work")
	}
	var all atomic.Int32
	if err := netutil.Parallel(context.Background(), 50, 3, func(context.Context, int) error { all.Add(1); return nil }); err != nil || all.Load() != 50 {
		t.Fatalf("ran %d of 50, err %v", all.Load(), err)
	}
}
