package wallet

import (
	"path/filepath"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// scannedSpendable is Balance's spendable amount added up coin by coin, as it was before the
// summary kept it.
func scannedSpendable(t *testing.T, w *Wallet) int64 {
	t.Helper()
	var got int64
	err := w.st.View(func(tx *store.Txn) error {
		tip := int32(0)
		if s, err := tx.SyncState(); err == nil {
			tip = s.Height
		}
		var err error
		got, err = scanSpendable(tx, tip)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Balance reads the spendable amount from the summary recompute writes, minus the frozen coins,
// and gets what adding up the coins gets: with coins frozen and thawed, with a young coinbase
// and after it matures, and from a summary written before it kept the amount.
func TestBalanceSummaryIsTheCoins(t *testing.T) {
	w := newWallet(t, txbuilder.P2TR, false)
	c := chaintest.New()
	c.Mine(1, chaintest.Coinbase(script(t, w, 0, 0), 5_000_000_000, 7))
	mined := c.Height()
	for i := uint32(1); i <= 6; i++ {
		c.Mine(1, chaintest.Pay(i, out(int64(10_000*i), script(t, w, 0, i))))
	}
	mustSync(t, w, c, 0)
	check := func(when string, want int64) {
		t.Helper()
		b := mustBalance(t, w)
		if scan := scannedSpendable(t, w); b.Spendable != scan || b.Spendable != want {
			t.Fatalf("%s: Balance says %d spendable, the coins add up to %d, want %d", when, b.Spendable, scan, want)
		}
	}
	payments := int64(10_000 * (1 + 2 + 3 + 4 + 5 + 6))
	check("young coinbase", payments)

	us, err := w.Utxos()
	if err != nil {
		t.Fatal(err)
	}
	freeze := func(value int64, frozen bool) {
		t.Helper()
		for _, u := range us {
			if u.Value == value {
				if err := w.SetFrozen(u.OutPoint, frozen); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no coin of %d sat", value)
	}
	freeze(10_000, true)
	freeze(20_000, true)
	freeze(30_000, true)
	check("three coins frozen", payments-60_000)
	freeze(10_000, false)
	check("one thawed", payments-50_000)

	c.Mine(int(mined + CoinbaseMaturity - 1 - c.Height()))
	mustSync(t, w, c, 0)
	check("coinbase mature", payments-50_000+5_000_000_000)

	// A summary from before it kept the amount: Balance adds the coins up.
	if err := w.st.Update(func(tx *store.Txn) error {
		s := readSummary(tx)
		s.Spendable, s.SpendableTip = 0, nil
		return putSummary(tx, s)
	}); err != nil {
		t.Fatal(err)
	}
	check("old summary", payments-50_000+5_000_000_000)
}

// A summary written at another height than the synced one (the coinbase maturity it counted
// may be wrong) is not trusted.
func TestBalanceSummaryFromAnotherHeightIsNotUsed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	populate(t, dir, 50)
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	want := mustBalance(t, w).Spendable
	if err := w.st.Update(func(tx *store.Txn) error {
		s := readSummary(tx)
		if s.SpendableTip == nil {
			t.Fatal("recompute wrote no spendable amount")
		}
		other := *s.SpendableTip - 1
		s.Spendable, s.SpendableTip = 1, &other
		return putSummary(tx, s)
	}); err != nil {
		t.Fatal(err)
	}
	if got := mustBalance(t, w).Spendable; got != want || want <= 0 {
		t.Fatalf("spendable %d, want %d", got, want)
	}
}
