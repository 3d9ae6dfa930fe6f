package btcd_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

// BenchmarkScriptHistories100 syncs 100 P2WPKH scripts, half with one confirmed transaction,
// against a local node; it reports HTTP round trips per sync next to the time.
func BenchmarkScriptHistories100(b *testing.B) {
	node := regtest.Start(b)
	be := dial(b, node)
	scripts, outs := make([][]byte, 100), []regtest.Output{}
	for i := range scripts {
		k := regtest.NewKey("bench "+strconv.Itoa(i), txbuilder.P2WPKH)
		scripts[i] = k.PkScript
		if i%2 == 0 {
			outs = append(outs, regtest.Output{Address: k.Address, Amount: 1_000})
		}
	}
	node.SendMany(b, outs)
	node.Mine(b, 1)
	ctx := context.Background()
	before := be.RoundTrips()
	for b.Loop() {
		if _, err := be.ScriptHistories(ctx, scripts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(be.RoundTrips()-before)/float64(b.N), "roundtrips/op")
}

// BenchmarkDial is the cost of connecting and checking a node.
func BenchmarkDial(b *testing.B) {
	node := regtest.Start(b, regtest.WithBlocks(1))
	for b.Loop() {
		be, err := btcd.Open(context.Background(), node.URL(), chain.Options{Net: regtest.Net})
		if err != nil {
			b.Fatal(err)
		}
		be.Close()
	}
}
