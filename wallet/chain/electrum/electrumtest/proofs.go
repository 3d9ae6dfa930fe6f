package electrumtest

import (
	"context"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// maxChunk is the most headers one blockchain.block.headers answer holds (ElectrumX's limit).
const maxChunk = 2016

// merkleAnswer is blockchain.transaction.get_merkle's result.
type merkleAnswer struct {
	BlockHeight int32    `json:"block_height"`
	Merkle      []string `json:"merkle"`
	Pos         int      `json:"pos"`
}

// merkleBranch is the branch from the transaction at pos up to the merkle root of ids: at each
// level the hash it is paired with (a level of odd length pairs its last hash with itself),
// deepest first.
func merkleBranch(ids []chainhash.Hash, pos int) []chainhash.Hash {
	level := append([]chainhash.Hash(nil), ids...)
	var branch []chainhash.Hash
	for len(level) > 1 {
		if len(level)%2 == 1 {
			level = append(level, level[len(level)-1])
		}
		branch = append(branch, level[pos^1])
		next := make([]chainhash.Hash, len(level)/2)
		for i := range next {
			next[i] = chainhash.DoubleHashH(append(level[2*i][:], level[2*i+1][:]...))
		}
		level, pos = next, pos/2
	}
	return branch
}

// merkles answers get_merkle requests from the backend's block lists, asking once per height.
func (s *Server) merkles(ctx context.Context, reqs []request, idx []int, out []response) {
	if len(idx) == 0 {
		return
	}
	lister, ok := s.be.(chain.BlockTxLister)
	blocks := map[int32][]chainhash.Hash{}
	for _, i := range idx {
		if !ok {
			out[i].Error = &rpcErr{2, "this server cannot prove transactions: its backend does not list blocks"}
			continue
		}
		h, good := stringParam(reqs[i], 0)
		id, err := netutil.ParseHash(h)
		height, good2 := intParam(reqs[i], 1)
		if !good || err != nil || !good2 || height < 0 || height > 1<<31-1 {
			out[i].Error = badParams("get_merkle takes a txid and a height").rpc()
			continue
		}
		ids, seen := blocks[int32(height)]
		if !seen {
			if ids, err = lister.BlockTxIDs(ctx, int32(height)); err != nil {
				out[i].Error = &rpcErr{2, fmt.Sprintf("block at height %d: %v", height, err)}
				continue
			}
			blocks[int32(height)] = ids
		}
		res, cerr := s.proof(id, int32(height), ids)
		if cerr != nil {
			out[i].Error = cerr.rpc()
			continue
		}
		out[i].Result = res
	}
}

// proof is the get_merkle answer for id in the block at height, lies included.
func (s *Server) proof(id chainhash.Hash, height int32, ids []chainhash.Hash) (merkleAnswer, *callErr) {
	pos := -1
	for i, x := range ids {
		if x == id {
			pos = i
			break
		}
	}
	if pos < 0 {
		if !s.lying(LieConfirmMempool, height) {
			return merkleAnswer{}, &callErr{2, fmt.Sprintf("tx %s not in block at height %d", id, height)}
		}
		pos = 0 // borrow the first transaction's branch
		if len(ids) == 0 {
			return merkleAnswer{BlockHeight: height, Merkle: []string{}}, nil
		}
	}
	branch := merkleBranch(ids, pos)
	if s.lying(LieBadBranch, height) {
		if len(branch) == 0 {
			branch = append(branch, chainhash.DoubleHashH([]byte("electrumtest made-up sibling")))
		} else {
			branch[0][0] ^= 1
		}
	}
	if s.lying(LieWrongPos, height) {
		pos += 1 << len(branch)
	}
	a := merkleAnswer{BlockHeight: height, Merkle: make([]string, len(branch)), Pos: pos}
	for i, h := range branch {
		a.Merkle[i] = h.String()
	}
	return a, nil
}

// headerChunk answers blockchain.block.headers(start_height, count): up to 2016 headers from
// the start, fewer where the chain ends.
func (s *Server) headerChunk(ctx context.Context, r request) (any, *callErr) {
	start, ok := intParam(r, 0)
	count, ok2 := intParam(r, 1)
	if !ok || !ok2 || start < 0 || count < 0 || start > 1<<31-1 {
		return nil, badParams("block.headers takes a start height and a count")
	}
	if cp, ok := intParam(r, 2); ok && cp != 0 {
		return nil, badParams("electrumtest does not serve checkpoint proofs (cp_height)")
	}
	tip, err := s.be.Tip(ctx)
	if err != nil {
		return nil, &callErr{2, err.Error()}
	}
	var heights []int32
	for h := int32(start); int64(h) < start+min(count, maxChunk) && h <= tip.Height; h++ {
		heights = append(heights, h)
	}
	var b strings.Builder
	if len(heights) > 0 {
		hdrs, err := s.headersAt(ctx, heights)
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		for _, h := range hdrs {
			b.WriteString(netutil.EncodeHeader(h))
		}
	}
	return map[string]any{"count": len(heights), "hex": b.String(), "max": maxChunk}, nil
}
