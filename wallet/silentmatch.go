package wallet

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// matchCandidates is lookUpCandidates for a backend that matches one block: the candidates'
// scripts are matched against block height's filter only, and the block is downloaded only
// when it may pay one. The candidates are not watched afterwards; a found output becomes a
// silent-payment address that the sync following the scan watches for its spend, as it does
// every found output on every backend.
func matchCandidates(ctx context.Context, bm chain.BlockMatcher, height int32, hash chainhash.Hash,
	cands []tweakCandidate, scripts [][]byte, seen map[string]bool) ([]tweakHit, error) {
	ask := make([][]byte, 0, len(scripts))
	for _, s := range scripts {
		if !seen[string(s)] {
			ask = append(ask, s)
		}
	}
	if len(ask) == 0 {
		return nil, nil
	}
	txs, err := bm.MatchBlock(ctx, height, hash, ask)
	if err != nil {
		return nil, fmt.Errorf("match block %d: %w", height, err)
	}
	var out []tweakHit
	for i, script := range scripts {
		if seen[string(script)] {
			continue
		}
	next:
		// The first transaction of the block paying the script, its first such output: as
		// the history path keeps the first transaction a backend shows at that height.
		for _, tx := range txs {
			for v, o := range tx.TxOut {
				if string(o.PkScript) != string(script) {
					continue
				}
				seen[string(script)] = true
				out = append(out, tweakHit{tweak: cands[i].tweak, hit: silentHit{height: height, txid: tx.TxHash(), vout: uint32(v),
					script: script, found: silentpay.Found(cands[i].cand)}})
				break next
			}
		}
	}
	return out, nil
}
