package p2p

import (
	"errors"
	"testing"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/btcutil/v2/gcs/builder"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// testBlock is a block of a coinbase and a P2WPKH spend, with a correct merkle root.
func testBlock(t *testing.T) *wire.MsgBlock {
	t.Helper()
	cb := wire.NewMsgTx(2)
	cb.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex}, SignatureScript: []byte{1, 2}})
	cb.AddTxOut(wire.NewTxOut(50, append([]byte{0, 20}, make([]byte, 20)...)))
	cb.AddTxOut(wire.NewTxOut(0, []byte{0x6a, 1, 7})) // OP_RETURN: not in filters
	spend := wire.NewMsgTx(2)
	key := append([]byte{2}, make([]byte, 32)...)
	spend.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Hash: chainhash.Hash{5}}, Witness: wire.TxWitness{{1}, key}})
	spend.AddTxOut(wire.NewTxOut(40, append([]byte{0x51, 32}, make([]byte, 32)...)))
	blk := &wire.MsgBlock{Header: wire.BlockHeader{Version: 4}, Transactions: []*wire.MsgTx{cb, spend}}
	// The witness commitment (BIP141): an OP_RETURN of the witness merkle root and the nonce.
	cb.TxIn[0].Witness = wire.TxWitness{make([]byte, 32)}
	wroot := blockchain.CalcMerkleRoot([]*btcutil.Tx{btcutil.NewTx(cb), btcutil.NewTx(spend)}, true)
	commit := chainhash.DoubleHashB(append(wroot[:], make([]byte, 32)...))
	cb.AddTxOut(wire.NewTxOut(0, append([]byte{0x6a, 36, 0xaa, 0x21, 0xa9, 0xed}, commit...)))
	blk.Header.MerkleRoot = blockMerkle(blk)
	return blk
}

func blockMerkle(blk *wire.MsgBlock) chainhash.Hash {
	a, b := blk.Transactions[0].TxHash(), blk.Transactions[1].TxHash()
	var buf [64]byte
	copy(buf[:32], a[:])
	copy(buf[32:], b[:])
	return chainhash.DoubleHashH(buf[:])
}

func TestFilterHeadersChainLikeBIP157(t *testing.T) {
	blk := testBlock(t)
	prevScript := p2wpkhPrevScript(blk.Transactions[1].TxIn[0])
	f, err := builder.BuildBasicFilter(blk, [][]byte{prevScript})
	if err != nil {
		t.Fatal(err)
	}
	data, err := f.NBytes()
	if err != nil {
		t.Fatal(err)
	}
	prev := chainhash.Hash{7}
	want, err := builder.MakeHeaderForFilter(f, prev)
	if err != nil {
		t.Fatal(err)
	}
	if got := filterHeaderOf(data, prev); got != want {
		t.Fatalf("filter header %s, btcutil says %s", got, want)
	}
	h := chainhash.DoubleHashH(data)
	if got := filterHeaders(prev, []*chainhash.Hash{&h, &h}); got[0] != want || got[1] == want {
		t.Fatalf("chained headers %v", got)
	}
}

func TestFilterAgainstBlock(t *testing.T) {
	blk := testBlock(t)
	prevScript := p2wpkhPrevScript(blk.Transactions[1].TxIn[0])
	honest, err := builder.BuildBasicFilter(blk, [][]byte{prevScript})
	if err != nil {
		t.Fatal(err)
	}
	// A filter built without the spent script leaves out what the witness reveals.
	noPrev, err := builder.BuildBasicFilter(blk, nil)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := parseFilter([]byte{0})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data func() []byte
		ok   bool
	}{
		{"the block's own filter", func() []byte { d, _ := honest.NBytes(); return d }, true},
		{"without the spent P2WPKH script", func() []byte { d, _ := noPrev.NBytes(); return d }, false},
		{"empty", func() []byte { d, _ := empty.NBytes(); return d }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseFilter(tc.data())
			if err != nil {
				t.Fatal(err)
			}
			err = checkFilterAgainstBlock(f, blk)
			if tc.ok != (err == nil) || (err != nil && !errors.Is(err, errBadFilter)) {
				t.Fatalf("error %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestCheckBlock(t *testing.T) {
	blk := testBlock(t)
	if err := checkBlock(blk, blk.BlockHash()); err != nil {
		t.Fatalf("a good block refused: %v", err)
	}
	other := testBlock(t)
	other.Transactions[1].TxOut[0].Value = 39 // not what the header commits to
	if err := checkBlock(other, blk.BlockHash()); !errors.Is(err, errBadBlock) {
		t.Fatalf("a block with a changed transaction: %v", err)
	}
	if err := checkBlock(blk, chainhash.Hash{1}); !errors.Is(err, errBadBlock) {
		t.Fatalf("a block that is not the one asked for: %v", err)
	}
}
