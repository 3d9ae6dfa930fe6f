package electrum

import (
	"context"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// BenchmarkScriptHistories1000 asks for the histories of 1,000 scripts (10 of them used) over
// loopback from the test server, batched (4 messages of up to 250) and one request per script.
// It reports round trips (messages sent) per call.
//
//	go test ./wallet/chain/electrum -run '^$' -bench ScriptHistories1000 -count 5
func BenchmarkScriptHistories1000(b *testing.B) {
	for _, bc := range []struct {
		name    string
		noBatch bool
	}{{"batched", false}, {"unbatched", true}} {
		b.Run(bc.name, func(b *testing.B) {
			c := chaintest.New()
			s := electrumtest.Start(b, c)
			scripts := make([][]byte, 1000)
			for i := range scripts {
				scripts[i] = script(i)
			}
			s.Watch(scripts...)
			for i := 0; i < 10; i++ {
				pay(c, scripts[i*100], 2, 1, uint32(i*10))
			}
			cl, err := dial(context.Background(), s.URL(), paramsFor(b, c), options{NoBatch: bc.noBatch})
			if err != nil {
				b.Fatal(err)
			}
			defer cl.Close()
			ctx := context.Background()
			start := cl.RoundTrips()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				h, err := cl.ScriptHistories(ctx, scripts)
				if err != nil || len(h[0]) != 2 {
					b.Fatalf("histories: %v", err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cl.RoundTrips()-start)/float64(b.N), "roundtrips/op")
		})
	}
}
