package p2p_test

import (
	"net"
	"sync"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/rpcclient"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
)

// lyingPeer is a peer speaking the wire protocol that serves the node's headers honestly but
// lies about the filter of one block: it claims an empty filter there, and serves one that
// matches its lie, so only the block itself can show it hides the block's outputs.
type lyingPeer struct {
	t     *testing.T
	rpc   *rpcclient.Client
	lieAt int32
	mu    sync.Mutex
	peers []*peer.Peer
	data  map[int32][]byte // filters served, by height (the test's chain does not change)
	// refusesTxs makes the peer offer bloom filtering (so the client asks its mempool), refuse
	// every transaction sent to it and keep an empty mempool: a node whose policy differs.
	refusesTxs bool
}

// lie is the empty filter the liar serves: one byte, N = 0.
var lie = []byte{0}

// startLyingPeer listens on a loopback port for one client and returns its address.
func startLyingPeer(t *testing.T, node *regtest.Node, lieAt int32) string {
	return startFakePeer(t, node, &lyingPeer{lieAt: lieAt})
}

// startFakePeer starts lp (its lie and its policy set) on the node's chain.
func startFakePeer(t *testing.T, node *regtest.Node, lp *lyingPeer) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lp.t, lp.rpc, lp.data = t, node.RPC(), map[int32][]byte{}
	// Fetch the node's filters now, so the client's requests are answered fast.
	lp.headersTo(node.Height(t))
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		lp.mu.Lock()
		for _, p := range lp.peers {
			p.Disconnect()
		}
		lp.mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p := peer.NewInboundPeer(lp.config())
			lp.mu.Lock()
			lp.peers = append(lp.peers, p)
			lp.mu.Unlock()
			p.AssociateConnection(c)
		}
	}()
	return l.Addr().String()
}

func (lp *lyingPeer) config() *peer.Config {
	services := wire.SFNodeNetwork | wire.SFNodeWitness | wire.SFNodeCF
	if lp.refusesTxs {
		services |= wire.SFNodeBloom
	}
	return &peer.Config{
		ChainParams:   regtest.Net,
		Services:      services,
		UserAgentName: "liar", UserAgentVersion: "0.0.1",
		NewestBlock: func() (*chainhash.Hash, int32, error) {
			n, err := lp.rpc.GetBlockCount()
			return nil, int32(n), err
		},
		DisableStallHandler: true,
		// The client runs in this process too, and the peer package takes a version nonce it
		// sent itself for a connection to itself.
		AllowSelfConns: true,
		Listeners: peer.MessageListeners{
			OnGetHeaders:   lp.onGetHeaders,
			OnGetCFHeaders: lp.onGetCFHeaders,
			OnGetCFilters:  lp.onGetCFilters,
			OnGetData:      lp.onGetData,
			OnGetCFCheckpt: lp.onGetCFCheckpt,
			OnTx:           lp.onTx,
		},
	}
}

func (lp *lyingPeer) hashAt(h int32) chainhash.Hash {
	hash, err := lp.rpc.GetBlockHash(int64(h))
	if err != nil {
		lp.t.Errorf("liar: getblockhash %d: %v", h, err)
		return chainhash.Hash{}
	}
	return *hash
}

func (lp *lyingPeer) heightOf(hash *chainhash.Hash) (int32, bool) {
	v, err := lp.rpc.GetBlockHeaderVerbose(hash)
	if err != nil {
		return 0, false
	}
	return v.Height, true
}

func (lp *lyingPeer) onGetHeaders(p *peer.Peer, m *wire.MsgGetHeaders) {
	from := int32(0)
	for _, h := range m.BlockLocatorHashes {
		if height, ok := lp.heightOf(h); ok {
			from = height
			break
		}
	}
	n, _ := lp.rpc.GetBlockCount()
	out := wire.NewMsgHeaders()
	for h := from + 1; h <= int32(n) && len(out.Headers) < wire.MaxBlockHeadersPerMsg; h++ {
		hash := lp.hashAt(h)
		hdr, err := lp.rpc.GetBlockHeader(&hash)
		if err != nil {
			return
		}
		_ = out.AddBlockHeader(hdr)
	}
	p.QueueMessage(out, nil)
}

// filterAt is the liar's filter of a block: the node's, except at lieAt.
func (lp *lyingPeer) filterAt(h int32, hash chainhash.Hash) []byte {
	if h == lp.lieAt {
		return lie
	}
	lp.mu.Lock()
	d, ok := lp.data[h]
	lp.mu.Unlock()
	if ok {
		return d
	}
	f, err := lp.rpc.GetCFilter(&hash, wire.GCSFilterRegular)
	if err != nil {
		lp.t.Errorf("liar: getcfilter %d: %v", h, err)
		return nil
	}
	lp.mu.Lock()
	lp.data[h] = f.Data
	lp.mu.Unlock()
	return f.Data
}

// headersTo chains the liar's filter headers from the genesis block to stop.
func (lp *lyingPeer) headersTo(stop int32) []chainhash.Hash {
	out := make([]chainhash.Hash, stop+1)
	var prev chainhash.Hash
	for h := int32(0); h <= stop; h++ {
		fh := chainhash.DoubleHashH(lp.filterAt(h, lp.hashAt(h)))
		var buf [64]byte
		copy(buf[:32], fh[:])
		copy(buf[32:], prev[:])
		prev = chainhash.DoubleHashH(buf[:])
		out[h] = prev
	}
	return out
}

func (lp *lyingPeer) onGetCFCheckpt(p *peer.Peer, m *wire.MsgGetCFCheckpt) {
	stop, ok := lp.heightOf(&m.StopHash)
	if !ok {
		return
	}
	hs := lp.headersTo(stop)
	out := &wire.MsgCFCheckpt{FilterType: wire.GCSFilterRegular, StopHash: m.StopHash}
	for h := int32(wire.CFCheckptInterval); h <= stop; h += wire.CFCheckptInterval {
		out.FilterHeaders = append(out.FilterHeaders, &hs[h])
	}
	p.QueueMessage(out, nil)
}

func (lp *lyingPeer) onGetCFHeaders(p *peer.Peer, m *wire.MsgGetCFHeaders) {
	stop, ok := lp.heightOf(&m.StopHash)
	if !ok {
		return
	}
	out := &wire.MsgCFHeaders{FilterType: wire.GCSFilterRegular, StopHash: m.StopHash}
	var prev chainhash.Hash
	for h := int32(0); h <= stop; h++ {
		fh := chainhash.DoubleHashH(lp.filterAt(h, lp.hashAt(h)))
		if h < int32(m.StartHeight) {
			var buf [64]byte
			copy(buf[:32], fh[:])
			copy(buf[32:], prev[:])
			prev = chainhash.DoubleHashH(buf[:])
			continue
		}
		_ = out.AddCFHash(&fh)
	}
	out.PrevFilterHeader = prev
	p.QueueMessage(out, nil)
}

func (lp *lyingPeer) onGetCFilters(p *peer.Peer, m *wire.MsgGetCFilters) {
	stop, ok := lp.heightOf(&m.StopHash)
	if !ok {
		return
	}
	for h := int32(m.StartHeight); h <= stop; h++ {
		hash := lp.hashAt(h)
		p.QueueMessage(wire.NewMsgCFilter(wire.GCSFilterRegular, &hash, lp.filterAt(h, hash)), nil)
	}
}

// onGetData serves blocks, as the node has them.
func (lp *lyingPeer) onGetData(p *peer.Peer, m *wire.MsgGetData) {
	for _, iv := range m.InvList {
		if iv.Type != wire.InvTypeWitnessBlock && iv.Type != wire.InvTypeBlock {
			continue
		}
		blk, err := lp.rpc.GetBlock(&iv.Hash)
		if err != nil {
			p.QueueMessage(&wire.MsgNotFound{InvList: []*wire.InvVect{iv}}, nil)
			continue
		}
		p.QueueMessageWithEncoding(blk, nil, wire.WitnessEncoding)
	}
}

// onTx refuses a transaction when the peer is set to, as a node whose minimum fee is higher.
func (lp *lyingPeer) onTx(p *peer.Peer, m *wire.MsgTx) {
	if lp.refusesTxs {
		r := wire.NewMsgReject(wire.CmdTx, wire.RejectInsufficientFee, "mempool min fee not met")
		r.Hash = m.TxHash()
		p.QueueMessage(r, nil)
	}
}
