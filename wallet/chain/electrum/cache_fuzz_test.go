package electrum

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
)

// FuzzParseCache: no cache file panics either parser; the headers read back link one to the
// next and write out to the same bytes they came from; proof records are all at positive
// heights.
func FuzzParseCache(f *testing.F) {
	net := chaincfg.RegressionNetParams.Net
	genesis := chaincfg.RegressionNetParams.GenesisBlock.Header
	file := append([]byte{}, headersMagic...)
	file = binary.LittleEndian.AppendUint32(file, uint32(net))
	file = binary.LittleEndian.AppendUint32(file, 0)
	var buf bytes.Buffer
	_ = genesis.Serialize(&buf)
	f.Add(append(file, buf.Bytes()...))
	f.Add(file)
	proofs := append([]byte{}, proofsMagic...)
	proofs = binary.LittleEndian.AppendUint32(proofs, uint32(net))
	f.Add(append(proofs, make([]byte, proofFixed+3)...))
	f.Add(encodeProofCache(map[chainhash.Hash]provenAt{{1}: {height: 7, proof: merkleProof{height: 7, pos: 2, branch: make([]chainhash.Hash, 3)}}}, net))
	f.Add([]byte("SATSPVH1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if proven, err := parseProofCache(data, net); err == nil {
			for id, p := range proven {
				if p.height <= 0 || len(p.proof.branch) > maxBranch {
					t.Fatalf("%s proven at height %d with %d hashes", id, p.height, len(p.proof.branch))
				}
			}
			// What parses writes back to what parses the same.
			again, err := parseProofCache(encodeProofCache(proven, net), net)
			if err != nil || len(again) != len(proven) {
				t.Fatalf("round trip: %d proofs, then %d (%v)", len(proven), len(again), err)
			}
			for id, p := range proven {
				q := again[id]
				if q.height != p.height || q.block != p.block || q.proof.pos != p.proof.pos || len(q.proof.branch) != len(p.proof.branch) {
					t.Fatalf("round trip changed %s", id)
				}
			}
		}
		seg, err := parseHeaderCache(data, net)
		if err != nil {
			return
		}
		if len(seg.hdrs) != len(seg.hashes) || seg.from < 0 {
			t.Fatalf("%d headers, %d hashes from %d", len(seg.hdrs), len(seg.hashes), seg.from)
		}
		var out bytes.Buffer
		for i := range seg.hdrs {
			if i > 0 && seg.hdrs[i].PrevBlock != seg.hashes[i-1] {
				t.Fatalf("header %d does not link", i)
			}
			if seg.hashes[i] != seg.hdrs[i].BlockHash() {
				t.Fatalf("header %d has the wrong hash", i)
			}
			_ = seg.hdrs[i].Serialize(&out)
		}
		body := data[cacheHdrLen:]
		if !bytes.Equal(out.Bytes(), body[:len(seg.hdrs)*headerRecLen]) {
			t.Fatal("the headers do not write back to their bytes")
		}
	})
}
