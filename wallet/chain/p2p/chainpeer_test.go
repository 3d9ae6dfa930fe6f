package p2p_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2/gcs/builder"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// chainPeer is a peer serving a chaintest.Chain over the wire protocol as a btcd node with
// compact filters would: headers, BIP157 filter headers and checkpoints, BIP158 filters built
// from the blocks, blocks and mempool transactions, BIP35 mempool, and broadcasts into the
// chain's mempool, refused with a reject message in the chain's words. Every answer is
// computed from the chain as it is when asked, so a test can mine and reorganise under it.
type chainPeer struct {
	t      testing.TB
	c      *chaintest.Chain
	params *chaincfg.Params
	mu     sync.Mutex
	peers  []*peer.Peer
	// dropTxs is how many transactions the peer drops without a word before it takes them, as
	// btcd does with those a peer sends before its sync manager has registered that peer.
	dropTxs int
	// hidesTxs makes the peer answer "not found" to a request for a transaction it was sent,
	// as Bitcoin Core does for one it has not announced.
	hidesTxs bool
	// noRejects makes the peer refuse transactions without a reject message, as Bitcoin Core.
	noRejects bool
	// gotTxs counts the transaction messages the peer received.
	gotTxs int
}

// startChainPeer listens on a loopback port and returns its address.
func startChainPeer(t testing.TB, c *chaintest.Chain, params *chaincfg.Params) string {
	t.Helper()
	return startChainPeerAs(t, &chainPeer{c: c, params: params})
}

// startChainPeerAs starts cp (its chain, parameters and policy set).
func startChainPeerAs(t testing.TB, cp *chainPeer) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cp.t = t
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		cp.mu.Lock()
		for _, p := range cp.peers {
			p.Disconnect()
		}
		cp.mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			p := peer.NewInboundPeer(cp.config())
			cp.mu.Lock()
			cp.peers = append(cp.peers, p)
			cp.mu.Unlock()
			p.AssociateConnection(conn)
		}
	}()
	return l.Addr().String()
}

func (cp *chainPeer) config() *peer.Config {
	return &peer.Config{
		ChainParams:      cp.params,
		Services:         wire.SFNodeNetwork | wire.SFNodeWitness | wire.SFNodeCF | wire.SFNodeBloom, // bloom: it answers BIP35 mempool
		UserAgentName:    "chaintest",
		UserAgentVersion: "0.0.1",
		NewestBlock: func() (*chainhash.Hash, int32, error) {
			return nil, cp.c.Height(), nil
		},
		DisableStallHandler: true,
		AllowSelfConns:      true,
		Listeners: peer.MessageListeners{
			OnGetHeaders:   cp.onGetHeaders,
			OnGetCFHeaders: cp.onGetCFHeaders,
			OnGetCFilters:  cp.onGetCFilters,
			OnGetCFCheckpt: cp.onGetCFCheckpt,
			OnGetData:      cp.onGetData,
			OnMemPool:      cp.onMemPool,
			OnTx:           cp.onTx,
		},
	}
}

// block is the best chain's block at h; nil past the tip.
func (cp *chainPeer) block(h int32) *wire.MsgBlock {
	b, _ := cp.c.Block(h)
	return b
}

// heightOf finds a block of the best chain by hash.
func (cp *chainPeer) heightOf(hash chainhash.Hash) (int32, bool) {
	for h := cp.c.Height(); h >= 0; h-- {
		if b := cp.block(h); b != nil && b.BlockHash() == hash {
			return h, true
		}
	}
	return 0, false
}

func (cp *chainPeer) onGetHeaders(p *peer.Peer, m *wire.MsgGetHeaders) {
	from := int32(0)
	for _, h := range m.BlockLocatorHashes {
		if height, ok := cp.heightOf(*h); ok {
			from = height
			break
		}
	}
	out := wire.NewMsgHeaders()
	for h := from + 1; len(out.Headers) < wire.MaxBlockHeadersPerMsg; h++ {
		b := cp.block(h)
		if b == nil {
			break
		}
		hdr := b.Header
		_ = out.AddBlockHeader(&hdr)
		if hdr.BlockHash() == m.HashStop {
			break
		}
	}
	p.QueueMessage(out, nil)
}

// filter is the BIP158 basic filter of the block at h: its outputs' scripts and the scripts
// its inputs spend that the chain knows (a made-up outpoint spends nothing known).
func (cp *chainPeer) filter(h int32) []byte {
	b := cp.block(h)
	known := map[chainhash.Hash]*wire.MsgTx{}
	for i := int32(0); i < h; i++ {
		for _, t := range cp.block(i).Transactions {
			known[t.TxHash()] = t
		}
	}
	for _, t := range b.Transactions {
		known[t.TxHash()] = t
	}
	var prev [][]byte
	for _, t := range b.Transactions {
		for _, in := range t.TxIn {
			if p, ok := known[in.PreviousOutPoint.Hash]; ok && int(in.PreviousOutPoint.Index) < len(p.TxOut) {
				prev = append(prev, p.TxOut[in.PreviousOutPoint.Index].PkScript)
			}
		}
	}
	f, err := builder.BuildBasicFilter(b, prev)
	if err != nil {
		cp.t.Errorf("chain peer: filter of block %d: %v", h, err)
		return nil
	}
	data, err := f.NBytes()
	if err != nil {
		cp.t.Errorf("chain peer: filter of block %d: %v", h, err)
	}
	return data
}

// filterHeaders chains the filter headers from the genesis block to stop.
func (cp *chainPeer) filterHeaders(stop int32) (hashes, headers []chainhash.Hash) {
	var prev chainhash.Hash
	for h := int32(0); h <= stop; h++ {
		fh := chainhash.DoubleHashH(cp.filter(h))
		var buf [64]byte
		copy(buf[:32], fh[:])
		copy(buf[32:], prev[:])
		prev = chainhash.DoubleHashH(buf[:])
		hashes, headers = append(hashes, fh), append(headers, prev)
	}
	return hashes, headers
}

func (cp *chainPeer) onGetCFCheckpt(p *peer.Peer, m *wire.MsgGetCFCheckpt) {
	stop, ok := cp.heightOf(m.StopHash)
	if !ok {
		return
	}
	_, hs := cp.filterHeaders(stop)
	out := &wire.MsgCFCheckpt{FilterType: wire.GCSFilterRegular, StopHash: m.StopHash}
	for h := int32(wire.CFCheckptInterval); h <= stop; h += wire.CFCheckptInterval {
		out.FilterHeaders = append(out.FilterHeaders, &hs[h])
	}
	p.QueueMessage(out, nil)
}

func (cp *chainPeer) onGetCFHeaders(p *peer.Peer, m *wire.MsgGetCFHeaders) {
	stop, ok := cp.heightOf(m.StopHash)
	if !ok {
		return
	}
	hashes, headers := cp.filterHeaders(stop)
	out := &wire.MsgCFHeaders{FilterType: wire.GCSFilterRegular, StopHash: m.StopHash}
	if m.StartHeight > 0 {
		out.PrevFilterHeader = headers[m.StartHeight-1]
	}
	for h := int32(m.StartHeight); h <= stop; h++ {
		_ = out.AddCFHash(&hashes[h])
	}
	p.QueueMessage(out, nil)
}

func (cp *chainPeer) onGetCFilters(p *peer.Peer, m *wire.MsgGetCFilters) {
	stop, ok := cp.heightOf(m.StopHash)
	if !ok {
		return
	}
	for h := int32(m.StartHeight); h <= stop; h++ {
		hash := cp.block(h).BlockHash()
		p.QueueMessage(wire.NewMsgCFilter(wire.GCSFilterRegular, &hash, cp.filter(h)), nil)
	}
}

// onGetData serves blocks of the best chain and transactions of the mempool.
func (cp *chainPeer) onGetData(p *peer.Peer, m *wire.MsgGetData) {
	var missing []*wire.InvVect
	mempool := map[chainhash.Hash]*wire.MsgTx{}
	for _, t := range cp.c.Mempool() {
		mempool[t.TxHash()] = t
	}
	for _, iv := range m.InvList {
		switch iv.Type {
		case wire.InvTypeWitnessBlock, wire.InvTypeBlock:
			if h, ok := cp.heightOf(iv.Hash); ok {
				p.QueueMessageWithEncoding(cp.block(h), nil, wire.WitnessEncoding)
				continue
			}
		case wire.InvTypeWitnessTx, wire.InvTypeTx:
			if t, ok := mempool[iv.Hash]; ok && !cp.hidesTxs {
				p.QueueMessageWithEncoding(t, nil, wire.WitnessEncoding)
				continue
			}
		}
		missing = append(missing, iv)
	}
	if len(missing) > 0 {
		p.QueueMessage(&wire.MsgNotFound{InvList: missing}, nil)
	}
}

// onMemPool announces every mempool transaction (BIP35).
func (cp *chainPeer) onMemPool(p *peer.Peer, _ *wire.MsgMemPool) {
	inv := wire.NewMsgInv()
	for _, t := range cp.c.Mempool() {
		id := t.TxHash()
		_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &id))
	}
	p.QueueMessage(inv, nil)
}

// onTx takes a broadcast into the chain's mempool, or refuses it as btcd does, with a reject.
func (cp *chainPeer) onTx(p *peer.Peer, m *wire.MsgTx) {
	cp.mu.Lock()
	cp.gotTxs++
	drop := cp.gotTxs <= cp.dropTxs
	cp.mu.Unlock()
	if drop {
		return
	}
	_, err := cp.c.Broadcast(context.Background(), m)
	var berr *chain.BroadcastError
	if errors.As(err, &berr) && !cp.noRejects {
		id := m.TxHash()
		code := wire.RejectInvalid
		if berr.Cause == chain.CauseAlreadyInChain {
			code = wire.RejectDuplicate
		}
		rej := wire.NewMsgReject(wire.CmdTx, code, berr.Message)
		rej.Hash = id
		p.QueueMessage(rej, nil)
	}
}
