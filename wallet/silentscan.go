package wallet

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// silentChunk is how many blocks one request to the node carries and one store write
// records: small enough that an interrupted scan loses little, large enough to keep both
// cores busy between round trips.
const silentChunk = 16

// silentKeepBlocks is how many scanned block hashes are kept to find where a reorg forked.
const silentKeepBlocks = 2016

// SilentLabelGap is how many label numbers past the highest handed out a scan also looks
// for, like an address gap limit.
const SilentLabelGap = 20

// SilentScanResult says what the silent-payment part of a sync did.
type SilentScanResult struct {
	// Unsupported is set when the wallet has a silent-payment address but the backend cannot
	// scan blocks (not a full node): nothing was scanned.
	Unsupported bool
	// Blocks and Transactions count what was scanned (transactions: all of the blocks').
	Blocks, Transactions int
	// Found counts outputs found in blocks and the mempool; Dropped those forgotten because
	// their block left the chain or their mempool transaction is gone.
	Found, Dropped int
	// Height is the height scanned through.
	Height int32
}

// SilentProgress is a report from a long silent-payment scan.
type SilentProgress struct {
	Done, Total int // blocks
	Height      int32
}

// silentScanner builds the wallet's scanner from the stored keys and labels; nil when the
// wallet has no silent-payment address (or no birthday) yet.
func silentScanner(tx *store.Txn) (*silentpay.Scanner, error) {
	k, ok := tx.SilentKeys()
	if !ok {
		return nil, nil
	}
	if _, _, ok := tx.SilentHeights(); !ok {
		return nil, nil
	}
	scan, _ := btcec.PrivKeyFromBytes(k.Scan)
	spend, err := btcec.ParsePubKey(k.Spend)
	if err != nil {
		return nil, fmt.Errorf("stored silent payment spend key: %w", err)
	}
	// Every label handed out, and the next SilentLabelGap after the highest: a wallet restored
	// from its seed alone does not know its labels, and finds payments to them this way.
	var top uint32
	for m := range tx.SilentLabels() {
		top = max(top, m)
	}
	labels := make([]uint32, 0, top+SilentLabelGap)
	for m := uint32(1); m <= top+SilentLabelGap; m++ {
		labels = append(labels, m)
	}
	return silentpay.NewScanner(scan, spend, labels...)
}

// silentHit is one output found, with where it is.
type silentHit struct {
	height int32
	txid   chainhash.Hash
	vout   uint32
	script []byte
	found  silentpay.Found
}

// scanSilentTxs checks every transaction against the scanner, spread over the cores. BIP352's
// rules (which inputs count, the input hash, skipping transactions with no eligible input or
// a segwit v2+ input) are silentpay's; this only feeds it and maps keys back to outputs.
func scanSilentTxs(ctx context.Context, sc *silentpay.Scanner, height int32, txs []chain.ScanTx) ([]silentHit, error) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(txs)))
	results := make([][]silentHit, len(txs))
	errs := make([]error, workers)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next += 8
				mu.Unlock()
				if i >= len(txs) || ctx.Err() != nil {
					return
				}
				for j := i; j < min(i+8, len(txs)); j++ {
					hits, err := scanSilentTx(sc, height, &txs[j])
					if err != nil {
						errs[w] = err
						return
					}
					results[j] = hits
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	var out []silentHit
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

func scanSilentTx(sc *silentpay.Scanner, height int32, st *chain.ScanTx) ([]silentHit, error) {
	tx := st.Tx
	if len(st.PrevScripts) != len(tx.TxIn) {
		return nil, fmt.Errorf("transaction %s: %d previous scripts for %d inputs", tx.TxHash(), len(st.PrevScripts), len(tx.TxIn))
	}
	ins := make([]silentpay.TxInput, len(tx.TxIn))
	for i, in := range tx.TxIn {
		ins[i] = silentpay.TxInput{OutPoint: in.PreviousOutPoint, ScriptSig: in.SignatureScript,
			Witness: in.Witness, PrevScript: st.PrevScripts[i]}
	}
	found, err := sc.ScanTransaction(ins, silentpay.TaprootOutputKeys(tx))
	if err != nil || len(found) == 0 {
		return nil, err
	}
	id := tx.TxHash()
	hits := make([]silentHit, 0, len(found))
	for _, f := range found {
		for v, o := range tx.TxOut {
			if len(o.PkScript) == 34 && o.PkScript[0] == 0x51 && o.PkScript[1] == 32 && bytes.Equal(o.PkScript[2:], f.Output[:]) {
				hits = append(hits, silentHit{height: height, txid: id, vout: uint32(v), script: o.PkScript, found: f})
				break
			}
		}
	}
	return hits, nil
}

// scanSilent scans the blocks from the wallet's silent-payment birthday (or where the last
// scan stopped) to the tip, then the mempool, and records what it finds as outputs of the
// wallet. A scanned block that is no longer in the best chain sends the scan back to the fork:
// the outputs found above it are forgotten and the new blocks scanned. Each chunk of blocks is
// written as it is done, so an interrupted scan resumes where it stopped.
func (w *Wallet) scanSilent(ctx context.Context, be chain.Backend, o SyncOptions) (*SilentScanResult, error) {
	progress := o.SilentProgress
	if err := w.resolveSilentBirthday(ctx, be); err != nil {
		return nil, err
	}
	var sc *silentpay.Scanner
	var birthday, scanned int32
	stored := map[int32]chainhash.Hash{}
	err := w.st.View(func(tx *store.Txn) error {
		var err error
		if sc, err = silentScanner(tx); err != nil || sc == nil {
			return err
		}
		birthday, scanned, _ = tx.SilentHeights()
		for _, h := range tx.SilentBlockHeights() {
			stored[h], _ = tx.SilentBlock(h)
		}
		return nil
	})
	if err != nil || sc == nil {
		return nil, err
	}
	src, ok := be.(chain.BlockSource)
	if !ok && o.Tweaks == nil {
		return &SilentScanResult{Unsupported: true, Height: scanned}, nil
	}
	if err := w.writable(); err != nil {
		return nil, err
	}
	res := &SilentScanResult{}
	tip, err := be.Tip(ctx)
	if err != nil {
		return nil, fmt.Errorf("tip: %w", err)
	}

	// Where does what we scanned still agree with the node?
	fork, err := silentFork(ctx, be, stored, scanned, tip.Height)
	if err != nil {
		return nil, err
	}
	fork = max(fork, birthday-1)
	if fork < scanned {
		if err := w.st.Update(func(tx *store.Txn) error {
			n, err := rollBackSilent(tx, fork)
			res.Dropped += n
			return err
		}); err != nil {
			return nil, err
		}
		for h := range stored {
			if h > fork {
				delete(stored, h)
			}
		}
		scanned = fork
	}
	if !ok {
		return w.scanSilentTweaks(ctx, be, o.Tweaks, sc, scanned, stored, tip.Height, res, progress)
	}

	total := int(tip.Height - scanned)
	for from := scanned + 1; from <= tip.Height; from += silentChunk {
		to := min(from+silentChunk-1, tip.Height)
		heights := make([]int32, 0, to-from+1)
		for h := from; h <= to; h++ {
			heights = append(heights, h)
		}
		blocks, err := src.ScanBlocks(ctx, heights)
		if err != nil {
			return nil, fmt.Errorf("blocks %d-%d: %w", from, to, err)
		}
		if len(blocks) != len(heights) {
			return nil, fmt.Errorf("%s answered %d blocks for %d heights: %w", be.Name(), len(blocks), len(heights), chain.ErrUnreachable)
		}
		prev, havePrev := stored[from-1]
		var hits []silentHit
		for i, b := range blocks {
			if b.Height != heights[i] || (havePrev && b.Prev != prev) {
				return nil, fmt.Errorf("%w: the chain changed during the silent-payment scan (block %d); sync again", chain.ErrUnreachable, heights[i])
			}
			prev, havePrev = b.Hash, true
			h, err := scanSilentTxs(ctx, sc, b.Height, b.Txs)
			if err != nil {
				return nil, fmt.Errorf("block %d: %w", b.Height, err)
			}
			hits = append(hits, h...)
			res.Transactions += b.TxCount
		}
		hashes := make(map[int32]chainhash.Hash, len(blocks))
		for _, b := range blocks {
			hashes[b.Height] = b.Hash
		}
		if err := w.commitSilentBatch(hits, hashes, to, stored); err != nil {
			return nil, err
		}
		res.Found += len(hits)
		res.Blocks += len(blocks)
		scanned = to
		if progress != nil {
			progress(SilentProgress{Done: res.Blocks, Total: total, Height: to})
		}
	}
	res.Height = scanned

	// The mempool: payments not yet confirmed show as pending.
	mtxs, err := src.ScanMempool(ctx)
	if err != nil {
		return nil, err
	}
	hits, err := scanSilentTxs(ctx, sc, 0, mtxs)
	if err != nil {
		return nil, fmt.Errorf("mempool: %w", err)
	}
	err = w.st.Update(func(tx *store.Txn) error {
		outs, err := tx.SilentOuts()
		if err != nil {
			return err
		}
		still := map[string]bool{}
		var fresh []silentHit
		for _, h := range hits {
			still[string(h.script)] = true
			if o, ok := outs[string(h.script)]; !ok || o.Height == 0 {
				fresh = append(fresh, h)
			}
		}
		for s, o := range outs {
			if o.Height == 0 && !still[s] {
				if err := tx.DeleteSilentOut([]byte(s)); err != nil {
					return err
				}
				res.Dropped++
			}
		}
		res.Found += len(fresh)
		return w.recordSilentHits(tx, fresh)
	})
	return res, err
}

// silentFork is the highest scanned height whose block the node still has at that height, or
// scanned itself when nothing moved. Without remembered hashes (a restore from a backup) the
// scanned height is trusted.
func silentFork(ctx context.Context, be chain.Backend, stored map[int32]chainhash.Hash, scanned, tip int32) (int32, error) {
	var heights []int32
	for h := range stored {
		if h <= scanned {
			heights = append(heights, h)
		}
	}
	if len(heights) == 0 {
		return min(scanned, tip), nil
	}
	sortHeights(heights)
	// Only the newest blocks can have moved; look at them first, then further back.
	for len(heights) > 0 {
		n := min(len(heights), 64)
		batch := heights[len(heights)-n:]
		heights = heights[:len(heights)-n]
		var ask []int32
		for _, h := range batch {
			if h <= tip {
				ask = append(ask, h)
			}
		}
		hdrs, err := be.BlockHeaders(ctx, ask)
		if err != nil {
			return 0, fmt.Errorf("headers: %w", err)
		}
		if len(hdrs) != len(ask) {
			return 0, fmt.Errorf("%s answered %d headers for %d heights: %w", be.Name(), len(hdrs), len(ask), chain.ErrUnreachable)
		}
		for i := len(ask) - 1; i >= 0; i-- {
			if hdrs[i].BlockHash() == stored[ask[i]] {
				if ask[i] == batch[len(batch)-1] && ask[i] == scanned {
					return scanned, nil
				}
				return ask[i], nil
			}
		}
	}
	return -1, nil
}

func sortHeights(h []int32) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && h[j] < h[j-1]; j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

// rollBackSilent forgets everything scanned above height fork: the found outputs of those
// blocks (and of the mempool, which the scan looks at again) and their block hashes.
func rollBackSilent(tx *store.Txn, fork int32) (int, error) {
	outs, err := tx.SilentOuts()
	if err != nil {
		return 0, err
	}
	n := 0
	for s, o := range outs {
		if o.Height > fork || o.Height == 0 {
			if err := tx.DeleteSilentOut([]byte(s)); err != nil {
				return n, err
			}
			n++
		}
	}
	for _, h := range tx.SilentBlockHeights() {
		if h > fork {
			if err := tx.DeleteSilentBlock(h); err != nil {
				return n, err
			}
		}
	}
	return n, tx.PutSilentScanned(fork)
}

// recordSilentHits stores found outputs as the wallet's: watched like its addresses, with the
// tweak that spends them, and the label text of a labelled address on their address.
func (w *Wallet) recordSilentHits(tx *store.Txn, hits []silentHit) error {
	if len(hits) == 0 {
		return nil
	}
	labels := tx.SilentLabels()
	for _, h := range hits {
		o, ok := tx.SilentOut(h.script)
		if !ok {
			seq, err := tx.NextSeq("silent-out")
			if err != nil {
				return err
			}
			o.Seq = uint32(seq)
		}
		o.TxID, o.Vout, o.Height = h.txid, h.vout, h.height
		o.Tweak = h.found.Tweak.Bytes()
		o.Label, o.Labelled = h.found.Label, h.found.Labelled
		if err := tx.PutSilentOut(h.script, o); err != nil {
			return err
		}
		if text := labels[o.Label]; o.Labelled && text != "" {
			key := LabelKeyAddress(ScriptAddress(h.script, w.net))
			if tx.Label(key) == "" {
				if err := tx.SetLabel(key, text); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// silentAccount stands for the found silent-payment outputs in a sync's address lists: they
// have no BIP32 account, only their purpose.
var silentAccount = &account{rec: store.Account{Purpose: store.SilentPurpose}}

// silentWatched lists the found silent-payment outputs' scripts for a sync to follow.
func silentWatched(tx *store.Txn) ([]*watched, error) {
	var out []*watched
	err := tx.ForEachAddr(store.SilentPurpose, 0, func(s []byte, a store.Addr) error {
		out = append(out, &watched{acct: silentAccount, chain: 0, index: a.Index, script: s, addr: a, known: true})
		return nil
	})
	return out, err
}

// birthdayMargin is how long before a birthday date the scan starts: block times may run up
// to two hours ahead of real time and are not in order, so a day's margin misses nothing.
const birthdayMargin = 24 * 60 * 60

// resolveSilentBirthday turns a birthday date (restore --birthday DATE) into the height of the
// first block at most a day older than it, by a binary search over the backend's headers.
func (w *Wallet) resolveSilentBirthday(ctx context.Context, be chain.Backend) error {
	var when int64
	if err := w.st.View(func(tx *store.Txn) error { when = tx.SilentBirthdayTime(); return nil }); err != nil || when == 0 {
		return err
	}
	tip, err := be.Tip(ctx)
	if err != nil {
		return fmt.Errorf("tip: %w", err)
	}
	lo, hi := int32(0), tip.Height+1 // the answer is in [lo, hi]
	for lo < hi {
		mid := lo + (hi-lo)/2
		hdrs, err := be.BlockHeaders(ctx, []int32{mid})
		if err != nil {
			return fmt.Errorf("birthday: headers: %w", err)
		}
		if len(hdrs) != 1 {
			return fmt.Errorf("birthday: %s answered %d headers for 1: %w", be.Name(), len(hdrs), chain.ErrUnreachable)
		}
		if hdrs[0].Timestamp.Unix() >= when-birthdayMargin {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if err := w.writable(); err != nil {
		return err
	}
	return w.st.Update(func(tx *store.Txn) error { return tx.PutSilentBirthday(lo) })
}

// commitSilentBatch records one scanned batch in one write: the coins found, the hashes of
// the blocks scanned (heights -> hash, kept silentKeepBlocks deep for reorgs), and the height
// reached; then it notes the hashes in stored, the scan's view of them.
func (w *Wallet) commitSilentBatch(hits []silentHit, scanned map[int32]chainhash.Hash, to int32, stored map[int32]chainhash.Hash) error {
	err := w.st.Update(func(tx *store.Txn) error {
		if err := w.recordSilentHits(tx, hits); err != nil {
			return err
		}
		for h, hash := range scanned {
			if err := tx.PutSilentBlock(h, hash); err != nil {
				return err
			}
		}
		for _, h := range tx.SilentBlockHeights() {
			if h <= to-silentKeepBlocks {
				if err := tx.DeleteSilentBlock(h); err != nil {
					return err
				}
			}
		}
		return tx.PutSilentScanned(to)
	})
	if err != nil {
		return err
	}
	for h, hash := range scanned {
		stored[h] = hash
	}
	return nil
}
