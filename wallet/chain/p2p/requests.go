package p2p

import (
	"context"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// getHeaders asks for the headers that follow the locator (up to 2000).
func (c *conn) getHeaders(ctx context.Context, locator []*chainhash.Hash) ([]wire.BlockHeader, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.headers)
	m := wire.NewMsgGetHeaders()
	for _, h := range locator {
		if err := m.AddBlockLocatorHash(h); err != nil {
			return nil, err
		}
	}
	c.p.QueueMessage(m, nil)
	ans, err := await(ctx, c, c.headers, "getheaders")
	if err != nil {
		return nil, err
	}
	out := make([]wire.BlockHeader, len(ans.Headers))
	for i, h := range ans.Headers {
		out[i] = *h
	}
	return out, nil
}

// getCFHeaders asks for the basic filter hashes of the blocks from start to stop (stopHash at
// height start+count-1).
func (c *conn) getCFHeaders(ctx context.Context, start uint32, stopHash chainhash.Hash) (*wire.MsgCFHeaders, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.cfheaders)
	c.p.QueueMessage(wire.NewMsgGetCFHeaders(wire.GCSFilterRegular, start, &stopHash), nil)
	for {
		ans, err := await(ctx, c, c.cfheaders, "getcfheaders")
		if err != nil {
			return nil, err
		}
		if ans.StopHash == stopHash && ans.FilterType == wire.GCSFilterRegular {
			return ans, nil
		}
	}
}

// getCFilters asks for the basic filters of the blocks hashes (consecutive, ending at the
// block at height start+len(hashes)-1) and returns their data in order.
func (c *conn) getCFilters(ctx context.Context, start uint32, hashes []chainhash.Hash) ([][]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.cfilters)
	stop := hashes[len(hashes)-1]
	c.p.QueueMessage(wire.NewMsgGetCFilters(wire.GCSFilterRegular, start, &stop), nil)
	out := make([][]byte, len(hashes))
	want := map[chainhash.Hash]int{}
	for i, h := range hashes {
		want[h] = i
	}
	for left := len(hashes); left > 0; {
		ans, err := await(ctx, c, c.cfilters, "getcfilters")
		if err != nil {
			return nil, err
		}
		i, ok := want[ans.BlockHash]
		if !ok || ans.FilterType != wire.GCSFilterRegular || out[i] != nil {
			continue
		}
		out[i] = ans.Data
		if out[i] == nil {
			out[i] = []byte{}
		}
		left--
	}
	return out, nil
}

// getBlocks downloads blocks with their witness data, in the order asked.
func (c *conn) getBlocks(ctx context.Context, hashes []chainhash.Hash) ([]*wire.MsgBlock, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.blocks)
	drain(c.notFound)
	m := wire.NewMsgGetData()
	want := map[chainhash.Hash]int{}
	for i := range hashes {
		want[hashes[i]] = i
		if err := m.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &hashes[i])); err != nil {
			return nil, err
		}
	}
	c.p.QueueMessage(m, nil)
	out := make([]*wire.MsgBlock, len(hashes))
	for left := len(hashes); left > 0; {
		select {
		case nf := <-c.notFound:
			for _, iv := range nf.InvList {
				if _, ok := want[iv.Hash]; ok {
					return nil, fmt.Errorf("peer %s does not have block %s", c.addr, iv.Hash)
				}
			}
			continue
		default:
		}
		b, err := await(ctx, c, c.blocks, "getdata (blocks)")
		if err != nil {
			return nil, err
		}
		i, ok := want[b.BlockHash()]
		if !ok || out[i] != nil {
			continue
		}
		out[i] = b
		left--
	}
	return out, nil
}

// sendAttempts is how many times sendTx hands a transaction to a peer that answers it does
// not have it. btcd registers a new peer with its sync manager a moment after the handshake and
// drops, without a word, a transaction that arrives before ("Received tx message from unknown
// peer" in its log): a broadcast right after connecting can be lost that way.
const sendAttempts = 4

// resendWait is the pause before the first resend; it doubles for each later one.
const resendWait = 25 * time.Millisecond

// sendTx hands tx to the peer and waits until the peer has processed it: a ping sent after the
// transaction is answered after it (btcd handles one peer's messages in order, and finishes
// with a transaction before reading the next message). It returns the peer's reject message
// for the transaction, if any. It then asks the peer for the transaction back: a peer that
// answers "not found" lost it, and is given it again (up to sendAttempts in all). A peer that
// does not serve transactions it was sent (Bitcoin Core answers "not found" to those too) is
// taken at its word after the last attempt, as one that stays silent is at once.
func (c *conn) sendTx(ctx context.Context, tx *wire.MsgTx) (*wire.MsgReject, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wait := resendWait
	for attempt := 1; ; attempt++ {
		rej, err := c.pushTx(ctx, tx)
		if rej != nil && attempt > 1 && rej.Code == wire.RejectDuplicate {
			return nil, nil // it said it lacked it, and has it now
		}
		if rej != nil || err != nil {
			return rej, err
		}
		missing, err := c.lacksTx(ctx, tx)
		if err != nil || !missing || attempt == sendAttempts {
			return nil, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, fmt.Errorf("peer %s: no answer: %w", c.addr, ctx.Err())
		}
		wait *= 2
	}
}

// pushTx sends tx and a ping, and returns the peer's reject of tx if one comes before the pong.
// The caller holds c.mu.
func (c *conn) pushTx(ctx context.Context, tx *wire.MsgTx) (*wire.MsgReject, error) {
	drain(c.rejects)
	drain(c.pongs)
	drain(c.getData)
	id := tx.TxHash()
	c.p.QueueMessageWithEncoding(tx, nil, wire.WitnessEncoding)
	var rej *wire.MsgReject
	err := c.untilPong(ctx, func() error {
		for rej == nil {
			select {
			case r := <-c.rejects:
				if r.Cmd == wire.CmdTx && r.Hash == id {
					rej = r
				}
			case gd := <-c.getData:
				c.serveTx(gd, tx)
			default:
				return nil
			}
		}
		return nil
	})
	return rej, err
}

// lacksTx asks the peer for tx and says whether it answered that it does not have it. No
// answer (a peer that ignores such requests) is not a "no". The caller holds c.mu.
func (c *conn) lacksTx(ctx context.Context, tx *wire.MsgTx) (bool, error) {
	drain(c.txs)
	drain(c.notFound)
	drain(c.pongs)
	id := tx.TxHash()
	m := wire.NewMsgGetData()
	_ = m.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessTx, &id))
	c.p.QueueMessage(m, nil)
	answered, missing := false, false
	err := c.untilPong(ctx, func() error {
		for !answered {
			select {
			case got := <-c.txs:
				answered = got.TxHash() == id
			case nf := <-c.notFound:
				for _, iv := range nf.InvList {
					if iv.Hash == id {
						answered, missing = true, true
					}
				}
			case gd := <-c.getData:
				c.serveTx(gd, tx)
			default:
				return nil
			}
		}
		return nil
	})
	return missing, err
}

// serveTx answers a peer's request for tx (a peer may ask for what it was just sent).
func (c *conn) serveTx(gd *wire.MsgGetData, tx *wire.MsgTx) {
	id := tx.TxHash()
	for _, iv := range gd.InvList {
		if iv.Hash == id {
			c.p.QueueMessageWithEncoding(tx, nil, wire.WitnessEncoding)
			return
		}
	}
}

// getCFCheckpt asks for the basic filter headers at every 1000th height up to stopHash.
func (c *conn) getCFCheckpt(ctx context.Context, stopHash chainhash.Hash) ([]chainhash.Hash, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.cfcheckpt)
	c.p.QueueMessage(wire.NewMsgGetCFCheckpt(wire.GCSFilterRegular, &stopHash), nil)
	for {
		ans, err := await(ctx, c, c.cfcheckpt, "getcfcheckpt")
		if err != nil {
			return nil, err
		}
		if ans.StopHash != stopHash || ans.FilterType != wire.GCSFilterRegular {
			continue
		}
		out := make([]chainhash.Hash, len(ans.FilterHeaders))
		for i, h := range ans.FilterHeaders {
			out[i] = *h
		}
		return out, nil
	}
}
