package electrum

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// maxBranch bounds a merkle branch: 32 levels is a block of four billion transactions.
const maxBranch = 32

// merkleProof is a blockchain.transaction.get_merkle answer.
type merkleProof struct {
	height int32
	// branch holds the hashes the transaction's is paired with, deepest first, in internal
	// byte order.
	branch []chainhash.Hash
	// pos is the transaction's index in its block; its bits say on which side each branch
	// hash goes.
	pos uint32
}

// parseMerkle reads get_merkle's {"block_height": N, "merkle": [hex, ...], "pos": N}. The hashes
// are hex in displayed order (reversed), as txids are written.
func parseMerkle(raw json.RawMessage) (merkleProof, error) {
	var r struct {
		Height *int64    `json:"block_height"`
		Merkle *[]string `json:"merkle"`
		Pos    *int64    `json:"pos"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Height == nil || r.Merkle == nil || r.Pos == nil {
		return merkleProof{}, fmt.Errorf("the answer is not {block_height, merkle, pos}: %s", clip.Text(string(raw), 80))
	}
	if *r.Height < 0 || *r.Height > math.MaxInt32 {
		return merkleProof{}, fmt.Errorf("block_height %d is out of range", *r.Height)
	}
	if len(*r.Merkle) > maxBranch {
		return merkleProof{}, fmt.Errorf("the branch has %d hashes, more than a block can need", len(*r.Merkle))
	}
	if *r.Pos < 0 || *r.Pos >= 1<<len(*r.Merkle) {
		return merkleProof{}, fmt.Errorf("pos %d does not fit a branch of %d hashes", *r.Pos, len(*r.Merkle))
	}
	p := merkleProof{height: int32(*r.Height), pos: uint32(*r.Pos), branch: make([]chainhash.Hash, len(*r.Merkle))}
	for i, s := range *r.Merkle {
		h, err := netutil.ParseHash(s)
		if err != nil {
			return merkleProof{}, fmt.Errorf("merkle[%d]: %v", i, err)
		}
		p.branch[i] = h
	}
	return p, nil
}

// root hashes txid up the branch to the merkle root it leads to. It refuses a pairing whose 64
// bytes read as a transaction: a 64-byte transaction hashes like an inner node of the tree, so
// a branch through one could prove a transaction that was never in the block (Electrum makes
// the same check).
func (p merkleProof) root(txid chainhash.Hash) (chainhash.Hash, error) {
	h := txid
	var buf [2 * chainhash.HashSize]byte
	for i, sib := range p.branch {
		if p.pos>>uint(i)&1 == 1 {
			copy(buf[:chainhash.HashSize], sib[:])
			copy(buf[chainhash.HashSize:], h[:])
		} else {
			copy(buf[:chainhash.HashSize], h[:])
			copy(buf[chainhash.HashSize:], sib[:])
		}
		if readsAsTx(buf[:]) {
			return chainhash.Hash{}, fmt.Errorf("level %d of the branch pairs two hashes that read as a 64-byte transaction", i)
		}
		h = chainhash.DoubleHashH(buf[:])
	}
	return h, nil
}

// readsAsTx says whether b is, in full, a transaction without witness data.
func readsAsTx(b []byte) bool {
	r := bytes.NewReader(b)
	var tx wire.MsgTx
	return tx.DeserializeNoWitness(r) == nil && r.Len() == 0
}
