package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// RebroadcastEvery is the least time between two rebroadcasts of one payment: often enough that
// a payment a node evicted or a server never relayed goes out again, seldom enough that the
// backend does not learn the wallet's payments from a stream of repeats.
const RebroadcastEvery = time.Hour

// rebroadcastKey is the wallet setting holding, as JSON, when each pending payment was last
// broadcast again (txid -> unix seconds); it is pruned to the payments still pending.
const rebroadcastKey = "rebroadcast"

// rebroadcast sends again every payment this wallet signed that is still pending but that the
// backend did not report, at most once per RebroadcastEvery by the wallet's clock. A refusal is
// not an error of the sync (the payment may be in a mempool the backend does not see, or a
// conflict may be on its way to a block, which a later sync will prove); the ids sent are
// returned.
func (w *Wallet) rebroadcast(ctx context.Context, be chain.Backend, present map[chainhash.Hash]int32, now time.Time) ([]chainhash.Hash, error) {
	last := map[string]int64{}
	var due []*wire.MsgTx
	pending := map[string]bool{}
	err := w.st.View(func(tx *store.Txn) error {
		if v := tx.Setting(rebroadcastKey); v != "" {
			_ = json.Unmarshal([]byte(v), &last) // a damaged record only makes a rebroadcast early
		}
		return tx.ForEachTx(func(r *store.TxRecord) error {
			if !r.Sent || r.Status != store.StatusPending {
				return nil
			}
			pending[r.TxID.String()] = true
			if _, ok := present[r.TxID]; ok {
				return nil
			}
			if t, ok := last[r.TxID.String()]; ok && now.Unix()-t < int64(RebroadcastEvery/time.Second) && now.Unix() >= t {
				return nil
			}
			m, err := r.MsgTx()
			if err != nil {
				return err
			}
			due = append(due, m)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	var sent []chainhash.Hash
	for _, m := range parentsFirst(due) {
		id := m.TxHash()
		if _, err := be.Broadcast(ctx, m); err != nil {
			var bErr *chain.BroadcastError
			if !errors.As(err, &bErr) {
				break // the backend is unreachable: the rest go at the next sync
			}
		}
		last[id.String()] = now.Unix()
		sent = append(sent, id)
	}
	for id := range last {
		if !pending[id] {
			delete(last, id)
		}
	}
	b, err := json.Marshal(last)
	if err != nil {
		return sent, err
	}
	if len(last) == 0 {
		b = nil
	}
	if err := w.writable(); err != nil {
		return sent, err
	}
	return sent, w.st.Update(func(tx *store.Txn) error { return tx.PutSetting(rebroadcastKey, string(b)) })
}

// parentsFirst orders transactions so that none comes before one whose output it spends, the
// order nodes accept a chain in; otherwise by txid, so the order does not depend on map order.
func parentsFirst(txs []*wire.MsgTx) []*wire.MsgTx {
	sort.Slice(txs, func(i, j int) bool {
		a, b := txs[i].TxHash(), txs[j].TxHash()
		return a.String() < b.String()
	})
	byID := map[chainhash.Hash]*wire.MsgTx{}
	for _, m := range txs {
		byID[m.TxHash()] = m
	}
	done := map[chainhash.Hash]bool{}
	out := make([]*wire.MsgTx, 0, len(txs))
	var visit func(m *wire.MsgTx)
	visit = func(m *wire.MsgTx) {
		id := m.TxHash()
		if done[id] {
			return
		}
		done[id] = true
		for _, in := range m.TxIn {
			if p, ok := byID[in.PreviousOutPoint.Hash]; ok {
				visit(p)
			}
		}
		out = append(out, m)
	}
	for _, m := range txs {
		visit(m)
	}
	return out
}
