package p2p

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// maxMempoolTxs is the largest mempool the backend downloads to find unconfirmed payments. A
// busier one (mainnet most of the time) is skipped: incoming payments then show once mined.
const maxMempoolTxs = 5000

// mempoolEvery spaces mempool requests to one peer: btcd adds 33 to a peer's ban score for each
// and halves the score every minute, so one a minute never reaches its ban threshold of 100.
const mempoolEvery = time.Minute

// errMempoolTooBig means the peer's mempool is above maxMempoolTxs.
var errMempoolTooBig = errors.New("mempool too big to download")

// getMempool downloads the peer's whole mempool (BIP35 mempool message, then every transaction
// it lists): the peer learns nothing about which ones matter. Only peers offering bloom
// filtering answer it (btcd disconnects the others), so it is not asked of them. A peer listing
// more than maxMempoolTxs is given up on as soon as it has (a peer may list without end), and
// only the transactions it listed are taken, once each.
func (c *conn) getMempool(ctx context.Context) ([]*wire.MsgTx, error) {
	if c.p.Services()&wire.SFNodeBloom == 0 {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.invs)
	drain(c.txs)
	drain(c.pongs)
	drain(c.notFound)
	c.p.QueueMessage(wire.NewMsgMemPool(), nil)
	listed := map[chainhash.Hash]bool{} // listed, and not received yet
	var ids []chainhash.Hash
	if err := c.untilPong(ctx, func() error {
		for {
			select {
			case inv := <-c.invs:
				for _, iv := range inv.InvList {
					if (iv.Type == wire.InvTypeTx || iv.Type == wire.InvTypeWitnessTx) && !listed[iv.Hash] {
						listed[iv.Hash] = true
						ids = append(ids, iv.Hash)
					}
				}
				if len(ids) > maxMempoolTxs {
					return fmt.Errorf("peer %s: more than %d transactions: %w", c.addr, maxMempoolTxs, errMempoolTooBig)
				}
			default:
				return nil
			}
		}
	}); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	for i := 0; i < len(ids); i += wire.MaxInvPerMsg {
		m := wire.NewMsgGetData()
		for j := i; j < min(i+wire.MaxInvPerMsg, len(ids)); j++ {
			_ = m.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessTx, &ids[j]))
		}
		c.p.QueueMessage(m, nil)
	}
	var out []*wire.MsgTx
	err := c.untilPong(ctx, func() error {
		for {
			select {
			case tx := <-c.txs:
				if id := tx.TxHash(); listed[id] {
					delete(listed, id)
					out = append(out, tx)
				}
			default:
				return nil
			}
		}
	})
	return out, err
}

// untilPong sends a ping and runs step (which must not block) until the pong comes back: a
// peer answers messages in order, so by then it has sent everything it meant to. An error of
// step ends the wait.
func (c *conn) untilPong(ctx context.Context, step func() error) error {
	nonce := rand.Uint64()
	c.p.QueueMessage(wire.NewMsgPing(nonce), nil)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		if err := step(); err != nil {
			return err
		}
		select {
		case n := <-c.pongs:
			if n == nonce {
				// The peer's input handler delivered everything before the pong.
				return step()
			}
		case <-c.p.Done():
			return fmt.Errorf("peer %s: %w", c.addr, errPeerGone)
		case <-ctx.Done():
			return fmt.Errorf("peer %s: no answer: %w", c.addr, ctx.Err())
		case <-tick.C:
		}
	}
}

// refreshMempool downloads a peer's mempool when the last download is older than
// mempoolEvery, and says whether it did. Failing is not an error: unconfirmed payments then
// show once mined.
func (b *Backend) refreshMempool(ctx context.Context) bool {
	if len(b.conns) == 0 || (!b.mempoolAt.IsZero() && b.now().Sub(b.mempoolAt) < mempoolEvery) {
		return false
	}
	for _, c := range b.conns {
		if c.p.Services()&wire.SFNodeBloom == 0 {
			continue
		}
		rctx, cancel := b.request(ctx)
		txs, err := c.getMempool(rctx)
		cancel()
		if err != nil {
			continue
		}
		b.mempool = map[chainhash.Hash]*wire.MsgTx{}
		for _, tx := range txs {
			b.mempool[tx.TxHash()] = tx
		}
		b.mempoolAt, b.mempoolFrom = b.now(), c.addr
		return true
	}
	return false
}

// forgetDropped forgets the wallet's broadcasts that are neither mined nor in the mempool just
// downloaded: the network dropped them (or never took them), and the wallet, seeing them gone
// as with any other backend, broadcasts them again. A broadcast of this session is forgotten
// only when the peer whose mempool lacks it took it: one that refused it (a higher minimum
// fee) or was not connected then may lack what the rest of the network has.
func (b *Backend) forgetDropped() {
	for id := range b.scan.pending {
		if _, ok := b.mempool[id]; ok {
			continue
		}
		if took, ours := b.tookBy[id]; ours && !took[b.mempoolFrom] {
			continue
		}
		delete(b.scan.pending, id)
		delete(b.tookBy, id)
	}
}
