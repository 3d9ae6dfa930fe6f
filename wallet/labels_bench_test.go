package wallet

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/bip329"
)

// labelFile is a BIP329 file of n transaction labels, as another wallet would export it.
func labelFile(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		id := chainhash.DoubleHashH([]byte(fmt.Sprint("tx", i)))
		fmt.Fprintf(&b, "{\"type\":\"tx\",\"ref\":\"%s\",\"label\":\"coffee %d\"}\n", id, i)
	}
	return b.Bytes()
}

// BenchmarkLabels times a big BIP329 round trip: parsing the file, importing it into the
// store (one write transaction), and exporting the store's labels again.
// BENCHMARKS.md, "Labels": go test ./wallet -run '^$' -bench Labels -benchtime 3x -count 5
func BenchmarkLabels(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		file := labelFile(n)
		b.Run(fmt.Sprintf("parse/%dk", n/1000), func(b *testing.B) {
			for b.Loop() {
				recs, err := bip329.Parse(bytes.NewReader(file))
				if err != nil || len(recs) != n {
					b.Fatalf("parse: %d records, %v", len(recs), err)
				}
			}
		})
		recs, err := bip329.Parse(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("import/%dk", n/1000), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				w := newWallet(b, txbuilder.P2WPKH, false)
				b.StartTimer()
				res, err := w.ImportLabels(recs)
				if err != nil || res.Records != n {
					b.Fatalf("import: %+v, %v", res, err)
				}
			}
		})
		w := newWallet(b, txbuilder.P2WPKH, false)
		if _, err := w.ImportLabels(recs); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("export/%dk", n/1000), func(b *testing.B) {
			for b.Loop() {
				out, err := w.LabelRecords()
				if err != nil || len(out) < n {
					b.Fatalf("export: %d records, %v", len(out), err)
				}
			}
		})
	}
}
