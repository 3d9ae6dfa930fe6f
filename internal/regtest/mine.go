package regtest

import (
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Mine mines n blocks with btcd's `generate`: they pay the faucet and include the mempool.
func (n *Node) Mine(t testing.TB, blocks int) []chainhash.Hash {
	t.Helper()
	hashes, err := n.RPC().Generate(uint32(blocks))
	if err != nil {
		t.Fatalf("generate %d: %v", blocks, err)
	}
	out := make([]chainhash.Hash, len(hashes))
	for i, h := range hashes {
		out[i] = *h
	}
	return out
}

// MineTo mines n blocks whose coinbase pays addr. btcd v0.26.2 has no generatetoaddress (its
// RPC server does not register the command), so the harness builds each block itself: a
// coinbase-only block on the tip (mempool transactions are left for Mine), solved at regtest's
// trivial difficulty and handed over with submitblock.
func (n *Node) MineTo(t testing.TB, addr string, blocks int) []chainhash.Hash {
	t.Helper()
	a, err := address.DecodeAddress(addr, Net)
	if err != nil {
		t.Fatalf("mine to %q: %v", addr, err)
	}
	script, err := txscript.PayToAddrScript(a)
	if err != nil {
		t.Fatalf("mine to %q: %v", addr, err)
	}
	rpc := n.RPC()
	out := make([]chainhash.Hash, 0, blocks)
	for i := 0; i < blocks; i++ {
		tipHash, height, err := rpc.GetBestBlock()
		if err != nil {
			t.Fatalf("getbestblock: %v", err)
		}
		tip, err := rpc.GetBlockHeader(tipHash)
		if err != nil {
			t.Fatalf("getblockheader: %v", err)
		}
		block := buildBlock(tip, height+1, script, uint64(i))
		if err := rpc.SubmitBlock(btcutil.NewBlock(block), nil); err != nil {
			t.Fatalf("submitblock at height %d: %v", height+1, err)
		}
		out = append(out, block.BlockHash())
	}
	return out
}

// buildBlock makes a solved coinbase-only block on prev at height, paying the subsidy to
// script. extra varies the coinbase so blocks built in the same second differ.
func buildBlock(prev *wire.BlockHeader, height int32, script []byte, extra uint64) *wire.MsgBlock {
	sigScript, err := txscript.NewScriptBuilder().AddInt64(int64(height)).
		AddInt64(int64(extra)).AddData([]byte("satchel regtest")).Script()
	if err != nil {
		panic(err) // fixed-size pushes cannot fail
	}
	coinbase := wire.NewMsgTx(1)
	coinbase.AddTxIn(&wire.TxIn{
		PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex},
		SignatureScript:  sigScript,
		Sequence:         wire.MaxTxInSequenceNum,
	})
	coinbase.AddTxOut(wire.NewTxOut(blockchain.CalcBlockSubsidy(height, Net), script))

	ts := time.Now().Truncate(time.Second)
	if !ts.After(prev.Timestamp) {
		ts = prev.Timestamp.Add(time.Second)
	}
	block := &wire.MsgBlock{Header: wire.BlockHeader{
		Version:    0x20000000,
		PrevBlock:  prev.BlockHash(),
		MerkleRoot: coinbase.TxHash(), // the root of a one-transaction tree is its hash
		Timestamp:  ts,
		Bits:       prev.Bits, // regtest never retargets
	}}
	block.AddTransaction(coinbase)
	target := blockchain.CompactToBig(block.Header.Bits)
	for {
		h := block.Header.BlockHash()
		if blockchain.HashToBig(&h).Cmp(target) <= 0 {
			return block
		}
		block.Header.Nonce++
	}
}
