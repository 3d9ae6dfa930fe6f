package wallet

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// slowChain fails a broadcast with fail, after relaying it when relay is set (the transaction
// left, the answer did not come).
type slowChain struct {
	*chaintest.Chain
	fail  error
	relay bool
}

func (s *slowChain) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	if s.fail == nil {
		return s.Chain.Broadcast(ctx, tx)
	}
	if !s.relay {
		return chainhash.Hash{}, s.fail
	}
	if _, err := s.Chain.Broadcast(ctx, tx); err != nil {
		return chainhash.Hash{}, err
	}
	return chainhash.Hash{}, s.fail
}

// A broadcast that got no answer in time says the transaction may have gone out (it did here),
// so the payment is not made again as a new transaction; one that never connected does not.
func TestBroadcastWithoutAnswerMayHaveGoneOut(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	be := &slowChain{Chain: c}
	c.Mine(1, chaintest.Pay(1, out(100_000, script(t, w, 0, 0))))
	syncAt(t, w, be, t0)
	plan, err := w.PlanSend(SendRequest{Payments: []Payment{{Address: ScriptAddress(foreignWPKH, w.net), Script: foreignWPKH,
		Type: txbuilder.P2WPKH, Amount: 20_000}}, FeeRate: txbuilder.SatPerVB(2)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := w.Sign(plan, testPass, cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	// Refused outright, nothing left: no such note.
	be.fail = &netutil.Error{Server: "tcp://127.0.0.1:50001", Kind: netutil.KindUnreachable, Err: syscall.ECONNREFUSED}
	var unsure *BroadcastUnsureError
	if _, err := w.Broadcast(context.Background(), be, m, "", t0); err == nil || errors.As(err, &unsure) {
		t.Fatalf("a refused connection: %v, want no note that the transaction may have gone out", err)
	}
	if h, err := w.History(0, 0); err != nil || len(h) != 1 {
		t.Fatalf("a refused connection recorded the payment: %d rows, %v", len(h), err)
	}
	be.fail, be.relay = &netutil.Error{Server: "tcp://127.0.0.1:50001", Op: "blockchain.transaction.broadcast", Kind: netutil.KindSlow,
		Timeout: 30 * time.Second, Err: context.DeadlineExceeded}, true
	_, err = w.Broadcast(context.Background(), be, m, "", t0)
	if !errors.As(err, &unsure) || unsure.TxID != m.TxHash() || !errors.Is(err, chain.ErrUnreachable) ||
		!strings.Contains(err.Error(), m.TxHash().String()+" may have gone out") {
		t.Fatalf("broadcast without an answer: %v", err)
	}
	// The person consented to it: it is recorded as pending, so its coins are not chosen
	// again (a second send would pay twice) and sync broadcasts it again.
	h, err := w.History(0, 0)
	if err != nil || len(h) != 2 || h[0].TxID != m.TxHash() || h[0].Height > 0 {
		t.Fatalf("after a broadcast without an answer, history %+v, %v", h, err)
	}
	if !unsure.Recorded || !strings.Contains(unsure.Error(), "recorded as pending") || !strings.Contains(unsure.Error(), "satchel abandon "+m.TxHash().String()) {
		t.Fatalf("note %q", unsure.Error())
	}
	again, err := w.PlanSend(SendRequest{Payments: []Payment{{Address: ScriptAddress(foreignWPKH, w.net), Script: foreignWPKH,
		Type: txbuilder.P2WPKH, Amount: 20_000}}, FeeRate: txbuilder.SatPerVB(2)})
	if err != nil {
		t.Fatal(err) // its own change pays
	}
	for _, c := range again.Built.Inputs {
		if c.OutPoint == m.TxIn[0].PreviousOutPoint {
			t.Fatal("the coin the unanswered broadcast spent was chosen again")
		}
	}
}
