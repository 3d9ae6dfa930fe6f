package wallet

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// staleTip answers Tip with a height behind the chain for its first `stale` calls (a block
// found between the tip and the histories), and histories with `lift` added to every height
// (a lying server).
type staleTip struct {
	*chaintest.Chain
	stale, calls int
	lift         int32
}

func (s *staleTip) Tip(ctx context.Context) (chain.Tip, error) {
	t, err := s.Chain.Tip(ctx)
	s.calls++
	if s.calls <= s.stale {
		t.Height--
	}
	return t, err
}

func (s *staleTip) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	hs, err := s.Chain.ScriptHistories(ctx, scripts)
	for _, h := range hs {
		for i := range h {
			if h[i].Height > 0 {
				h[i].Height += s.lift
			}
		}
	}
	return hs, err
}

// A history above the tip read before it is a block found meanwhile when the tip read again
// covers it; above that too, it is a lie (exit 5 class).
func TestSyncHistoryAboveTheTip(t *testing.T) {
	for _, tc := range []struct {
		name        string
		stale       int
		lift        int32
		wantErr     bool
		wantTipAsks int
	}{
		{"tip current", 0, 0, false, 1},
		{"a block found during the sync", 1, 0, false, 2},
		{"a height above every tip", 0, 5, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWallet(t, txbuilder.P2WPKH, false)
			c := chaintest.New()
			c.Mine(3)
			c.Mine(1, chaintest.Pay(1, out(9000, script(t, w, 0, 0))))
			be := &staleTip{Chain: c, stale: tc.stale, lift: tc.lift}
			_, err := w.Sync(context.Background(), be, SyncOptions{GapLimit: 5, Now: func() time.Time { return time.Unix(1800000000, 0) }})
			if tc.wantErr != (err != nil) || (err != nil && !errors.Is(err, chain.ErrUnreachable)) {
				t.Fatalf("sync: %v", err)
			}
			if be.calls != tc.wantTipAsks {
				t.Fatalf("tip asked %d times, want %d", be.calls, tc.wantTipAsks)
			}
		})
	}
}
