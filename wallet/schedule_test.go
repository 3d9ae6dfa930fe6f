package wallet

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/fiat"
	"github.com/satchel-wallet/satchel/wallet/store"
)

func TestQueueScheduled(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	clock := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w.now = func() time.Time { return clock }
	sc := script(t, w, 0, 7)
	pay := Payment{Address: ScriptAddress(sc, w.net), Script: sc, Type: txbuilder.P2WPKH, Amount: 1000}

	// catch-up none from two days ago: only today's occurrence.
	s, q, err := w.AddSchedule(ScheduleRequest{Payment: pay, Every: Every{1, "d"}, Start: clock.AddDate(0, 0, -2), CatchUp: "none"}, nil)
	if err != nil || len(q) != 1 || q[0].ID != s.ID+"@2026-11-25" || q[0].Amount != 1000 || !q[0].By.Equal(date("2026-11-26")) {
		t.Fatalf("%+v %+v %v", s, q, err)
	}
	// Nothing due: nothing written, not a byte.
	path := filepath.Join(w.Dir(), store.FileName)
	before, _ := os.ReadFile(path)
	if q, skipped, err := w.QueueScheduled(nil, nil); len(q) != 0 || skipped != nil || err != nil {
		t.Fatalf("%v %v %v", q, skipped, err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("QueueScheduled wrote with nothing due")
	}
	// In dollars: no price now, so the day's occurrence waits; with one it is queued.
	f := &fiat.Amount{Micro: 2 * fiat.Micro, Currency: "USD"}
	fs, _, err := w.AddSchedule(ScheduleRequest{Payment: Payment{Address: pay.Address, Script: sc, Type: pay.Type, Fiat: f},
		Every: Every{1, "w"}, Start: clock.AddDate(0, 0, 1), CatchUp: "all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.AddDate(0, 0, 2)
	noPrice := func(fiat.Amount) (int64, error) { return 0, fiat.ErrUnreachable }
	q, skipped, err := w.QueueScheduled(noPrice, nil)
	if err != nil || !errors.Is(skipped, fiat.ErrUnreachable) || len(q) != 1 || q[0].ID != s.ID+"@2026-11-27" {
		t.Fatalf("without a price: %+v %v %v (want the latest sat day queued, catch-up none, the dollar one skipped)", q, skipped, err)
	}
	price := func(a fiat.Amount) (int64, error) { return a.Micro / 1000, nil }
	q, skipped, err = w.QueueScheduled(price, nil)
	if err != nil || skipped != nil || len(q) != 1 || q[0].ID != fs.ID+"@2026-11-26" || q[0].Amount != 2000 {
		t.Fatalf("with a price: %+v %v %v", q, skipped, err)
	}
	// Below dust once converted: refused rather than queued to block every flush.
	tiny := func(fiat.Amount) (int64, error) { return 100, nil }
	clock = clock.AddDate(0, 0, 7)
	if _, skipped, _ := w.QueueScheduled(tiny, nil); !errors.Is(skipped, ErrBadInput) {
		t.Fatalf("a conversion below dust: %v", skipped)
	}
	// Cancelled: its queued, unpaid tips go too.
	if _, n, _, err := w.CancelSchedule(s.ID); err != nil || n == 0 {
		t.Fatalf("cancel: %d %v", n, err)
	}
	tips, _ := w.Tips()
	for _, tp := range tips {
		if tp.ID[:len(s.ID)+1] == s.ID+"@" && !tp.Cancelled {
			t.Fatalf("tip %s of a cancelled schedule still queued", tp.ID)
		}
	}
}
