package wallet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// SyncOptions tune a sync.
type SyncOptions struct {
	// GapLimit is how many unused addresses in a row end the search; zero means the last
	// sync's, or DefaultGapLimit.
	GapLimit int
	// Progress, when set, hears how many addresses were scanned of how many known so far.
	Progress func(done, total int)
	// Now stamps first-seen times; nil means time.Now.
	Now func() time.Time
	// SilentProgress, when set, hears how far a silent-payment block scan got.
	SilentProgress func(SilentProgress)
	// Tweaks, when set, is a BIP352 tweak server to scan with when the backend cannot serve
	// blocks (Esplora, Electrum).
	Tweaks chain.TweakSource
}

// SyncResult says what a sync did.
type SyncResult struct {
	Height           int32
	NewTransactions  int
	AddressesScanned int
	Duration         time.Duration
	// Adopted lists the purposes of other standard paths found in use by this sync.
	Adopted []uint32
	// Rebroadcast lists the payments of ours the backend did not report, sent again.
	Rebroadcast []chainhash.Hash
	// Silent is what the silent-payment scan did; nil when the wallet has no such address.
	Silent *SilentScanResult
}

// watched is one address a sync asks the backend about.
type watched struct {
	acct   *account
	chain  uint32
	index  uint32
	script []byte
	addr   store.Addr
	known  bool // already in the store
	hist   []chain.HistoryItem
	asked  bool
}

// Sync brings the wallet up to date with the backend: it finds used addresses up to the gap
// limit on every account in use (and, for a restored wallet, on the other standard paths),
// fetches the transactions it has not seen, follows reorgs and conflicts, and rebuilds coins
// and history. Network work happens before the store is written, and the write is one
// transaction, so an interrupted sync loses nothing already synced.
func (w *Wallet) Sync(ctx context.Context, be chain.Backend, o SyncOptions) (SyncResult, error) {
	start := time.Now()
	now := w.now
	if o.Now != nil {
		now = o.Now
	}
	var res SyncResult
	// Silent payments first: what the scan finds becomes addresses the sync below follows.
	silent, err := w.scanSilent(ctx, be, o)
	if err != nil {
		return res, fmt.Errorf("sync: silent payments: %w", err)
	}
	res.Silent = silent

	// Read what the store knows.
	var prev store.SyncState
	var synced bool
	known := map[chainhash.Hash]*store.TxRecord{}
	lists := map[[2]uint32][]*watched{} // (purpose, chain) -> addresses by index
	var scan []*account
	err = w.st.View(func(tx *store.Txn) error {
		sw, serr := silentWatched(tx)
		if serr != nil {
			return serr
		}
		if len(sw) > 0 {
			lists[[2]uint32{store.SilentPurpose, 0}] = sw
		}
		var err error
		prev, err = tx.SyncState()
		synced = err == nil
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		recs, err := tx.Accounts()
		if err != nil {
			return err
		}
		for _, a := range w.accounts {
			for _, r := range recs {
				if r.Purpose == a.rec.Purpose {
					a.rec = r
				}
			}
			if a.rec.Active || a.rec.Probe {
				scan = append(scan, a)
			}
		}
		for _, a := range scan {
			for c := uint32(0); c < 2; c++ {
				key := [2]uint32{a.rec.Purpose, c}
				if err := tx.ForEachAddr(a.rec.Purpose, c, func(s []byte, ad store.Addr) error {
					lists[key] = append(lists[key], &watched{acct: a, chain: c, index: ad.Index, script: s, addr: ad, known: true})
					return nil
				}); err != nil {
					return err
				}
			}
		}
		return tx.ForEachTx(func(r *store.TxRecord) error { known[r.TxID] = r; return nil })
	})
	if err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	gap := o.GapLimit
	if gap <= 0 {
		gap = prev.GapLimit
	}
	if gap <= 0 {
		gap = DefaultGapLimit
	}

	tip, err := be.Tip(ctx)
	if err != nil {
		return res, fmt.Errorf("sync: tip: %w", err)
	}

	// Discover: ask about every address up to the gap limit past the last used (or handed
	// out) one, and keep extending while new used addresses turn up.
	total := 0
	for {
		var batch []*watched
		for _, a := range scan {
			for c := uint32(0); c < 2; c++ {
				key := [2]uint32{a.rec.Purpose, c}
				list, err := extend(a, c, lists[key], gap)
				if err != nil {
					return res, err
				}
				lists[key] = list
				for _, wa := range list {
					if !wa.asked {
						batch = append(batch, wa)
					}
				}
			}
		}
		for _, wa := range lists[[2]uint32{store.SilentPurpose, 0}] {
			if !wa.asked { // found silent payments: no gap to extend
				batch = append(batch, wa)
			}
		}
		if len(batch) == 0 {
			break
		}
		// Ask in random order so the server learns less about which addresses go together.
		shuffle(batch)
		scripts := make([][]byte, len(batch))
		for i, wa := range batch {
			scripts[i] = wa.script
		}
		hists, err := be.ScriptHistories(ctx, scripts)
		if err != nil {
			return res, fmt.Errorf("sync: histories: %w", err)
		}
		if len(hists) != len(batch) {
			return res, fmt.Errorf("sync: %s answered %d histories for %d scripts: %w", be.Name(), len(hists), len(batch), chain.ErrUnreachable)
		}
		for i, wa := range batch {
			wa.hist, wa.asked = hists[i], true
		}
		crash.Point(crash.SyncMidBatch)
		total += len(batch)
		if o.Progress != nil {
			o.Progress(total, total)
		}
	}
	res.AddressesScanned = total

	// A block found while the histories were asked for can put a transaction above the tip
	// read before them: read the tip again once, and only then call such a height a lie.
	if highestHistory(lists) > tip.Height {
		if tip, err = be.Tip(ctx); err != nil {
			return res, fmt.Errorf("sync: tip: %w", err)
		}
	}

	// Which transactions exist now, and at what height.
	present := map[chainhash.Hash]int32{}
	for _, list := range lists {
		for _, wa := range list {
			for _, h := range wa.hist {
				if h.Height < 0 {
					h.Height = 0
				}
				if h.Height > tip.Height {
					return res, fmt.Errorf("sync: %s reports tx %s at height %d above its tip %d: %w", be.Name(), h.TxID, h.Height, tip.Height, chain.ErrUnreachable)
				}
				// Several scripts report the same transaction; a confirmed sighting wins over a
				// mempool one a server has not cleaned up yet.
				if cur, ok := present[h.TxID]; !ok || h.Height > cur {
					present[h.TxID] = h.Height
				}
			}
		}
	}
	var fetch []chainhash.Hash
	for id := range present {
		if _, ok := known[id]; !ok {
			fetch = append(fetch, id)
		}
	}
	sort.Slice(fetch, func(i, j int) bool { return bytes.Compare(fetch[i][:], fetch[j][:]) < 0 })
	fetched := map[chainhash.Hash]*wire.MsgTx{}
	if len(fetch) > 0 {
		txs, err := be.Transactions(ctx, fetch)
		if err != nil {
			return res, fmt.Errorf("sync: transactions: %w", err)
		}
		if len(txs) != len(fetch) {
			return res, fmt.Errorf("sync: %s answered %d transactions for %d ids: %w", be.Name(), len(txs), len(fetch), chain.ErrUnreachable)
		}
		for i, m := range txs {
			if m == nil || m.TxHash() != fetch[i] {
				return res, fmt.Errorf("sync: %s sent a transaction whose id does not match %s: %w", be.Name(), fetch[i], chain.ErrUnreachable)
			}
			fetched[fetch[i]] = m
		}
	}
	res.NewTransactions = len(fetch)

	// A transaction that vanished may have been double-spent by someone outside the wallet (a
	// payer reusing the coin in a competing block); look at the coins it spent to find out.
	external, externalHeight, err := findExternalSpenders(ctx, be, known, present)
	if err != nil {
		return res, fmt.Errorf("sync: conflicts: %w", err)
	}

	// Block hashes and times. When the block we last synced to is no longer in the best
	// chain, every confirmed height is looked at again.
	reorg := false
	if synced && prev.Height > 0 {
		if prev.Height > tip.Height {
			reorg = true
		} else {
			hdrs, err := be.BlockHeaders(ctx, []int32{prev.Height})
			if err != nil {
				return res, fmt.Errorf("sync: headers: %w", err)
			}
			reorg = len(hdrs) != 1 || hdrs[0].BlockHash() != prev.Hash
		}
	}
	heightSet := map[int32]bool{}
	for id, h := range present {
		if h <= 0 {
			continue
		}
		if r, ok := known[id]; reorg || !ok || r.Height != h || r.Status != store.StatusConfirmed {
			heightSet[h] = true
		}
	}
	if tip.Height > 0 {
		heightSet[tip.Height] = true // to check the tip hash the backend claims
	}
	heights := make([]int32, 0, len(heightSet))
	for h := range heightSet {
		heights = append(heights, h)
	}
	sort.Slice(heights, func(i, j int) bool { return heights[i] < heights[j] })
	headers := map[int32]*wire.BlockHeader{}
	if len(heights) > 0 {
		hdrs, err := be.BlockHeaders(ctx, heights)
		if err != nil {
			return res, fmt.Errorf("sync: headers: %w", err)
		}
		if len(hdrs) != len(heights) {
			return res, fmt.Errorf("sync: %s answered %d headers for %d heights: %w", be.Name(), len(hdrs), len(heights), chain.ErrUnreachable)
		}
		for i, h := range hdrs {
			headers[heights[i]] = h
		}
	}

	// Write it all in one transaction, then give the write lock back.
	if err := w.writable(); err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	defer w.release()
	seen := now().Unix()
	err = w.st.Update(func(tx *store.Txn) error {
		for _, list := range lists {
			for _, wa := range list {
				a := wa.addr
				a.Purpose, a.Chain, a.Index = wa.acct.rec.Purpose, wa.chain, wa.index
				a.Status = historyStatus(wa.hist)
				if len(wa.hist) > 0 {
					a.Used = true
				}
				if err := tx.PutAddr(wa.script, a); err != nil {
					return err
				}
			}
		}
		for id, m := range fetched {
			// Whatever the backend did, no witness a server supplied is stored: its txid does not
			// commit to it (see committedVSize).
			stripWitness(m)
			var buf bytes.Buffer
			if err := m.Serialize(&buf); err != nil {
				return err
			}
			known[id] = &store.TxRecord{TxID: id, Raw: buf.Bytes(), FirstSeen: seen, Fee: -1}
		}
		if err := settleStatuses(known, present, external, externalHeight, headers); err != nil {
			return err
		}
		ids := make([]chainhash.Hash, 0, len(known))
		for id := range known {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
		for _, id := range ids {
			if err := tx.PutTx(known[id]); err != nil {
				return err
			}
		}
		recs, err := tx.Accounts()
		if err != nil {
			return err
		}
		for _, r := range recs {
			if !r.Probe {
				continue
			}
			r.Probe = false
			if accountUsed(lists, r.Purpose) {
				r.Active = true
				res.Adopted = append(res.Adopted, r.Purpose)
			}
			if err := tx.PutAccount(r); err != nil {
				return err
			}
			for _, a := range w.accounts {
				if a.rec.Purpose == r.Purpose {
					a.rec = r
				}
			}
		}
		if err := w.recompute(tx, tip.Height); err != nil {
			return err
		}
		crash.Point(crash.SyncBeforeCommit)
		return tx.PutSyncState(store.SyncState{Height: tip.Height, Hash: headerHash(headers, tip), At: now().UTC(), GapLimit: gap})
	})
	if err != nil {
		return res, fmt.Errorf("sync: write %s: %w", w.st.Path(), err)
	}
	res.Height = tip.Height
	// Payments of ours the backend did not report go out again (at most hourly each).
	if res.Rebroadcast, err = w.rebroadcast(ctx, be, present, now()); err != nil {
		return res, fmt.Errorf("sync: rebroadcast: %w", err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

func headerHash(headers map[int32]*wire.BlockHeader, tip chain.Tip) chainhash.Hash {
	if h, ok := headers[tip.Height]; ok {
		return h.BlockHash()
	}
	return tip.Hash
}

// extend makes sure list holds every address from 0 to gap past the last used or handed-out
// one, deriving what is missing.
func extend(a *account, c uint32, list []*watched, gap int) ([]*watched, error) {
	last := int64(-1)
	for _, wa := range list {
		if (wa.addr.Used || len(wa.hist) > 0) && int64(wa.index) > last {
			last = int64(wa.index)
		}
	}
	if c == 0 && int64(a.rec.NextReceive)-1 > last {
		last = int64(a.rec.NextReceive) - 1
	}
	if c == 1 && int64(a.rec.NextChange)-1 > last {
		last = int64(a.rec.NextChange) - 1
	}
	want := last + int64(gap) // highest index to watch
	have := map[uint32]bool{}
	for _, wa := range list {
		have[wa.index] = true
	}
	for i := int64(0); i <= want; i++ {
		if have[uint32(i)] {
			continue
		}
		d, err := a.keys.Derive(c, uint32(i))
		if err != nil {
			return nil, fmt.Errorf("derive %s: %w", a.keys.Path(c, uint32(i)), err)
		}
		list = append(list, &watched{acct: a, chain: c, index: uint32(i), script: d.PkScript})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].index < list[j].index })
	return list, nil
}

func accountUsed(lists map[[2]uint32][]*watched, purpose uint32) bool {
	for c := uint32(0); c < 2; c++ {
		for _, wa := range lists[[2]uint32{purpose, c}] {
			if len(wa.hist) > 0 {
				return true
			}
		}
	}
	return false
}

// historyStatus hashes a script's history so an unchanged script is recognised cheaply.
func historyStatus(h []chain.HistoryItem) [32]byte {
	items := append([]chain.HistoryItem(nil), h...)
	sort.Slice(items, func(i, j int) bool { return bytes.Compare(items[i].TxID[:], items[j].TxID[:]) < 0 })
	hs := sha256.New()
	var b [4]byte
	for _, it := range items {
		hs.Write(it.TxID[:])
		binary.BigEndian.PutUint32(b[:], uint32(it.Height))
		hs.Write(b[:])
	}
	var out [32]byte
	copy(out[:], hs.Sum(nil))
	return out
}

// settleStatuses decides each transaction's status from what the backend reports now: present
// and confirmed, present and pending, or gone. A gone transaction whose coin a present
// transaction of ours spends was replaced. Otherwise a payment this wallet signed (and every
// transaction it spends from) stays pending, its coins spent, its tips paid and its fee counted, until the chain proves otherwise:
// a confirmed transaction spending one of its inputs (then it is conflicted). A server that
// hides it, or a node that evicts it, proves nothing; sync rebroadcasts it and abandon is the
// user's way out. Any other gone transaction (one paying us, that we did not sign) no longer
// counts: its coin cannot be spent until a server shows it again.
func settleStatuses(txs map[chainhash.Hash]*store.TxRecord, present map[chainhash.Hash]int32,
	external map[wire.OutPoint]chainhash.Hash, externalHeight map[chainhash.Hash]int32, headers map[int32]*wire.BlockHeader) error {
	spender := map[wire.OutPoint]chainhash.Hash{}
	height := map[chainhash.Hash]int32{}
	for op, id := range external {
		spender[op] = id
		height[id] = externalHeight[id]
	}
	msgs := map[chainhash.Hash]*wire.MsgTx{}
	for id, r := range txs {
		m, err := r.MsgTx()
		if err != nil {
			return err
		}
		msgs[id] = m
		if h, ok := present[id]; ok {
			for _, in := range m.TxIn {
				spender[in.PreviousOutPoint] = id
			}
			height[id] = h
		}
	}
	// The transactions our signed, counted payments spend from, directly or not: the wallet saw
	// them once and signed on top of them, so they too stay until the chain proves otherwise
	// (else a server hiding a payer's transaction would undo our payment that spent it).
	vouched := map[chainhash.Hash]bool{}
	var queue []chainhash.Hash
	for id, r := range txs {
		if r.Sent && r.Status.Counted() {
			queue = append(queue, id)
		}
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, in := range msgs[id].TxIn {
			p := in.PreviousOutPoint.Hash
			if _, ok := txs[p]; ok && !vouched[p] {
				vouched[p] = true
				queue = append(queue, p)
			}
		}
	}
	for id, r := range txs {
		if h, ok := present[id]; ok {
			if h > 0 {
				hdr := headers[h]
				if hdr != nil {
					r.BlockHash, r.BlockTime = hdr.BlockHash(), hdr.Timestamp.Unix()
				}
				r.Height, r.Status = h, store.StatusConfirmed
			} else {
				r.Height, r.BlockHash, r.BlockTime, r.Status = 0, chainhash.Hash{}, 0, store.StatusPending
			}
			continue
		}
		if !r.Status.Counted() {
			continue
		}
		r.Height, r.BlockHash, r.BlockTime, r.Status = 0, chainhash.Hash{}, 0, store.StatusPending
		ours := r.Sent || vouched[id]
		if !ours {
			// Gone from the chain and the mempool, and not ours to vouch for.
			r.Status = store.StatusConflicted
		}
		for _, in := range msgs[id].TxIn {
			other, ok := spender[in.PreviousOutPoint]
			if !ok || other == id {
				continue
			}
			if o, ok := txs[other]; ok && r.Sent && o.Sent {
				r.Status = store.StatusReplaced
				break
			}
			if !ours || height[other] > 0 {
				r.Status = store.StatusConflicted
				break
			}
		}
	}
	return nil
}

// findExternalSpenders looks, for each wallet transaction that is neither confirmed nor in the
// mempool any more, at the coins it spent that the wallet does not own, and returns which
// present transaction now spends each of them. Coins the wallet owns need no search: whatever
// spends them shows in the wallet's own script histories.
func findExternalSpenders(ctx context.Context, be chain.Backend, known map[chainhash.Hash]*store.TxRecord,
	present map[chainhash.Hash]int32) (map[wire.OutPoint]chainhash.Hash, map[chainhash.Hash]int32, error) {
	wanted := map[wire.OutPoint]chainhash.Hash{} // outpoint -> the gone tx spending it
	var parents []chainhash.Hash
	seenParent := map[chainhash.Hash]bool{}
	for id, r := range known {
		if _, ok := present[id]; ok || !r.Status.Counted() {
			continue
		}
		m, err := r.MsgTx()
		if err != nil {
			return nil, nil, err
		}
		if isCoinbase(m) {
			continue
		}
		for _, in := range m.TxIn {
			if _, ours := known[in.PreviousOutPoint.Hash]; ours {
				continue
			}
			wanted[in.PreviousOutPoint] = id
			if !seenParent[in.PreviousOutPoint.Hash] {
				seenParent[in.PreviousOutPoint.Hash] = true
				parents = append(parents, in.PreviousOutPoint.Hash)
			}
		}
	}
	out := map[wire.OutPoint]chainhash.Hash{}
	heights := map[chainhash.Hash]int32{}
	if len(parents) == 0 {
		return out, heights, nil
	}
	ptxs, err := be.Transactions(ctx, parents)
	if err != nil {
		return nil, nil, err
	}
	var scripts [][]byte
	for op := range wanted {
		for i, id := range parents {
			if id == op.Hash && ptxs[i] != nil && int(op.Index) < len(ptxs[i].TxOut) {
				scripts = append(scripts, ptxs[i].TxOut[op.Index].PkScript)
			}
		}
	}
	hists, err := be.ScriptHistories(ctx, scripts)
	if err != nil {
		return nil, nil, err
	}
	var cands []chainhash.Hash
	seen := map[chainhash.Hash]bool{}
	for _, h := range hists {
		for _, it := range h {
			if _, mine := known[it.TxID]; !mine && !seen[it.TxID] {
				seen[it.TxID] = true
				cands = append(cands, it.TxID)
			}
			if _, mine := known[it.TxID]; !mine && it.Height > heights[it.TxID] {
				heights[it.TxID] = it.Height
			}
		}
	}
	if len(cands) == 0 {
		return out, heights, nil
	}
	ctxs, err := be.Transactions(ctx, cands)
	if err != nil {
		return nil, nil, err
	}
	for i, m := range ctxs {
		if m == nil || m.TxHash() != cands[i] {
			return nil, nil, fmt.Errorf("%s sent a transaction whose id does not match %s: %w", be.Name(), cands[i], chain.ErrUnreachable)
		}
		for _, in := range m.TxIn {
			if _, ok := wanted[in.PreviousOutPoint]; ok {
				out[in.PreviousOutPoint] = cands[i]
			}
		}
	}
	return out, heights, nil
}

// highestHistory is the greatest height any history in lists reports.
func highestHistory(lists map[[2]uint32][]*watched) int32 {
	var top int32
	for _, list := range lists {
		for _, wa := range list {
			for _, h := range wa.hist {
				top = max(top, h.Height)
			}
		}
	}
	return top
}
