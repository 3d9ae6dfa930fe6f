package p2p

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// Broadcast sends tx to every connected peer and waits until each has processed it. A peer's
// reject message is the refusal (btcd sends them; Bitcoin Core no longer does, so a Core peer
// that drops a transaction is not noticed). The transaction is kept, in memory and in the
// wallet folder, and shown as unconfirmed in ScriptHistories until it is mined or a mined
// transaction spends its coins.
func (b *Backend) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := tx.TxHash()
	if err := b.begin(ctx); err != nil {
		return id, err
	}
	type result struct {
		c   *conn
		rej *wire.MsgReject
		err error
	}
	res := make([]result, len(b.conns))
	var wg sync.WaitGroup
	for i, c := range b.conns {
		wg.Add(1)
		go func(i int, c *conn) {
			defer wg.Done()
			rctx, cancel := b.request(ctx)
			defer cancel()
			rej, err := c.sendTx(rctx, tx)
			res[i] = result{c: c, rej: rej, err: err}
		}(i, c)
	}
	wg.Wait()
	var failures []string
	var refusal *chain.BroadcastError
	accepted := 0
	took := map[string]bool{}
	for _, r := range res {
		switch {
		case r.err != nil:
			failures = append(failures, r.err.Error())
		case r.rej != nil:
			e := chain.Refusal(r.rej.Reason)
			if refusal == nil {
				refusal = e
			}
		default:
			accepted++
			took[r.c.addr] = true
		}
	}
	if accepted == 0 {
		if refusal != nil {
			return id, refusal
		}
		return id, b.unreachable("no peer took the transaction: %s", strings.Join(failures, "; "))
	}
	if refusal != nil && refusal.Cause == chain.CauseAlreadyInChain {
		return id, refusal
	}
	if !b.loaded {
		return id, fmt.Errorf("%s: not loaded", b.name)
	}
	// A replacement (fee bump) takes the place of the broadcasts whose coins it spends.
	ins := map[wire.OutPoint]bool{}
	for _, in := range tx.TxIn {
		ins[in.PreviousOutPoint] = true
	}
	for old, otx := range b.scan.pending {
		for _, in := range otx.TxIn {
			if ins[in.PreviousOutPoint] {
				delete(b.scan.pending, old)
				delete(b.tookBy, old)
				break
			}
		}
	}
	b.scan.pending[id] = tx
	b.tookBy[id] = took
	b.mempoolAt = time.Time{} // the next histories look at the mempool again
	if err := b.scan.save(b.dataDir); err != nil {
		return id, fmt.Errorf("%s: sent %s, but: %w", b.name, id, err)
	}
	return id, nil
}
