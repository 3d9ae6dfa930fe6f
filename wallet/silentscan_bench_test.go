package wallet

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// syntheticBlock is a mainnet-sized block as the btcd backend hands it to the scanner: 3,000
// transactions, of which 2,000 spend two P2WPKH coins and pay two taproot outputs (so BIP352
// has them checked) and 1,000 pay only P2WPKH (which never reach the scanner). None pays the
// wallet, the common case, so every eligible transaction costs the full check.
func syntheticBlock(b *testing.B, seed uint32) (all []*wire.MsgTx, prev map[*wire.MsgTx][][]byte) {
	b.Helper()
	keys := make([]*btcec.PublicKey, 512)
	for i := range keys {
		var s [32]byte
		binary.BigEndian.PutUint32(s[:], seed*1000+uint32(i)+1)
		s[31] = 1
		_, keys[i] = btcec.PrivKeyFromBytes(s[:])
	}
	wpkh := append([]byte{0x00, 0x14}, make([]byte, 20)...)
	prev = map[*wire.MsgTx][][]byte{}
	for i := 0; i < 3000; i++ {
		tx := wire.NewMsgTx(2)
		for j := 0; j < 2; j++ {
			var h chainhash.Hash
			binary.BigEndian.PutUint32(h[:], seed)
			binary.BigEndian.PutUint32(h[4:], uint32(i*2+j))
			k := keys[(i*2+j)%len(keys)]
			tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: h, Index: uint32(j)}, nil,
				wire.TxWitness{make([]byte, 71), k.SerializeCompressed()}))
		}
		if i%3 != 2 {
			for j := 0; j < 2; j++ {
				x := schnorr.SerializePubKey(keys[(i*7+j*13)%len(keys)])
				tx.AddTxOut(wire.NewTxOut(10_000, append([]byte{0x51, 0x20}, x...)))
			}
		}
		tx.AddTxOut(wire.NewTxOut(5_000, wpkh))
		all = append(all, tx)
		prev[tx] = [][]byte{wpkh, wpkh}
	}
	return all, prev
}

// BenchmarkSilentScanBlock scans synthetic mainnet-sized blocks the way sync does (the
// taproot filter of the btcd backend, then scanSilentTxs over all cores), with the change
// label and the 20 look-ahead labels a fresh wallet scans for. It reports blocks/s and tx/s;
// a day of mainnet is 144 blocks. Fetching blocks from the node is not included.
func BenchmarkSilentScanBlock(b *testing.B) {
	scan, _ := btcec.PrivKeyFromBytes([]byte("satchel silent scan bench key 01"))
	_, spend := btcec.PrivKeyFromBytes([]byte("satchel silent spend bench key 1"))
	labels := make([]uint32, SilentLabelGap)
	for i := range labels {
		labels[i] = uint32(i + 1)
	}
	sc, err := silentpay.NewScanner(scan, spend, labels...)
	if err != nil {
		b.Fatal(err)
	}
	all, prev := syntheticBlock(b, 1)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var txs []chain.ScanTx
		for _, tx := range all {
			if chain.HasTaprootOutput(tx) {
				txs = append(txs, chain.ScanTx{Tx: tx, PrevScripts: prev[tx]})
			}
		}
		if _, err := scanSilentTxs(ctx, sc, 1, txs); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "blocks/s")
	b.ReportMetric(float64(b.N*len(all))/sec, "tx/s")
	b.ReportMetric(144*sec/float64(b.N), "s/144blocks")
}
