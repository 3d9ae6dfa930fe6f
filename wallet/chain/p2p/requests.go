package p2p

import (
	"context"
	"fmt"
	"math/rand/v2"

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

// sendTx hands tx to the peer and waits until the peer has processed it: a ping sent after the
// transaction is answered after it (btcd handles one peer's messages in order, and finishes
// with a transaction before reading the next message). It returns the peer's reject message
// for the transaction, if any.
func (c *conn) sendTx(ctx context.Context, tx *wire.MsgTx) (*wire.MsgReject, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drain(c.rejects)
	drain(c.pongs)
	drain(c.getData)
	id := tx.TxHash()
	c.p.QueueMessageWithEncoding(tx, nil, wire.WitnessEncoding)
	nonce := rand.Uint64()
	c.p.QueueMessage(wire.NewMsgPing(nonce), nil)
	for {
		select {
		case r := <-c.rejects:
			if r.Cmd == wire.CmdTx && r.Hash == id {
				return r, nil
			}
		case n := <-c.pongs:
			if n != nonce {
				continue
			}
			// A reject queued just before the pong may be read by now.
			select {
			case r := <-c.rejects:
				if r.Cmd == wire.CmdTx && r.Hash == id {
					return r, nil
				}
			default:
			}
			return nil, nil
		case gd := <-c.getData:
			for _, iv := range gd.InvList {
				if iv.Hash == id {
					c.p.QueueMessageWithEncoding(tx, nil, wire.WitnessEncoding)
				}
			}
		case <-c.p.Done():
			return nil, fmt.Errorf("peer %s: %w", c.addr, errPeerGone)
		case <-ctx.Done():
			return nil, fmt.Errorf("peer %s: no answer: %w", c.addr, ctx.Err())
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
