package p2p

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// DefaultTimeout bounds each request to a peer when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// seedPeers is how many peers found through DNS seeds the backend keeps.
const seedPeers = 4

// Backend is a chain.Backend over the peer-to-peer network with compact block filters. It is
// safe for concurrent use; calls run one at a time.
type Backend struct {
	params    *chaincfg.Params
	name      string
	target    target
	dialer    netutil.Dialer
	timeout   time.Duration
	userAgent string
	dataDir   string
	fees      *feeSource
	now       func() time.Time

	mu      sync.Mutex
	loaded  bool
	closed  bool
	conns   []*conn
	dropped []string // why peers were dropped, for messages
	chain   *headerChain
	fh      []chainhash.Hash // filter headers by height; len(fh)-1 is the verified tip
	scan    *scanState
	filters map[int32][]byte                  // verified filters of this session, by height
	blocks  map[chainhash.Hash]*wire.MsgBlock // verified blocks of this session
	recv    uint64                            // bytes received from peers since Open (closed ones)
	// mempool is a peer's mempool as last downloaded, unverified: unconfirmed payments to the
	// wallet are shown from it, with the same trust as any server's word on its mempool.
	fetchedBlocks  int          // blocks downloaded since Open
	fetchedFilters int          // filters downloaded since Open
	filterBytes    int          // size of the filters kept
	blockBytes     int          // size of the blocks kept
	cfRequests     atomic.Int64 // getcfheaders sent since Open
	mempool        map[chainhash.Hash]*wire.MsgTx
	mempoolAt      time.Time
	mempoolFrom    string // the peer mempool was downloaded from
	// tookBy lists, for each broadcast of this session, the peers that took it: a peer that
	// refused it (or was not there) not having it in its mempool says nothing of the network.
	tookBy map[chainhash.Hash]map[string]bool
}

// Open builds the backend for a p2p:// URL. It does no I/O: the first call loads what the
// wallet folder keeps and connects to the peers.
func Open(ctx context.Context, rawURL string, o chain.Options) (chain.Backend, error) {
	return New(rawURL, o)
}

// New is Open with the concrete type, for tests and benchmarks that read its counters.
func New(rawURL string, o chain.Options) (*Backend, error) {
	if o.Net == nil {
		return nil, errors.New("p2p backend: no network given")
	}
	t, err := parseURL(rawURL, o.Net)
	if err != nil {
		return nil, err
	}
	d, err := netutil.NewDialer(o.Proxy)
	if err != nil {
		return nil, err
	}
	if len(t.peers) == 0 {
		if len(o.Net.DNSSeeds) == 0 {
			return nil, fmt.Errorf("%w: %s has no DNS seeds: name the peers, p2p://HOST:PORT[,HOST:PORT...]", netutil.ErrBadURL, o.Net.Name)
		}
		if d.Proxy != "" {
			return nil, fmt.Errorf("%w: DNS seeds cannot be asked through a proxy without leaking the lookup: name the peers, p2p://HOST:PORT[,HOST:PORT...]", netutil.ErrBadURL)
		}
	}
	for _, p := range t.peers {
		host, _, _ := net.SplitHostPort(p)
		if netutil.IsOnion(host) && d.Proxy == "" {
			return nil, fmt.Errorf("%w: %s is an onion service: give --proxy socks5://127.0.0.1:9050 (Tor)", netutil.ErrBadURL, host)
		}
	}
	b := &Backend{
		params:    o.Net,
		target:    t,
		dialer:    d,
		timeout:   o.Timeout,
		userAgent: o.UserAgent,
		dataDir:   o.DataDir,
		now:       time.Now,
		filters:   map[int32][]byte{},
		blocks:    map[chainhash.Hash]*wire.MsgBlock{},
		tookBy:    map[chainhash.Hash]map[string]bool{},
	}
	if b.timeout <= 0 {
		b.timeout = DefaultTimeout
	}
	if b.userAgent == "" {
		b.userAgent = "satchel"
	}
	if o.FeeSource != "" {
		b.fees = &feeSource{url: o.FeeSource, net: o.Net, proxy: o.Proxy, timeout: o.Timeout}
	}
	if len(t.peers) == 0 {
		b.name = "p2p:// (" + o.Net.Name + " DNS seeds)"
	} else {
		b.name = "p2p://" + strings.Join(t.peers, ",")
	}
	return b, nil
}

// Name says which peers this is.
func (b *Backend) Name() string { return b.name }

// Close disconnects every peer.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, c := range b.conns {
		b.recv += c.received()
		c.close()
	}
	b.conns = nil
	return nil
}

// BytesReceived is how many bytes peers have sent since Open.
func (b *Backend) BytesReceived() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.recv
	for _, c := range b.conns {
		n += c.received()
	}
	return n
}

// firstPeerError is "no peer could be reached" that also unwraps to the first peer's dial
// error, whose words (connection refused, no such host) the message already holds as text.
type firstPeerError struct{ err, first error }

func (e *firstPeerError) Error() string   { return e.err.Error() }
func (e *firstPeerError) Unwrap() []error { return []error{e.err, e.first} }

// unreachable wraps a failure to get an answer from the network.
func (b *Backend) unreachable(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if len(b.dropped) > 0 {
		msg += " (dropped: " + strings.Join(b.dropped, "; ") + ")"
	}
	return fmt.Errorf("%s: %s: %w", b.name, msg, chain.ErrUnreachable)
}

// begin loads the saved chain on first use and makes sure peers are connected. Callers hold mu.
func (b *Backend) begin(ctx context.Context) error {
	if b.closed {
		return fmt.Errorf("%s: closed", b.name)
	}
	if !b.loaded {
		if err := b.load(); err != nil {
			return err
		}
		b.loaded = true
	}
	return b.connect(ctx)
}

// connect dials the peers when none is connected any more.
func (b *Backend) connect(ctx context.Context) error {
	live := b.conns[:0]
	for _, c := range b.conns {
		if c.alive() {
			live = append(live, c)
		} else {
			b.recv += c.received()
		}
	}
	b.conns = live
	if len(b.conns) > 0 {
		return nil
	}
	addrs, want := b.target.peers, len(b.target.peers)
	if len(addrs) == 0 {
		var err error
		if addrs, err = b.seedAddrs(ctx); err != nil {
			return err
		}
		want = seedPeers
	}
	var (
		mu   sync.Mutex
		errs []string
		wg   sync.WaitGroup
		// The first peer's dial error stays wrapped, so the CLI can say why in words.
		first    error
		firstIdx = len(addrs)
	)
	tip := func() int32 { return int32(len(b.fh)) - 1 }
	// Tried in rounds of want at a time, so seeds give at most want peers.
	for i := 0; i < len(addrs) && len(b.conns) < want; i += want {
		end := min(i+want, len(addrs))
		for j, a := range addrs[i:end] {
			wg.Add(1)
			go func(idx int, a string) {
				defer wg.Done()
				c, err := dialPeer(ctx, b.dialer, b.params, a, b.userAgent, tip)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err.Error())
					if idx < firstIdx {
						first, firstIdx = err, idx
					}
					if len(b.target.peers) > 0 {
						b.dropped = append(b.dropped, a+": "+err.Error())
					}
					return
				}
				b.conns = append(b.conns, c)
			}(i+j, a)
		}
		wg.Wait()
	}
	if len(b.conns) == 0 {
		err := b.unreachable("no peer could be reached: %s", strings.Join(errs, "; "))
		if first != nil {
			err = &firstPeerError{err: err, first: first}
		}
		return err
	}
	return nil
}

// seedAddrs asks the network's DNS seeds for peers, in random order.
func (b *Backend) seedAddrs(ctx context.Context) ([]string, error) {
	var out []string
	for _, s := range b.params.DNSSeeds {
		ips, err := net.DefaultResolver.LookupHost(ctx, s.Host)
		if err != nil {
			continue
		}
		for _, ip := range ips {
			out = append(out, net.JoinHostPort(ip, b.params.DefaultPort))
		}
	}
	if len(out) == 0 {
		return nil, b.unreachable("no DNS seed of %s answered", b.params.Name)
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

// drop disconnects a peer that lied or failed, and says why in later messages.
func (b *Backend) drop(c *conn, why error) {
	b.dropped = append(b.dropped, c.addr+": "+why.Error())
	b.recv += c.received()
	c.close()
	live := b.conns[:0]
	for _, x := range b.conns {
		if x != c {
			live = append(live, x)
		}
	}
	b.conns = live
}

// request gives one peer request its own deadline.
func (b *Backend) request(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, b.timeout)
}

// Tip is the best block whose filter header is verified.
func (b *Backend) Tip(ctx context.Context) (chain.Tip, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.sync(ctx); err != nil {
		return chain.Tip{}, err
	}
	h := int32(len(b.fh)) - 1
	return chain.Tip{Height: h, Hash: b.chain.hashes[h]}, nil
}

// BlockHeaders answers from the verified header chain.
func (b *Backend) BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.begin(ctx); err != nil {
		return nil, err
	}
	top := int32(len(b.fh)) - 1
	// A height above what is verified (a first call, before any Tip) catches up first.
	if slices.Max(append([]int32{-1}, heights...)) > top {
		if err := b.sync(ctx); err != nil {
			return nil, err
		}
		top = int32(len(b.fh)) - 1
	}
	out := make([]*wire.BlockHeader, len(heights))
	for i, h := range heights {
		if h < 0 || h > top {
			return nil, fmt.Errorf("%s: no block at height %d (tip %d)", b.name, h, top)
		}
		hdr := b.chain.headers[h]
		out[i] = &hdr
	}
	return out, nil
}

// Transactions answers from the blocks downloaded and the wallet's own broadcasts. A
// transaction this client never saw is nil: it cannot ask the network for an arbitrary
// confirmed transaction without saying which one it wants.
func (b *Backend) Transactions(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.loaded {
		if err := b.load(); err != nil {
			return nil, err
		}
		b.loaded = true
	}
	out := make([]*wire.MsgTx, len(txids))
	for i, id := range txids {
		// A copy each: the caller may change what it gets, and the same id asked twice
		// must not share one.
		if tx := b.findTx(id); tx != nil {
			out[i] = tx.Copy()
		}
	}
	return out, nil
}

func (b *Backend) findTx(id chainhash.Hash) *wire.MsgTx {
	if r, ok := b.scan.txs[id]; ok {
		return r.tx
	}
	if tx, ok := b.scan.pending[id]; ok {
		return tx
	}
	if tx, ok := b.mempool[id]; ok {
		return tx
	}
	for _, blk := range b.blocks {
		for _, tx := range blk.Transactions {
			if tx.TxHash() == id {
				return tx
			}
		}
	}
	return nil
}

// Peers lists the peers connected now.
func (b *Backend) Peers() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.conns))
	for _, c := range b.conns {
		out = append(out, c.addr)
	}
	return out
}

// Dropped lists the peers dropped (or named in the URL and not reached) since Open, each with
// the reason.
func (b *Backend) Dropped() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.dropped...)
}

// Downloaded says how many blocks and filters were downloaded since Open: what peers learn
// about the wallet is which blocks it fetched.
func (b *Backend) Downloaded() (blocks, filters int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fetchedBlocks, b.fetchedFilters
}

// Compile-time checks: Open is what the backend registry takes, and Backend is a backend.
var (
	_ chain.OpenFunc = Open
	_ chain.Backend  = (*Backend)(nil)
)
