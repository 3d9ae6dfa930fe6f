package p2p

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// allowSelfConns lets tests run a fake peer in the same process: the peer package otherwise
// takes the fake's version nonce, which it also made, for a connection to itself.
var allowSelfConns = false

// needServices are what a peer must offer: compact filters and witness data.
const needServices = wire.SFNodeCF | wire.SFNodeWitness

// handshakeTimeout bounds the version/verack exchange.
const handshakeTimeout = 20 * time.Second

// deliverTimeout is how long a message from a peer waits for a reader before it is dropped;
// only an answer nobody waits for any more (a request that timed out) waits that long.
const deliverTimeout = 5 * time.Second

// conn is one connected peer and the queues its answers arrive on. Requests to one conn are
// made one at a time (mu): answers are matched by their content, and leftovers of an
// abandoned request are drained before the next.
type conn struct {
	addr string
	tip  chainhash.Hash // the last block of the peer's chain we know of (set by the header sync)
	// checkpoints are the peer's filter headers at every 1000th height (index i is height
	// (i+1)*1000), as it last sent them.
	checkpoints []chainhash.Hash
	// lacksTip says the peer's best chain ends below our tip, at height forkAt.
	lacksTip bool
	forkAt   int32
	p        *peer.Peer

	mu        sync.Mutex
	headers   chan *wire.MsgHeaders
	cfheaders chan *wire.MsgCFHeaders
	cfilters  chan *wire.MsgCFilter
	cfcheckpt chan *wire.MsgCFCheckpt
	blocks    chan *wire.MsgBlock
	notFound  chan *wire.MsgNotFound
	rejects   chan *wire.MsgReject
	pongs     chan uint64
	getData   chan *wire.MsgGetData
	invs      chan *wire.MsgInv
	txs       chan *wire.MsgTx
	verack    chan struct{}
	feeFilter atomic.Int64 // sat/kvB, 0 when the peer sent none
}

// dialPeer connects to addr (HOST:PORT), through the dialer's proxy when it has one, and
// completes the handshake. It refuses a peer on another network (the handshake fails) and one
// that does not serve compact filters.
func dialPeer(ctx context.Context, d netutil.Dialer, params *chaincfg.Params, addr, userAgent string, tipHeight func() int32) (*conn, error) {
	// The queues are short: a peer may send any message unasked, and what waits in them is
	// held until the next request drains it (up to 80 MB a peer with these lengths; a reader
	// that waits takes the answers one by one, so longer queues would not be faster).
	c := &conn{
		addr:      addr,
		headers:   make(chan *wire.MsgHeaders, 4),
		cfheaders: make(chan *wire.MsgCFHeaders, 4),
		cfilters:  make(chan *wire.MsgCFilter, 16),
		cfcheckpt: make(chan *wire.MsgCFCheckpt, 2),
		blocks:    make(chan *wire.MsgBlock, 4),
		notFound:  make(chan *wire.MsgNotFound, 4),
		rejects:   make(chan *wire.MsgReject, 2),
		pongs:     make(chan uint64, 4),
		getData:   make(chan *wire.MsgGetData, 4),
		invs:      make(chan *wire.MsgInv, 8),
		txs:       make(chan *wire.MsgTx, 4),
		verack:    make(chan struct{}),
	}
	var once sync.Once
	cfg := &peer.Config{
		NewestBlock: func() (*chainhash.Hash, int32, error) {
			return nil, tipHeight(), nil
		},
		HostToNetAddress: func(host string, port uint16, services wire.ServiceFlag) (*wire.NetAddressV2, error) {
			// Only the version message's address field; a name is not resolved here (the
			// proxy does it), so an unspecified address stands for it.
			ip := net.ParseIP(host)
			if ip == nil {
				ip = net.IPv4zero
			}
			return wire.NetAddressV2FromBytes(time.Now(), services, ip, port), nil
		},
		UserAgentName:       userAgent,
		UserAgentVersion:    "1.0.0",
		ChainParams:         params,
		Services:            wire.SFNodeWitness, // so the peer reads our transactions with their witnesses
		DisableRelayTx:      true,
		DisableStallHandler: true,
		AllowSelfConns:      allowSelfConns,
		Listeners: peer.MessageListeners{
			OnVerAck:    func(*peer.Peer, *wire.MsgVerAck) { once.Do(func() { close(c.verack) }) },
			OnHeaders:   func(_ *peer.Peer, m *wire.MsgHeaders) { deliver(c, c.headers, m) },
			OnCFHeaders: func(_ *peer.Peer, m *wire.MsgCFHeaders) { deliver(c, c.cfheaders, m) },
			OnCFilter:   func(_ *peer.Peer, m *wire.MsgCFilter) { deliver(c, c.cfilters, m) },
			// btcd's peer package (v0.26.2) never calls OnCFCheckpt: its input handler has no
			// case for cfcheckpt. OnRead sees every message read.
			OnRead: func(_ *peer.Peer, _ int, m wire.Message, err error) {
				if cp, ok := m.(*wire.MsgCFCheckpt); ok && err == nil {
					deliver(c, c.cfcheckpt, cp)
				}
			},
			OnBlock:     func(_ *peer.Peer, m *wire.MsgBlock, _ []byte) { deliver(c, c.blocks, m) },
			OnNotFound:  func(_ *peer.Peer, m *wire.MsgNotFound) { offer(c.notFound, m) },
			OnReject:    func(_ *peer.Peer, m *wire.MsgReject) { offer(c.rejects, m) },
			OnPong:      func(_ *peer.Peer, m *wire.MsgPong) { offer(c.pongs, m.Nonce) },
			OnGetData:   func(_ *peer.Peer, m *wire.MsgGetData) { offer(c.getData, m) },
			OnInv:       func(_ *peer.Peer, m *wire.MsgInv) { offer(c.invs, m) },
			OnTx:        func(_ *peer.Peer, m *wire.MsgTx) { deliver(c, c.txs, m) },
			OnFeeFilter: func(_ *peer.Peer, m *wire.MsgFeeFilter) { c.feeFilter.Store(m.MinFee) },
		},
	}
	if d.Proxy != "" {
		cfg.Proxy = d.Proxy
	}
	p, err := peer.NewOutboundPeer(cfg, addr)
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", addr, err)
	}
	hctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	nc, err := d.DialContext(hctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c.p = p
	p.AssociateConnection(nc)
	select {
	case <-c.verack:
	case <-p.Done():
		return nil, fmt.Errorf("peer %s: the handshake failed (another network, or it closed the connection)", addr)
	case <-hctx.Done():
		p.Disconnect()
		return nil, fmt.Errorf("peer %s: %w", addr, &netutil.TimeoutError{Addr: addr, What: "handshake", Limit: handshakeTimeout})
	}
	if p.Services()&needServices != needServices {
		p.Disconnect()
		return nil, fmt.Errorf("peer %s (%s) does not serve compact block filters (BIP157) and witness data", addr, p.UserAgent())
	}
	return c, nil
}

// deliver hands a peer's message to whoever waits for it, or drops it after deliverTimeout.
func deliver[T any](c *conn, ch chan T, m T) {
	select {
	case ch <- m:
	case <-c.p.Done():
	case <-time.After(deliverTimeout):
	}
}

// offer hands over a message that may come unasked (announcements, the peer package's own
// pongs) without waiting: when nobody reads, it is dropped rather than stalling the peer.
func offer[T any](ch chan T, m T) {
	select {
	case ch <- m:
	default:
	}
}

// drain empties a queue of leftovers of an abandoned request.
func drain[T any](ch chan T) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// errPeerGone means the peer disconnected while we waited for it.
var errPeerGone = errors.New("peer disconnected")

// await waits for the next message on ch (an answer to what), ctx's end or the peer's departure.
func await[T any](ctx context.Context, c *conn, ch chan T, what string) (T, error) {
	var zero T
	select {
	case m := <-ch:
		return m, nil
	case <-c.p.Done():
		return zero, fmt.Errorf("peer %s: %w", c.addr, errPeerGone)
	case <-ctx.Done():
		return zero, fmt.Errorf("peer %s: no answer to %s: %w", c.addr, what, ctx.Err())
	}
}

// close disconnects the peer.
func (c *conn) close() {
	c.p.Disconnect()
}

// alive says whether the peer is still connected.
func (c *conn) alive() bool {
	select {
	case <-c.p.Done():
		return false
	default:
		return true
	}
}

// received is how many bytes the peer has sent us.
func (c *conn) received() uint64 { return c.p.BytesReceived() }
