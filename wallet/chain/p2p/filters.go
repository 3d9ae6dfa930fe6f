package p2p

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/btcutil/v2/gcs"
	"github.com/btcsuite/btcd/btcutil/v2/gcs/builder"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// errBadFilter marks a filter or filter header that does not match what it must commit to.
var errBadFilter = errors.New("filter does not match")

// errBadBlock marks a block that does not match its header.
var errBadBlock = errors.New("block does not match its header")

// filterHeaders chains filter hashes into filter headers (BIP157): each header is the double
// SHA-256 of the filter's hash and the previous header.
func filterHeaders(prev chainhash.Hash, hashes []*chainhash.Hash) []chainhash.Hash {
	out := make([]chainhash.Hash, len(hashes))
	var buf [2 * chainhash.HashSize]byte
	for i, h := range hashes {
		copy(buf[:chainhash.HashSize], h[:])
		copy(buf[chainhash.HashSize:], prev[:])
		prev = chainhash.DoubleHashH(buf[:])
		out[i] = prev
	}
	return out
}

// filterHeaderOf is the filter header that commits to the serialized filter data after prev.
func filterHeaderOf(data []byte, prev chainhash.Hash) chainhash.Hash {
	h := chainhash.DoubleHashH(data)
	return filterHeaders(prev, []*chainhash.Hash{&h})[0]
}

// parseFilter reads a BIP158 basic filter as served in cfilter messages.
func parseFilter(data []byte) (*gcs.Filter, error) {
	f, err := gcs.FromNBytes(builder.DefaultP, builder.DefaultM, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadFilter, err)
	}
	return f, nil
}

// matchScripts says which of scripts the filter of the block blockHash may contain.
func matchScripts(f *gcs.Filter, blockHash chainhash.Hash, scripts [][]byte) ([]bool, error) {
	hit := make([]bool, len(scripts))
	if f.N() == 0 || len(scripts) == 0 {
		return hit, nil
	}
	key := builder.DeriveKey(&blockHash)
	any, err := f.MatchAny(key, scripts)
	if err != nil || !any {
		return hit, err
	}
	for i, s := range scripts {
		if hit[i], err = f.Match(key, s); err != nil {
			return nil, err
		}
	}
	return hit, nil
}

// checkBlock verifies that block is the one header commits to: same hash, and the merkle root
// of its transactions (and, for a segwit block, its witness commitment) matches.
func checkBlock(block *wire.MsgBlock, want chainhash.Hash) error {
	if got := block.BlockHash(); got != want {
		return fmt.Errorf("%w: asked for %s, got %s", errBadBlock, want, got)
	}
	if len(block.Transactions) == 0 {
		return fmt.Errorf("%w: %s has no transactions", errBadBlock, want)
	}
	txs := make([]*btcutil.Tx, len(block.Transactions))
	for i, tx := range block.Transactions {
		txs[i] = btcutil.NewTx(tx)
	}
	if root := blockchain.CalcMerkleRoot(txs, false); root != block.Header.MerkleRoot {
		return fmt.Errorf("%w: %s: merkle root %s, header says %s", errBadBlock, want, root, block.Header.MerkleRoot)
	}
	// The merkle tree pairs an odd last node with itself, so a block whose last transactions
	// are repeated has the same root (CVE-2012-2459): no valid block holds a transaction twice.
	seen := make(map[chainhash.Hash]bool, len(txs))
	for _, tx := range txs {
		if seen[*tx.Hash()] {
			return fmt.Errorf("%w: %s: transaction %s appears twice", errBadBlock, want, tx.Hash())
		}
		seen[*tx.Hash()] = true
	}
	if err := blockchain.ValidateWitnessCommitment(btcutil.NewBlock(block)); err != nil {
		return fmt.Errorf("%w: %s: %v", errBadBlock, want, err)
	}
	return nil
}

// blockScripts lists what the block's basic filter must hold that can be known from the block
// alone: every output script except OP_RETURN ones. The scripts inputs spend are in the filter
// too, but the block does not prove them: a witness of a signature and a 33-byte item that
// looks like a P2WPKH spend may be a P2WSH spend whose witness script is 33 bytes, and a peer
// that filed the guessed script could get an honest peer convicted for leaving it out.
func blockScripts(block *wire.MsgBlock) [][]byte {
	var out [][]byte
	for _, tx := range block.Transactions {
		for _, o := range tx.TxOut {
			if len(o.PkScript) == 0 || o.PkScript[0] == txscript.OP_RETURN {
				continue
			}
			out = append(out, o.PkScript)
		}
	}
	return out
}

// checkFilterAgainstBlock verifies that the filter holds every script the block shows. A
// filter that leaves one out was made to hide a payment.
func checkFilterAgainstBlock(f *gcs.Filter, block *wire.MsgBlock) error {
	scripts := blockScripts(block)
	if len(scripts) == 0 {
		return nil
	}
	hash := block.BlockHash()
	hits, err := matchScripts(f, hash, scripts)
	if err != nil {
		return fmt.Errorf("%w: block %s: %v", errBadFilter, hash, err)
	}
	for i, ok := range hits {
		if !ok {
			return fmt.Errorf("%w: block %s: the filter leaves out script %x", errBadFilter, hash, scripts[i])
		}
	}
	return nil
}
