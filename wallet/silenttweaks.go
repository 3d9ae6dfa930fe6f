package wallet

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// scanSilentTweaks is the light scan: a tweak server names each block's tweak data, the
// scanner turns every tweak into the output keys a payment to the wallet would have, and the
// chain backend is asked whether those outputs exist in that block. Only what the backend
// shows in that block, in a transaction that really has the output, is recorded: a server
// that lies can make the wallet miss a payment, never see one the chain does not hold.
func (w *Wallet) scanSilentTweaks(ctx context.Context, be chain.Backend, src chain.TweakSource, sc *silentpay.Scanner,
	scanned int32, stored map[int32]chainhash.Hash, tip int32, res *SilentScanResult, progress func(SilentProgress)) (*SilentScanResult, error) {
	top, err := src.TweakHeight(ctx)
	if err != nil {
		return nil, fmt.Errorf("tweak server: %w", err)
	}
	top = min(top, tip)
	total := int(max(top-scanned, 0))
	for from := scanned + 1; from <= top; from += silentChunk {
		to := min(from+silentChunk-1, top)
		heights := make([]int32, 0, to-from+1)
		for h := from; h <= to; h++ {
			heights = append(heights, h)
		}
		hdrs, err := be.BlockHeaders(ctx, heights)
		if err != nil {
			return nil, fmt.Errorf("headers %d-%d: %w", from, to, err)
		}
		if len(hdrs) != len(heights) {
			return nil, fmt.Errorf("%s answered %d headers for %d heights: %w", be.Name(), len(hdrs), len(heights), chain.ErrUnreachable)
		}
		prev, havePrev := stored[from-1]
		for i, h := range hdrs {
			if havePrev && h.PrevBlock != prev {
				return nil, fmt.Errorf("%w: the chain changed during the silent-payment scan (block %d); sync again", chain.ErrUnreachable, heights[i])
			}
			prev, havePrev = h.BlockHash(), true
		}
		var hits []silentHit
		for i, h := range heights {
			tweaks, err := src.Tweaks(ctx, h)
			if err != nil {
				return nil, fmt.Errorf("tweak server, block %d: %w", h, err)
			}
			got, err := w.lookUpTweaks(ctx, be, sc, h, hdrs[i].BlockHash(), tweaks)
			if err != nil {
				return nil, fmt.Errorf("block %d: %w", h, err)
			}
			hits = append(hits, got...)
		}
		hashes := make(map[int32]chainhash.Hash, len(hdrs))
		for i, h := range hdrs {
			hashes[heights[i]] = h.BlockHash()
		}
		if err := w.commitSilentBatch(hits, hashes, to, stored); err != nil {
			return nil, err
		}
		res.Found += len(hits)
		res.Blocks += len(heights)
		scanned = to
		if progress != nil {
			progress(SilentProgress{Done: res.Blocks, Total: total, Height: to})
		}
	}
	res.Height = scanned
	return res, nil
}

// tweakCandidate is one output key to look for, from one tweak.
type tweakCandidate struct {
	tweak int
	cand  silentpay.Candidate
}

// lookUpTweaks finds the outputs of block height (hash) paying the wallet, from the block's
// tweaks: output k = 0 of every tweak first, then k + 1 for the tweaks that paid at k.
func (w *Wallet) lookUpTweaks(ctx context.Context, be chain.Backend, sc *silentpay.Scanner, height int32, hash chainhash.Hash, raw [][33]byte) ([]silentHit, error) {
	tweaks := make([]*btcec.PublicKey, 0, len(raw))
	for _, r := range raw {
		p, err := btcec.ParsePubKey(r[:])
		if err != nil {
			return nil, fmt.Errorf("tweak server sent a tweak that is not a point: %w", chain.ErrUnreachable)
		}
		tweaks = append(tweaks, p)
	}
	var hits []silentHit
	seen := map[string]bool{}
	active := make([]int, len(tweaks))
	for i := range active {
		active[i] = i
	}
	for k := uint32(0); len(active) > 0 && k < silentpay.KMax; k++ {
		var cands []tweakCandidate
		for _, i := range active {
			cs, err := sc.Candidates(tweaks[i], k)
			if err != nil {
				continue // a tweak whose shared secret is infinity pays no one
			}
			for _, c := range cs {
				cands = append(cands, tweakCandidate{tweak: i, cand: c})
			}
		}
		found, err := lookUpCandidates(ctx, be, height, hash, cands, seen)
		if err != nil {
			return nil, err
		}
		paid := map[int]bool{}
		for _, f := range found {
			hits = append(hits, f.hit)
			paid[f.tweak] = true
		}
		active = active[:0]
		for i := range paid {
			active = append(active, i)
		}
	}
	return hits, nil
}

type tweakHit struct {
	tweak int
	hit   silentHit
}

// lookUpCandidates asks the chain backend about every candidate's script and keeps those it
// shows confirmed in block height, in a transaction that has that output. A backend that can
// match one block (chain.BlockMatcher, the p2p light client) is asked about that block alone.
func lookUpCandidates(ctx context.Context, be chain.Backend, height int32, hash chainhash.Hash, cands []tweakCandidate, seen map[string]bool) ([]tweakHit, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	scripts := make([][]byte, len(cands))
	for i, c := range cands {
		scripts[i] = keys.P2TRScript(c.cand.Output[:])
	}
	if bm, ok := be.(chain.BlockMatcher); ok {
		return matchCandidates(ctx, bm, height, hash, cands, scripts, seen)
	}
	hists, err := be.ScriptHistories(ctx, scripts)
	if err != nil {
		return nil, fmt.Errorf("histories: %w", err)
	}
	if len(hists) != len(scripts) {
		return nil, fmt.Errorf("%s answered %d histories for %d scripts: %w", be.Name(), len(hists), len(scripts), chain.ErrUnreachable)
	}
	type want struct {
		cand int
		txid chainhash.Hash
	}
	var wants []want
	var ids []chainhash.Hash
	for i, h := range hists {
		if seen[string(scripts[i])] {
			continue
		}
		for _, it := range h {
			if it.Height == height {
				wants = append(wants, want{i, it.TxID})
				ids = append(ids, it.TxID)
				break
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	txs, err := be.Transactions(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("transactions: %w", err)
	}
	if len(txs) != len(ids) {
		return nil, fmt.Errorf("%s answered %d transactions for %d ids: %w", be.Name(), len(txs), len(ids), chain.ErrUnreachable)
	}
	var out []tweakHit
	for j, wnt := range wants {
		tx := txs[j]
		if tx == nil || tx.TxHash() != wnt.txid {
			return nil, fmt.Errorf("%s sent a transaction whose id does not match %s: %w", be.Name(), wnt.txid, chain.ErrUnreachable)
		}
		script := scripts[wnt.cand]
		for v, o := range tx.TxOut {
			if string(o.PkScript) != string(script) {
				continue
			}
			c := cands[wnt.cand].cand
			seen[string(script)] = true
			out = append(out, tweakHit{tweak: cands[wnt.cand].tweak, hit: silentHit{height: height, txid: wnt.txid, vout: uint32(v),
				script: script, found: silentpay.Found(c)}})
			break
		}
	}
	return out, nil
}
