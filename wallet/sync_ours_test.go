package wallet

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// lyingChain is a server in front of a fake chain that hides transactions from script
// histories and can answer "sent" to a broadcast it never relays.
type lyingChain struct {
	*chaintest.Chain
	mu      sync.Mutex
	hide    map[chainhash.Hash]bool
	drop    bool
	tried   []chainhash.Hash
	dropped []chainhash.Hash
}

func (l *lyingChain) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	h, err := l.Chain.ScriptHistories(ctx, scripts)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range h {
		var keep []chain.HistoryItem
		for _, it := range h[i] {
			if !l.hide[it.TxID] {
				keep = append(keep, it)
			}
		}
		h[i] = keep
	}
	return h, err
}

func (l *lyingChain) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	l.mu.Lock()
	l.tried = append(l.tried, tx.TxHash())
	drop := l.drop
	l.mu.Unlock()
	if drop {
		l.mu.Lock()
		l.dropped = append(l.dropped, tx.TxHash())
		l.mu.Unlock()
		return tx.TxHash(), nil
	}
	return l.Chain.Broadcast(ctx, tx)
}

var t0 = time.Unix(1800000000, 0)

func syncAt(t *testing.T, w *Wallet, be chain.Backend, at time.Time) SyncResult {
	t.Helper()
	res, err := w.Sync(context.Background(), be, SyncOptions{Now: func() time.Time { return at }})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

// payFrom funds the wallet with one confirmed coin and pays 20,000 sat of it to a foreign
// address through be, as send does: plan, sign, broadcast, record.
func payFrom(t *testing.T, w *Wallet, c *chaintest.Chain, be chain.Backend) *wire.MsgTx {
	t.Helper()
	return payFromFunding(t, w, c, be, chaintest.Pay(1, out(100_000, script(t, w, 0, 0))))
}

// payFromFunding is payFrom with the funding transaction given (mined first).
func payFromFunding(t *testing.T, w *Wallet, c *chaintest.Chain, be chain.Backend, funding *wire.MsgTx) *wire.MsgTx {
	t.Helper()
	c.Mine(1, funding)
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
	if _, err := w.Broadcast(context.Background(), be, m, "", t0); err != nil {
		t.Fatal(err)
	}
	return m
}

func statusOf(t *testing.T, w *Wallet, id chainhash.Hash) string {
	t.Helper()
	h, err := w.History(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range h {
		if e.TxID == id {
			return e.Status
		}
	}
	return "absent"
}

// issue 17: a server that hides a payment of ours (here one that even confirmed) must not undo
// it: its coins stay spent, the balance does not go up, and it stays pending for days.
func TestHiddenPaymentStaysSpentAndCounted(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	l := &lyingChain{Chain: c, hide: map[chainhash.Hash]bool{}}
	m := payFrom(t, w, c, l)
	before := mustBalance(t, w)
	c.Mine(1) // it confirms, and the server hides it
	l.hide[m.TxHash()] = true
	for _, later := range []time.Duration{time.Minute, 11 * time.Minute, 72 * time.Hour} {
		syncAt(t, w, l, t0.Add(later))
		if s := statusOf(t, w, m.TxHash()); s != "pending" {
			t.Fatalf("after %s hidden: status %s, want pending", later, s)
		}
		b := mustBalance(t, w)
		if b.Confirmed+b.Unconfirmed != before.Confirmed+before.Unconfirmed || b.Spendable > before.Spendable {
			t.Fatalf("after %s hidden: balance %+v, was %+v", later, b, before)
		}
	}
	us, err := w.Utxos()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.OutPoint == m.TxIn[0].PreviousOutPoint {
			t.Fatalf("the hidden payment's coin %s is spendable again", u.OutPoint)
		}
	}
	// Spending caps count it: a plan over the daily cap is refused.
	spent, err := w.spentSince(t0.Add(-time.Hour), nil, chainhash.Hash{})
	if err != nil || spent <= 20_000 {
		t.Fatalf("caps count %d sat sent today (%v), want the hidden 20,000 and its fee", spent, err)
	}
}

// Only a confirmed transaction spending one of its inputs makes a payment of ours conflicted; a
// conflicting one a server shows in its mempool does not.
func TestPaymentConflictedOnlyByAConfirmedSpend(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	l := &lyingChain{Chain: c, hide: map[chainhash.Hash]bool{}}
	m := payFrom(t, w, c, l)
	c.RemoveMempool(m.TxHash())
	other := wire.NewMsgTx(2)
	other.AddTxIn(wire.NewTxIn(&m.TxIn[0].PreviousOutPoint, nil, nil))
	other.AddTxOut(out(99_000, foreignWPKH))
	c.AddMempool(other)
	syncAt(t, w, l, t0.Add(time.Hour))
	if s := statusOf(t, w, m.TxHash()); s != "pending" {
		t.Fatalf("with a pending conflict: status %s, want pending", s)
	}
	c.Mine(1)
	syncAt(t, w, l, t0.Add(2*time.Hour))
	if s := statusOf(t, w, m.TxHash()); s != "conflicted" {
		t.Fatalf("with a confirmed conflict: status %s, want conflicted", s)
	}
}

// A server that answers "sent" and never relays: sync sees the payment missing and sends it
// again, at most hourly by the wallet's clock.
func TestDroppedBroadcastIsRebroadcast(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	l := &lyingChain{Chain: c, hide: map[chainhash.Hash]bool{}, drop: true}
	m := payFrom(t, w, c, l)
	if len(l.dropped) != 1 {
		t.Fatalf("dropped %v", l.dropped)
	}
	res := syncAt(t, w, l, t0.Add(time.Minute))
	if len(res.Rebroadcast) != 1 || res.Rebroadcast[0] != m.TxHash() {
		t.Fatalf("rebroadcast %v, want %s", res.Rebroadcast, m.TxHash())
	}
	if res := syncAt(t, w, l, t0.Add(30*time.Minute)); len(res.Rebroadcast) != 0 {
		t.Fatalf("rebroadcast again within the hour: %v", res.Rebroadcast)
	}
	l.drop = false
	res = syncAt(t, w, l, t0.Add(62*time.Minute))
	if len(res.Rebroadcast) != 1 {
		t.Fatalf("no rebroadcast after an hour: %v", res.Rebroadcast)
	}
	syncAt(t, w, l, t0.Add(63*time.Minute))
	if s := statusOf(t, w, m.TxHash()); s != "pending" {
		t.Fatalf("status %s", s)
	}
	c.Mine(1)
	if res := syncAt(t, w, l, t0.Add(3*time.Hour)); len(res.Rebroadcast) != 0 || statusOf(t, w, m.TxHash()) != "confirmed" {
		t.Fatalf("after a block: rebroadcast %v, status %s", res.Rebroadcast, statusOf(t, w, m.TxHash()))
	}
}

// A server that hides both a payer's transaction and our payment spending it: the payment stays
// counted (hiding its parent must not undo it through the parent), and so does the parent.
func TestHiddenParentOfOurPaymentStays(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	l := &lyingChain{Chain: c, hide: map[chainhash.Hash]bool{}}
	payer := chaintest.Pay(9, out(300_000, foreignWPKH))
	c.Mine(1, payer)
	ph := payer.TxHash()
	funding := wire.NewMsgTx(2)
	funding.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&ph, 0), nil, nil))
	funding.AddTxOut(out(100_000, script(t, w, 0, 0)))
	funding.AddTxOut(out(199_000, foreignWPKH))
	m := payFromFunding(t, w, c, l, funding)
	parent := funding.TxHash()
	c.Mine(1)
	syncAt(t, w, l, t0.Add(time.Minute))
	before := mustBalance(t, w)
	l.hide[parent], l.hide[m.TxHash()] = true, true
	syncAt(t, w, l, t0.Add(2*time.Hour))
	if s := statusOf(t, w, m.TxHash()); s != "pending" {
		t.Fatalf("our payment: %s, want pending", s)
	}
	if s := statusOf(t, w, parent); s != "pending" {
		t.Fatalf("the payer's transaction our payment spends: %s, want pending", s)
	}
	spent, err := w.spentSince(t0.Add(-time.Hour), nil, chainhash.Hash{})
	if err != nil || spent <= 20_000 {
		t.Fatalf("caps count %d (%v), want the hidden payment", spent, err)
	}
	if b := mustBalance(t, w); b.Confirmed+b.Unconfirmed != before.Confirmed+before.Unconfirmed {
		t.Fatalf("balance %+v, was %+v", b, before)
	}
}
