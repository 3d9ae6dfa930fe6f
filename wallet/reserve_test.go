package wallet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// A reservation is judged by the wallet's own clock, never by the machine's: a wallet opened
// with a clock years in the past still sees a coin reserved from that clock as reserved, and
// the same store read at the clock past the reservation sees it free.
func TestReservationFollowsInjectedClock(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	c.Mine(1, chaintest.Pay(1, out(50_000, script(t, w, 0, 0))))
	c.Mine(6)
	mustSync(t, w, c, 5)
	pc, err := w.loadPlanContext()
	if err != nil {
		t.Fatal(err)
	}
	if len(pc.coins) != 1 {
		t.Fatalf("want 1 coin, got %d", len(pc.coins))
	}
	op := pc.coins[0].OutPoint
	clock := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := w.Reserve([]wire.OutPoint{op}, clock.Add(ReserveFor)); err != nil {
		t.Fatal(err)
	}
	dir := w.Dir()
	w.Close()
	for _, tc := range []struct {
		name     string
		at       time.Time
		reserved bool
	}{
		{"at the reservation", clock, true},
		{"a second before it ends", clock.Add(ReserveFor - time.Second), true},
		{"when it ends", clock.Add(ReserveFor), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.at
			w2, err := Open(dir, "regtest", OpenOptions{ReadOnly: true, Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			defer w2.Close()
			pc, err := w2.loadPlanContext()
			if err != nil {
				t.Fatal(err)
			}
			if got := pc.frozen[op]; got != tc.reserved {
				t.Fatalf("reserved = %v, want %v", got, tc.reserved)
			}
		})
	}
}

// --from on a coin that cannot be spent yet says why: an immature coinbase output names the
// height it matures at.
func TestFromSaysWhyACoinCannotBeSpent(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	c.Mine(1, chaintest.Coinbase(script(t, w, 0, 0), 50_0000_0000, 1))
	c.Mine(9)
	mustSync(t, w, c, 5)
	pc, err := w.loadPlanContext()
	if err != nil || len(pc.coins) != 1 {
		t.Fatalf("coins %v err %v", pc.coins, err)
	}
	cb := pc.coins[0]
	dest := script(t, w, 0, 7)
	_, err = w.PlanSend(SendRequest{Payments: []Payment{{Address: "x", Script: dest, Type: txbuilder.P2WPKH, Amount: 10_000}},
		FeeRate: 1000, From: []wire.OutPoint{cb.OutPoint}})
	want := fmt.Sprintf("immature until height %d (90 more blocks)", cb.Height+CoinbaseMaturity-1)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err %v, want it to say %q", err, want)
	}
}
