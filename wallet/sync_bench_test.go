package wallet

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

// BenchmarkSyncBtcd1000 measures a first and a second (nothing new) sync of a wallet with 1,000
// transactions against a real btcd node, in time and round trips.
func BenchmarkSyncBtcd1000(b *testing.B) {
	n := regtest.Start(b)
	dir := filepath.Join(b.TempDir(), "regtest", "w")
	if _, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: txbuilder.P2TR,
		Mnemonic: []byte(abandon), Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}}); err != nil {
		b.Fatal(err)
	}
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	const txs = 1000
	for i := 0; i < txs; i++ {
		a, err := w.Receive("")
		if err != nil {
			b.Fatal(err)
		}
		n.Send(b, a.Address, txbuilder.Amount(1000+i))
		n.Mine(b, 1) // the harness faucet tracks its coins best when each send confirms
	}
	n.Mine(b, 1)
	opened, err := btcd.Open(context.Background(), n.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		b.Fatal(err)
	}
	be := opened.(*btcd.Backend)
	defer be.Close()
	b.ResetTimer()
	var first, second time.Duration
	var rtFirst, rtSecond int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// Forget what was synced, so every iteration makes a first sync again.
		w.Close()
		fresh := filepath.Join(b.TempDir(), "regtest", "w")
		if _, err := Create(context.Background(), CreateOptions{Dir: fresh, Network: "regtest", Type: txbuilder.P2TR,
			Mnemonic: []byte(abandon), Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}}); err != nil {
			b.Fatal(err)
		}
		if w, err = Open(fresh, "regtest", OpenOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rt0, t0 := be.RoundTrips(), time.Now()
		res, err := w.Sync(context.Background(), be, SyncOptions{})
		if err != nil || res.NewTransactions != txs {
			b.Fatalf("first sync: %+v %v", res, err)
		}
		first += time.Since(t0)
		rt1, t1 := be.RoundTrips(), time.Now()
		rtFirst += rt1 - rt0
		res, err = w.Sync(context.Background(), be, SyncOptions{})
		if err != nil || res.NewTransactions != 0 {
			b.Fatalf("second sync: %+v %v", res, err)
		}
		second += time.Since(t1)
		rtSecond += be.RoundTrips() - rt1
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "first-ms")
	b.ReportMetric(float64(second.Milliseconds())/float64(b.N), "second-ms")
	b.ReportMetric(float64(rtFirst)/float64(b.N), "first-roundtrips")
	b.ReportMetric(float64(rtSecond)/float64(b.N), "second-roundtrips")
}
