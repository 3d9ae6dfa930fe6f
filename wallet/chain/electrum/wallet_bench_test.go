package electrum_test

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// BenchmarkFirstSync1000 syncs a fresh wallet holding 1,000 confirmed payments (to 200
// addresses, ten per block over 100 blocks) through a new client, with the light-client checks
// on and off. roundtrips/op counts the messages of that first sync; again-roundtrips those of
// a second sync with nothing new, which the cache makes cost the same with the checks on.
//
//	go test ./wallet/chain/electrum -run '^$' -bench FirstSync1000 -benchtime 20x
func BenchmarkFirstSync1000(b *testing.B) {
	c, s := thousandPayments(b)
	ctx := context.Background()
	opts := wallet.SyncOptions{GapLimit: 20, Now: func() time.Time { return time.Unix(1800000000, 0) }}
	for _, bc := range []struct {
		name  string
		noSPV bool
	}{{"spv", false}, {"nospv", true}} {
		b.Run(bc.name, func(b *testing.B) {
			var trips, again int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := newWallet(b)
				be := dialOver(b, c, s, electrum.Options{NoSPV: bc.noSPV})
				start := be.RoundTrips()
				b.StartTimer()
				if _, err := w.Sync(ctx, be, opts); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				trips += be.RoundTrips() - start
				start = be.RoundTrips()
				if _, err := w.Sync(ctx, be, opts); err != nil {
					b.Fatal(err)
				}
				again += be.RoundTrips() - start
				if bal, _ := w.Balance(); bal.Confirmed != 1000*10_000+999*1000/2 {
					b.Fatalf("balance %+v", bal)
				}
				be.Close()
				w.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/op")
			b.ReportMetric(float64(again)/float64(b.N), "again-roundtrips")
		})
	}
}

// BenchmarkNextProcessSync1000 is the sync of a later process on the wallet of
// BenchmarkFirstSync1000, with nothing new on the chain: a new client on a wallet an earlier
// process synced, with and without the light-client cache folder that process left.
//
//	go test ./wallet/chain/electrum -run '^$' -bench NextProcessSync1000 -count 5
func BenchmarkNextProcessSync1000(b *testing.B) {
	c, s := thousandPayments(b)
	ctx := context.Background()
	opts := wallet.SyncOptions{GapLimit: 20, Now: func() time.Time { return time.Unix(1800000000, 0) }}
	for _, bc := range []struct {
		name  string
		cache bool
	}{{"cache", true}, {"nocache", false}} {
		b.Run(bc.name, func(b *testing.B) {
			dir := ""
			if bc.cache {
				dir = b.TempDir()
			}
			w := newWallet(b)
			defer w.Close()
			first := dialOver(b, c, s, electrum.Options{CacheDir: dir})
			if _, err := w.Sync(ctx, first, opts); err != nil {
				b.Fatal(err)
			}
			first.Close()
			var trips int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				be := dialOver(b, c, s, electrum.Options{CacheDir: dir})
				start := be.RoundTrips()
				b.StartTimer()
				if _, err := w.Sync(ctx, be, opts); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				trips += be.RoundTrips() - start
				be.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(trips)/float64(b.N), "roundtrips/op")
		})
	}
}

// thousandPayments is a chain holding 1,000 confirmed payments to the benchmark wallet (to 200
// addresses, ten per block over 100 blocks, six blocks on top) behind a test server watching
// its first 260 receive and change scripts.
func thousandPayments(b *testing.B) (*chaintest.Chain, *electrumtest.Server) {
	c := chaintest.New()
	sc := walletScripts(b, 260)
	for i := 0; i < 1000; i++ {
		c.AddMempool(chaintest.Pay(uint32(i), wire.NewTxOut(int64(10_000+i), sc[0][i%200])))
		if i%10 == 9 {
			c.Mine(1)
		}
	}
	c.Mine(6)
	s := electrumtest.Start(b, c)
	s.Watch(append(sc[0], sc[1]...)...)
	return c, s
}
