package wallet

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// A conflicted transaction no longer counts: it sinks below the payments newer than it
// instead of staying on top with the pending ones.
func TestHistoryConflictedSinksBelowNewerRows(t *testing.T) {
	// The wallet's clock sits between the fake chain's blocks (10 minutes apart from
	// 1700000000), as a real wallet's clock sits among real block times.
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	if _, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: txbuilder.P2TR,
		Mnemonic: []byte(abandon), Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}}); err != nil {
		t.Fatal(err)
	}
	c := chaintest.New()
	now := func() time.Time { return time.Unix(1700000000+int64(c.Height())*600+60, 0) }
	w, err := Open(dir, "regtest", OpenOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sync := func() {
		t.Helper()
		if _, err := w.Sync(context.Background(), c, SyncOptions{Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	funding := chaintest.Pay(1, out(100_000, []byte{0x51}))
	c.Mine(1, funding)
	payOurs := wire.NewMsgTx(2)
	fh := funding.TxHash()
	payOurs.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&fh, 0), nil, nil))
	payOurs.AddTxOut(out(90_000, script(t, w, 0, 0)))
	c.Mine(1, payOurs)
	sync()
	c.Disconnect(1)
	c.RemoveMempool(payOurs.TxHash())
	double := wire.NewMsgTx(2)
	double.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&fh, 0), nil, nil))
	double.AddTxOut(out(95_000, []byte{0x52}))
	c.Mine(2, double)
	// A later payment that does count.
	later := chaintest.Pay(2, out(7_000, script(t, w, 0, 1)))
	c.Mine(3, later)
	sync()

	h, err := w.History(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].TxID != later.TxHash() || h[1].Status != "conflicted" {
		for _, e := range h {
			t.Logf("%s %s %s", e.TxID, e.Status, e.Time)
		}
		t.Fatalf("history order: want the later payment first, the conflicted one below")
	}
	// Offset and limit count the rows in that order.
	one, _ := w.History(1, 1)
	if len(one) != 1 || one[0].Status != "conflicted" {
		t.Fatalf("History(1, 1) = %+v", one)
	}
}

func TestImmatureCoinbaseMarked(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	cb := chaintest.Coinbase(script(t, w, 0, 0), 5_000_000_000, 7)
	c.Mine(1, cb)
	mined := c.Height()
	c.Mine(9)
	mustSync(t, w, c, 0)
	us, err := w.Utxos()
	if err != nil || len(us) != 1 {
		t.Fatalf("utxos %v %v", us, err)
	}
	if u := us[0]; !u.Immature || u.Spendable || u.MatureHeight != mined+CoinbaseMaturity-1 {
		t.Fatalf("young coinbase: %+v, want immature until %d", u, mined+CoinbaseMaturity-1)
	}
	h, _ := w.History(0, 0)
	if len(h) != 1 || !h[0].Immature || h[0].MatureHeight != mined+CoinbaseMaturity-1 {
		t.Fatalf("history: %+v", h)
	}
	// At the mature height it is spendable and no longer marked.
	c.Mine(int(mined + CoinbaseMaturity - 1 - c.Height()))
	mustSync(t, w, c, 0)
	us, _ = w.Utxos()
	if u := us[0]; u.Immature || !u.Spendable {
		t.Fatalf("at height %d: %+v", c.Height(), u)
	}
	if h, _ := w.History(0, 0); h[0].Immature {
		t.Fatal("history still says immature")
	}
}

// Utxos lists coins largest first, equal values by outpoint (txid bytes, then index), as the
// utxos command and coin selection's tables show them.
func TestUtxosOrder(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	s0, s1 := script(t, w, 0, 0), script(t, w, 0, 1)
	a := chaintest.Pay(1, wire.NewTxOut(3_000, s0), wire.NewTxOut(9_000, s1), wire.NewTxOut(3_000, s1))
	b := chaintest.Pay(2, wire.NewTxOut(3_000, s0), wire.NewTxOut(50_000, s0))
	c.Mine(1, a, b)
	mustSync(t, w, c, 0)
	us, err := w.Utxos()
	if err != nil || len(us) != 5 {
		t.Fatalf("utxos %v %v", us, err)
	}
	for i := 1; i < len(us); i++ {
		x, y := us[i-1], us[i]
		if x.Value < y.Value {
			t.Fatalf("coin %d (%d sat) before a larger one (%d sat)", i-1, x.Value, y.Value)
		}
		if x.Value == y.Value {
			c := bytes.Compare(x.OutPoint.Hash[:], y.OutPoint.Hash[:])
			if c > 0 || c == 0 && x.OutPoint.Index > y.OutPoint.Index {
				t.Fatalf("equal coins out of outpoint order: %v before %v", x.OutPoint, y.OutPoint)
			}
		}
	}
	if us[0].Value != 50_000 || us[1].Value != 9_000 || us[4].Value != 3_000 {
		t.Fatalf("order %d %d ... %d", us[0].Value, us[1].Value, us[4].Value)
	}
}
