package p2p

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
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
	if err := blockchain.ValidateWitnessCommitment(btcutil.NewBlock(block)); err != nil {
		return fmt.Errorf("%w: %s: %v", errBadBlock, want, err)
	}
	return nil
}

// blockScripts lists what the block's basic filter must hold that can be known from the block
// alone: every output script except OP_RETURN ones, and the previous output scripts of inputs
// that reveal them (P2WPKH spends show the key whose hash is the script).
func blockScripts(block *wire.MsgBlock) [][]byte {
	var out [][]byte
	for i, tx := range block.Transactions {
		for _, o := range tx.TxOut {
			if len(o.PkScript) == 0 || o.PkScript[0] == txscript.OP_RETURN {
				continue
			}
			out = append(out, o.PkScript)
		}
		if i == 0 {
			continue
		}
		for _, in := range tx.TxIn {
			if s := p2wpkhPrevScript(in); s != nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// p2wpkhPrevScript rebuilds the P2WPKH script an input spends, when its witness is a
// signature and a compressed key and it has no scriptSig; nil otherwise.
func p2wpkhPrevScript(in *wire.TxIn) []byte {
	if len(in.SignatureScript) != 0 || len(in.Witness) != 2 || len(in.Witness[1]) != 33 {
		return nil
	}
	k := in.Witness[1]
	if k[0] != 2 && k[0] != 3 {
		return nil
	}
	return append([]byte{txscript.OP_0, 20}, address.Hash160(k)...)
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
