package esplora

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// DefaultTimeout bounds one call (all the requests it makes, retries and paging included) when
// options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// DefaultConcurrency is how many requests one call keeps in flight when options.Concurrency is
// zero: enough to hide latency, few enough not to trip public servers' rate limits.
const DefaultConcurrency = 4

// ErrWrongNetwork means the server follows another chain than the wallet's.
var ErrWrongNetwork = netutil.ErrWrongNetwork

// options tune newBackend: what Open takes from chain.Options, and the knobs tests and
// benchmarks turn. The zero value is usable.
type options struct {
	// Timeout bounds each call as a whole; zero means DefaultTimeout.
	Timeout time.Duration
	// Proxy is a SOCKS5 proxy, socks5://HOST:PORT (Tor: socks5://127.0.0.1:9050). Host names
	// are resolved by the proxy. Required for .onion servers.
	Proxy string
	// UserAgent is sent with every request; empty sends Go's default.
	UserAgent string
	// Concurrency bounds the requests one call has in flight; zero means DefaultConcurrency.
	Concurrency int
}

// Backend is a chain.Backend answering from one Esplora server. It is safe for concurrent use.
type Backend struct {
	ep          endpoint
	net         *chaincfg.Params
	name        string
	errs        netutil.Endpoint
	timeout     time.Duration
	concurrency int
	userAgent   string
	retry       netutil.Retry
	transport   *http.Transport
	client      *http.Client

	roundTrips atomic.Int64
	closed     atomic.Bool
	tips       netutil.TipGuard

	checkMu  sync.Mutex
	checked  bool
	checkErr error // a wrong network, remembered: it will not change
}

// Driver is the Esplora backend as chain.Open knows it.
var Driver = chain.Driver{
	Kind:          "esplora",
	Schemes:       []string{"https", "http"},
	Usage:         "https://HOST/api (Esplora)",
	Open:          Open,
	Check:         CheckURL,
	Learns:        "the server learns every address of this wallet and your IP (use --proxy to hide the IP)",
	LearnsProxied: "the server learns every address of this wallet; the proxy hides your IP",
}

// Open makes a backend for the Esplora server at rawURL (https://HOST/api; http:// only for a
// loopback or .onion host) with the settings of o; UserAgent defaults to "satchel". It does
// no I/O: the first call checks that the server is on o.Net. Esplora servers are trusted
// through the system's authorities: o.CertPath is refused.
func Open(_ context.Context, rawURL string, o chain.Options) (chain.Backend, error) {
	if o.CertPath != "" {
		return nil, fmt.Errorf("%w %q: an Esplora server's certificate is checked against the "+
			"system's authorities and cannot be pinned", ErrBadURL, netutil.MaskURL(rawURL))
	}
	ua := o.UserAgent
	if ua == "" {
		ua = "satchel"
	}
	b, err := newBackend(rawURL, o.Net, options{Timeout: o.Timeout, Proxy: o.Proxy, UserAgent: ua})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// newBackend makes a backend for the Esplora server at baseURL (https://HOST/api; http:// only for a
// loopback or .onion host). It does no I/O: the first call checks that the server is on net
// (its block 0 is net's genesis block).
func newBackend(baseURL string, net *chaincfg.Params, opts options) (*Backend, error) {
	ep, err := parseURL(baseURL)
	if err != nil {
		return nil, err
	}
	dialer, err := netutil.NewDialer(opts.Proxy)
	if err != nil {
		return nil, err
	}
	if netutil.IsOnion(ep.host) && dialer.Proxy == "" {
		return nil, fmt.Errorf("%w %q: a .onion server is reached through Tor: set the proxy "+
			"(socks5://127.0.0.1:9050)", ErrBadURL, netutil.MaskURL(baseURL))
	}
	b := &Backend{
		ep:          ep,
		net:         net,
		name:        netutil.MaskURL(baseURL),
		timeout:     opts.Timeout,
		concurrency: opts.Concurrency,
		userAgent:   opts.UserAgent,
		retry:       netutil.DefaultRetry,
	}
	if b.timeout <= 0 {
		b.timeout = DefaultTimeout
	}
	if b.concurrency <= 0 {
		b.concurrency = DefaultConcurrency
	}
	b.errs = netutil.Endpoint{Name: b.name, Timeout: b.timeout}
	b.transport = &http.Transport{
		// Never the environment's proxy: a library reads no environment, and a proxy the
		// user did not name in chain.Options would see every address asked about.
		Proxy:               nil,
		DialContext:         dialer.DialContext,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: b.concurrency,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 15 * time.Second,
	}
	b.client = &http.Client{
		Transport: b.transport,
		// A redirect could send the login or the queries elsewhere: refuse to follow one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return b, nil
}

// Name is the URL with any password masked.
func (b *Backend) Name() string { return b.name }

// RoundTrips counts the HTTP requests sent so far (retries included), for tests and
// benchmarks.
func (b *Backend) RoundTrips() int64 { return b.roundTrips.Load() }

// Close drops idle connections. Calls made afterwards fail.
func (b *Backend) Close() error {
	b.closed.Store(true)
	b.transport.CloseIdleConnections()
	return nil
}

// begin starts a public call: it applies the time limit and makes sure the server was checked.
func (b *Backend) begin(ctx context.Context) (context.Context, context.CancelFunc, error) {
	if b.closed.Load() {
		return nil, nil, fmt.Errorf("%s: the backend is closed: %w", b.name, chain.ErrUnreachable)
	}
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	if err := b.checkNetwork(ctx); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

// checkNetwork compares the server's block 0 with net's genesis block, once.
func (b *Backend) checkNetwork(ctx context.Context) error {
	if b.net == nil || b.net.GenesisHash == nil {
		return nil
	}
	b.checkMu.Lock()
	defer b.checkMu.Unlock()
	if b.checked {
		return b.checkErr
	}
	h, err := b.blockHash(ctx, 0)
	if err != nil {
		return err
	}
	b.checked = true
	if h != *b.net.GenesisHash {
		b.checkErr = b.errs.WrongNetwork(h.String(), b.net.GenesisHash.String())
	}
	return b.checkErr
}

var _ chain.Backend = (*Backend)(nil)
