package chain

import (
	"context"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// BlockSource is an optional extension of Backend for servers that hold whole blocks and can
// say which output every input spends: a full node with a transaction index (btcd with
// --txindex). Scanning for BIP352 silent payments needs exactly that, since the receiver must
// see every transaction's input keys, not only the scripts it already knows. Esplora and
// Electrum do not implement it.
type BlockSource interface {
	// ScanBlocks returns the best chain's blocks at heights, in order. Each carries only the
	// transactions a silent payment could be in (not coinbase, at least one taproot output),
	// each with the output script of every coin its inputs spend.
	ScanBlocks(ctx context.Context, heights []int32) ([]ScanBlock, error)
	// ScanMempool returns the mempool's transactions with a taproot output, the same way.
	ScanMempool(ctx context.Context) ([]ScanTx, error)
}

// ScanBlock is one block as a silent-payment scanner needs it.
type ScanBlock struct {
	Height int32
	Hash   chainhash.Hash
	// Prev is the hash of the block before it, so a scanner can tell the chain moved under it.
	Prev chainhash.Hash
	// TxCount is the number of transactions in the whole block, for progress figures.
	TxCount int
	// Txs are the block's transactions with a taproot output, coinbase excluded.
	Txs []ScanTx
}

// ScanTx is one transaction with the output scripts its inputs spend, in input order.
type ScanTx struct {
	Tx          *wire.MsgTx
	PrevScripts [][]byte
}

// HasTaprootOutput says whether tx pays a P2TR output (OP_1 <32 bytes>): the only outputs a
// silent payment can make, so the only transactions worth a scanner's time.
func HasTaprootOutput(tx *wire.MsgTx) bool {
	for _, o := range tx.TxOut {
		if len(o.PkScript) == 34 && o.PkScript[0] == 0x51 && o.PkScript[1] == 32 {
			return true
		}
	}
	return false
}

// TweakSource is a BIP352 tweak server (an index such as BlindBit Oracle): for each block, the
// tweak data input_hash·A of every transaction that could hold a silent payment. It lets a
// wallet on Esplora or Electrum look for payments without downloading blocks. It is trusted
// for nothing but completeness: each tweak only names candidate outputs, which the wallet then
// looks up on its chain backend, so a lying server can hide a payment but never invent one.
type TweakSource interface {
	// TweakHeight is the height of the last block the server has indexed.
	TweakHeight(ctx context.Context) (int32, error)
	// Tweaks returns the tweak data of the block at height (33-byte compressed points).
	Tweaks(ctx context.Context, height int32) ([][33]byte, error)
	// Name says which server this is, with any password masked, for messages.
	Name() string
}
