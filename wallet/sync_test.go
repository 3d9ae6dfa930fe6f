package wallet

import (
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

func TestSyncPendingThenConfirmed(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	c.Mine(5)
	pay := chaintest.Pay(1, out(50_000, script(t, w, 0, 0)), out(7_000, script(t, w, 0, 3)))
	c.AddMempool(pay)
	res := mustSync(t, w, c, 0)
	if res.NewTransactions != 1 || res.Height != 5 {
		t.Fatalf("sync = %+v, want 1 new tx at height 5", res)
	}
	b := mustBalance(t, w)
	if b.Confirmed != 0 || b.Unconfirmed != 57_000 || b.Spendable != 0 {
		t.Fatalf("pending balance = %+v, want unconfirmed 57000 and nothing spendable (not our own change)", b)
	}
	c.Mine(1)
	mustSync(t, w, c, 0)
	b = mustBalance(t, w)
	if b.Confirmed != 57_000 || b.Unconfirmed != 0 || b.Spendable != 57_000 {
		t.Fatalf("confirmed balance = %+v", b)
	}
	h, err := w.History(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].Amount != 57_000 || h[0].Status != "confirmed" || h[0].Confirmations != 1 || h[0].Fee != -1 {
		t.Fatalf("history = %+v", h)
	}
	us, err := w.Utxos()
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Value != 50_000 || us[1].Value != 7_000 || us[1].Path != "m/86h/1h/0h/0/3" {
		t.Fatalf("utxos = %+v", us)
	}
}

func TestSyncGapLimit(t *testing.T) {
	for _, tc := range []struct {
		name    string
		indexes []uint32
		gap     int
		want    int64
	}{
		{"last address inside the gap", []uint32{19}, 20, 1000},
		{"first address past the gap is missed", []uint32{20}, 20, 0},
		{"a used address moves the window", []uint32{15, 34}, 20, 2000},
		{"a wider gap finds it", []uint32{40}, 41, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWallet(t, txbuilder.P2WPKH, false)
			c := chaintest.New()
			for i, idx := range tc.indexes {
				c.Mine(1, chaintest.Pay(uint32(i), out(1000, script(t, w, 0, idx))))
			}
			mustSync(t, w, c, tc.gap)
			if b := mustBalance(t, w); b.Confirmed != tc.want {
				t.Fatalf("confirmed = %d, want %d", b.Confirmed, tc.want)
			}
		})
	}
}

func TestSyncCoinbaseMaturity(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	c.Mine(1, chaintest.Coinbase(script(t, w, 0, 0), 50_0000_0000, 1))
	c.Mine(98)
	mustSync(t, w, c, 0)
	b := mustBalance(t, w)
	if b.Immature != 50_0000_0000 || b.Confirmed != 0 || b.Spendable != 0 {
		t.Fatalf("at 99 confirmations: %+v", b)
	}
	c.Mine(1)
	mustSync(t, w, c, 0)
	b = mustBalance(t, w)
	if b.Immature != 0 || b.Confirmed != 50_0000_0000 || b.Spendable != 50_0000_0000 {
		t.Fatalf("at 100 confirmations: %+v", b)
	}
}

func TestSyncIncrementalIsCheap(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	for i := 0; i < 30; i++ {
		c.Mine(1, chaintest.Pay(uint32(i), out(1000+int64(i), script(t, w, 0, uint32(i)))))
	}
	first := mustSync(t, w, c, 0)
	if first.NewTransactions != 30 {
		t.Fatalf("first sync found %d transactions, want 30", first.NewTransactions)
	}
	c.ResetCalls()
	second := mustSync(t, w, c, 0)
	if second.NewTransactions != 0 {
		t.Fatalf("second sync found %d new transactions", second.NewTransactions)
	}
	total := 0
	for _, n := range c.Calls {
		total += n
	}
	if c.Calls["Transactions"] != 0 || c.Calls["ScriptHistories"] != 1 || total > 4 {
		t.Fatalf("second sync made calls %v, want one history batch, no transaction fetch, at most 4 calls", c.Calls)
	}
}

func TestSyncReorgBackToPendingThenConfirmed(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	c.Mine(3)
	c.Mine(1, chaintest.Pay(1, out(9000, script(t, w, 0, 0))))
	mustSync(t, w, c, 0)
	if b := mustBalance(t, w); b.Confirmed != 9000 {
		t.Fatalf("before reorg: %+v", b)
	}
	c.Disconnect(1) // the block leaves the best chain; its tx returns to the mempool
	c.Mine(0)
	mustSync(t, w, c, 0)
	b := mustBalance(t, w)
	if b.Confirmed != 0 || b.Unconfirmed != 9000 {
		t.Fatalf("after reorg: %+v, want the payment pending", b)
	}
	h, _ := w.History(0, 0)
	if h[0].Status != "pending" {
		t.Fatalf("status after reorg = %s", h[0].Status)
	}
	c.Mine(2)
	mustSync(t, w, c, 0)
	if b := mustBalance(t, w); b.Confirmed != 9000 || b.Unconfirmed != 0 {
		t.Fatalf("after reconfirming: %+v", b)
	}
}

func TestSyncConflictedByCompetingBranch(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	// The payer's coin.
	funding := chaintest.Pay(1, out(100_000, []byte{0x51}))
	c.Mine(1, funding)
	payOurs := wire.NewMsgTx(2)
	fh := funding.TxHash()
	payOurs.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&fh, 0), nil, nil))
	payOurs.AddTxOut(out(90_000, script(t, w, 0, 0)))
	c.Mine(1, payOurs)
	mustSync(t, w, c, 0)
	if b := mustBalance(t, w); b.Confirmed != 90_000 {
		t.Fatalf("before: %+v", b)
	}
	// A competing branch where the payer spent the same coin elsewhere.
	c.Disconnect(1)
	c.RemoveMempool(payOurs.TxHash())
	double := wire.NewMsgTx(2)
	double.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&fh, 0), nil, nil))
	double.AddTxOut(out(95_000, []byte{0x52}))
	c.Mine(2, double)
	mustSync(t, w, c, 0)
	b := mustBalance(t, w)
	if b.Confirmed != 0 || b.Unconfirmed != 0 || b.Spendable != 0 {
		t.Fatalf("after double spend: %+v, want nothing", b)
	}
	h, _ := w.History(0, 0)
	if len(h) != 1 || h[0].Status != "conflicted" {
		t.Fatalf("history = %+v", h)
	}
}

func TestRestoredWalletAdoptsOtherPaths(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, true)
	c := chaintest.New()
	c.Mine(1, chaintest.Pay(1, out(12_345, otherScript(t, w, keys.BIP84, 0, 2))))
	c.Mine(1, chaintest.Pay(2, out(5_000, otherScript(t, w, keys.BIP44, 1, 0))))
	res := mustSync(t, w, c, 0)
	if len(res.Adopted) != 2 {
		t.Fatalf("adopted = %v, want BIP84 and BIP44", res.Adopted)
	}
	if b := mustBalance(t, w); b.Confirmed != 17_345 || b.Spendable != 17_345 {
		t.Fatalf("balance = %+v", b)
	}
	if n := len(w.Descriptors()); n != 3 {
		t.Fatalf("descriptors in use = %d, want 3 (tr, wpkh, pkh)", n)
	}
	// A created (not restored) wallet does not look elsewhere.
	w2 := newWallet(t, txbuilder.P2TR, false)
	mustSync(t, w2, c, 0)
	if b := mustBalance(t, w2); b.Confirmed != 0 {
		t.Fatalf("created wallet found %d on other paths", b.Confirmed)
	}
}

func TestReceiveSkipsUsedAndWarnsPastGap(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	c.Mine(1, chaintest.Pay(1, out(1000, script(t, w, 0, 0))), chaintest.Pay(2, out(1000, script(t, w, 0, 1))))
	mustSync(t, w, c, 0)
	a, err := w.Receive("")
	if err != nil {
		t.Fatal(err)
	}
	if a.Index != 2 {
		t.Fatalf("first receive after funds on 0 and 1 = index %d, want 2", a.Index)
	}
	var last Address
	for i := 0; i < 20; i++ {
		if last, err = w.Receive(""); err != nil {
			t.Fatal(err)
		}
	}
	if last.Index != 22 || !last.BeyondGap {
		t.Fatalf("22nd address = %+v, want index 22 flagged beyond the gap (last used 1, gap 20)", last)
	}
}
