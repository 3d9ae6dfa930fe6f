package ur

import (
	"bytes"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// psbt20 is an unsigned PSBT of 20 P2WPKH inputs with witness_utxo and BIP32 derivations, the
// size a hardware signer gets for a consolidation (2,773 bytes).
func psbt20(b *testing.B) []byte {
	b.Helper()
	tx := wire.NewMsgTx(2)
	for i := range 20 {
		tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.HashH([]byte{byte(i)}), Index: uint32(i)}, nil, nil))
	}
	tx.AddTxOut(wire.NewTxOut(1_000_000, append([]byte{0, 20}, bytes.Repeat([]byte{7}, 20)...)))
	p, err := psbt.NewFromUnsignedTx(tx)
	if err != nil {
		b.Fatal(err)
	}
	for i := range p.Inputs {
		_, pub := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{byte(i + 1)}, 32))
		p.Inputs[i].WitnessUtxo = wire.NewTxOut(100_000, append([]byte{0, 20}, chainhash.HashB(pub.SerializeCompressed())[:20]...))
		p.Inputs[i].Bip32Derivation = []*psbt.Bip32Derivation{{PubKey: pub.SerializeCompressed(), MasterKeyFingerprint: 1,
			Bip32Path: []uint32{84 | 1<<31, 1<<31 | 1, 1 << 31, 0, uint32(i)}}}
	}
	var buf bytes.Buffer
	if err := p.Serialize(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkEncodePSBT20 makes what psbt show --qr prints for the 20-input PSBT: fragments of
// 200 bytes, 1.5 times as many parts as fragments.
func BenchmarkEncodePSBT20(b *testing.B) {
	raw := psbt20(b)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		e, err := EncodePSBT(raw, 200)
		if err != nil {
			b.Fatal(err)
		}
		for range (e.SeqLen()*3 + 1) / 2 {
			_ = e.NextPart()
		}
	}
}

// BenchmarkDecodePSBT20 reads the 20-input PSBT back: from its fragments in order, and from
// fountain parts only (every part a mix, the decoder's hardest case), fragments of 200 bytes.
func BenchmarkDecodePSBT20(b *testing.B) {
	raw := psbt20(b)
	for _, c := range []struct {
		name  string
		first uint32
	}{{"fragments", 0}, {"fountain", 1000}} {
		e, err := EncodePSBT(raw, 200)
		if err != nil {
			b.Fatal(err)
		}
		e.fe.seqNum = c.first
		var parts []string
		d := NewPSBTDecoder()
		for !d.Complete() {
			p := e.NextPart()
			parts = append(parts, p)
			if err := d.Receive(p); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				d := NewPSBTDecoder()
				for _, p := range parts {
					if err := d.Receive(p); err != nil {
						b.Fatal(err)
					}
				}
				if got, err := d.PSBT(); err != nil || len(got) != len(raw) {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(parts)), "parts")
		})
	}
}
