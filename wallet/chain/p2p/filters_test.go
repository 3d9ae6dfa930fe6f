package p2p

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/btcutil/v2/gcs/builder"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// testBlock is a block of a coinbase and a P2WPKH spend, with a correct merkle root.
func testBlock(t *testing.T) *wire.MsgBlock {
	t.Helper()
	return testBlockWith(t)
}

// testBlockWith is testBlock with more transactions after the spend.
func testBlockWith(t *testing.T, more ...*wire.MsgTx) *wire.MsgBlock {
	t.Helper()
	cb := wire.NewMsgTx(2)
	cb.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex}, SignatureScript: []byte{1, 2}})
	cb.AddTxOut(wire.NewTxOut(50, append([]byte{0, 20}, make([]byte, 20)...)))
	cb.AddTxOut(wire.NewTxOut(0, []byte{0x6a, 1, 7})) // OP_RETURN: not in filters
	spend := wire.NewMsgTx(2)
	key := append([]byte{2}, make([]byte, 32)...)
	spend.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Hash: chainhash.Hash{5}}, Witness: wire.TxWitness{{1}, key}})
	spend.AddTxOut(wire.NewTxOut(40, append([]byte{0x51, 32}, make([]byte, 32)...)))
	blk := &wire.MsgBlock{Header: wire.BlockHeader{Version: 4}, Transactions: append([]*wire.MsgTx{cb, spend}, more...)}
	// The witness commitment (BIP141): an OP_RETURN of the witness merkle root and the nonce.
	cb.TxIn[0].Witness = wire.TxWitness{make([]byte, 32)}
	wroot := blockchain.CalcMerkleRoot(utilTxs(blk), true)
	commit := chainhash.DoubleHashB(append(wroot[:], make([]byte, 32)...))
	cb.AddTxOut(wire.NewTxOut(0, append([]byte{0x6a, 36, 0xaa, 0x21, 0xa9, 0xed}, commit...)))
	blk.Header.MerkleRoot = blockchain.CalcMerkleRoot(utilTxs(blk), false)
	return blk
}

func utilTxs(blk *wire.MsgBlock) []*btcutil.Tx {
	out := make([]*btcutil.Tx, len(blk.Transactions))
	for i, tx := range blk.Transactions {
		out[i] = btcutil.NewTx(tx)
	}
	return out
}

// p2wpkhOf is the P2WPKH script of a public key.
func p2wpkhOf(key []byte) []byte {
	return append([]byte{txscript.OP_0, 20}, address.Hash160(key)...)
}

func TestFilterHeadersChainLikeBIP157(t *testing.T) {
	blk := testBlock(t)
	prevScript := p2wpkhOf(blk.Transactions[1].TxIn[0].Witness[1])
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
	prevScript := p2wpkhOf(blk.Transactions[1].TxIn[0].Witness[1])
	honest, err := builder.BuildBasicFilter(blk, [][]byte{prevScript})
	if err != nil {
		t.Fatal(err)
	}
	// The same block spending a P2WSH output whose witness script is 33 bytes starting with
	// 02: its witness looks like a P2WPKH spend, and its honest filter holds the P2WSH script.
	lookalike := testBlock(t)
	lookalike.Transactions[1].TxIn[0].Witness = wire.TxWitness{{1}, append([]byte{2, 0xe8, 3}, make([]byte, 30)...)}
	wsh := sha256.Sum256(lookalike.Transactions[1].TxIn[0].Witness[1])
	lookHonest, err := builder.BuildBasicFilter(lookalike, [][]byte{append([]byte{0, 32}, wsh[:]...)})
	if err != nil {
		t.Fatal(err)
	}
	// A filter built without the spent script: the block cannot prove what an input spent.
	noPrev, err := builder.BuildBasicFilter(blk, nil)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := parseFilter([]byte{0})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		block *wire.MsgBlock
		data  func() []byte
		ok    bool
	}{
		{"the block's own filter", blk, func() []byte { d, _ := honest.NBytes(); return d }, true},
		{"without the spent script", blk, func() []byte { d, _ := noPrev.NBytes(); return d }, true},
		{"a P2WSH spend that looks like P2WPKH", lookalike, func() []byte { d, _ := lookHonest.NBytes(); return d }, true},
		{"empty", blk, func() []byte { d, _ := empty.NBytes(); return d }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseFilter(tc.data())
			if err != nil {
				t.Fatal(err)
			}
			err = checkFilterAgainstBlock(f, tc.block)
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
	// CVE-2012-2459: of three transactions, the last repeated keeps the merkle root (and the
	// witness commitment, whose tree pairs the same way).
	third := wire.NewMsgTx(2)
	third.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Hash: chainhash.Hash{6}}, SignatureScript: []byte{0x51}})
	third.AddTxOut(wire.NewTxOut(30, []byte{0x51}))
	three := testBlockWith(t, third)
	if err := checkBlock(three, three.BlockHash()); err != nil {
		t.Fatalf("a good block of three transactions refused: %v", err)
	}
	dup := testBlockWith(t, third)
	dup.Transactions = append(dup.Transactions, third)
	if root := blockchain.CalcMerkleRoot(utilTxs(dup), false); root != dup.Header.MerkleRoot {
		t.Fatal("the repeated transaction changed the merkle root: the test shows nothing")
	}
	if err := checkBlock(dup, three.BlockHash()); !errors.Is(err, errBadBlock) {
		t.Fatalf("a block with a repeated transaction: %v", err)
	}
}
