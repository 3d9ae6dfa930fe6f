package electrumtest

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// fold hashes id up a branch the way a client does.
func fold(id chainhash.Hash, branch []chainhash.Hash, pos int) chainhash.Hash {
	for _, sib := range branch {
		if pos&1 == 1 {
			id = chainhash.DoubleHashH(append(sib[:], id[:]...))
		} else {
			id = chainhash.DoubleHashH(append(id[:], sib[:]...))
		}
		pos >>= 1
	}
	return id
}

// Every position's branch leads to the merkle root, for blocks of every shape up to 17
// transactions (odd levels pair their last hash with itself) and for mainnet block 100000.
func TestMerkleBranchLeadsToTheRoot(t *testing.T) {
	for n := 1; n <= 17; n++ {
		ids := make([]chainhash.Hash, n)
		for i := range ids {
			ids[i] = chainhash.DoubleHashH([]byte(fmt.Sprint(n, i)))
		}
		root := chaintest.MerkleRoot(ids)
		for pos := range ids {
			if got := fold(ids[pos], merkleBranch(ids, pos), pos); got != root {
				t.Fatalf("%d transactions, pos %d: the branch leads to %s, not the root %s", n, pos, got, root)
			}
		}
	}
	raw, err := os.ReadFile("../../../../testdata/spv-mainnet-block-100000.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		MerkleRoot string   `json:"merkle_root"`
		TxIDs      []string `json:"txids"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var ids []chainhash.Hash
	for _, s := range v.TxIDs {
		h, err := chainhash.NewHashFromStr(s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *h)
	}
	for pos := range ids {
		if got := fold(ids[pos], merkleBranch(ids, pos), pos).String(); got != v.MerkleRoot {
			t.Fatalf("block 100000, pos %d: %s, want %s", pos, got, v.MerkleRoot)
		}
	}
}
