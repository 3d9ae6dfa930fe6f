package electrum

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// DefaultTimeout bounds one call (connecting included) when options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Protocol versions satchel speaks: the 1.4 line, whose get_history answers a plain list.
const (
	ProtocolMin = "1.4"
	ProtocolMax = "1.4.2"
)

// Items per batch message, so that each answer stays well under servers' response limits
// (ElectrumX refuses answers over 1 MB by default).
const (
	historyBatch = 250
	headerBatch  = 250
	txBatch      = 50
)

// ErrWrongNetwork means the server follows another chain than the wallet's.
var ErrWrongNetwork = netutil.ErrWrongNetwork

// options tune dial: what Open takes from chain.Options, and the knobs tests and
// benchmarks turn. The zero value is usable.
type options struct {
	// Timeout bounds each call as a whole; zero means DefaultTimeout. The light-client checks'
	// header downloads and merkle proofs get it per message instead, since a first sync may
	// need many.
	Timeout time.Duration
	// Proxy is a SOCKS5 proxy, socks5://HOST:PORT (Tor: socks5://127.0.0.1:9050). Host names
	// are resolved by the proxy. Required for .onion servers.
	Proxy string
	// UserAgent is the client name sent in server.version; empty sends "satchel".
	UserAgent string
	// NoBatch sends every request as its own message and waits for its answer before sending
	// the next: for comparison in benchmarks, or a server that mishandles batches.
	NoBatch bool
	// NoSPV turns the light-client checks off (merkle proofs of confirmed transactions,
	// proof of work and linkage of headers): for benchmarks that measure what they cost. They
	// are on by default, and always off when dial is given no network.
	NoSPV bool
	// CacheDir is a folder where the light-client checks keep the verified headers and the
	// proven transactions between runs (files spv-headers and spv-proofs, see cache.go), so
	// that a new process downloads only what is new. Empty keeps them in memory only.
	CacheDir string
	// CertPath is the certificate to pin for electrums:// when the URL names none.
	CertPath string
}

// Backend is a chain.Backend answering from one Electrum server over one connection. It is
// safe for concurrent use; calls take turns on the connection.
type Backend struct {
	cfg        config
	net        *chaincfg.Params
	name       string
	errs       netutil.Endpoint
	timeout    time.Duration
	dialer     netutil.Dialer
	tls        *tls.Config
	clientName string
	noBatch    bool
	cacheDir   string

	ioMu    sync.Mutex // one exchange at a time on the connection
	nextID  uint64     // guarded by ioMu
	version string     // negotiated protocol version, guarded by ioMu

	connMu  sync.Mutex
	conn    *conn
	closed  bool
	watches map[*conn]bool // subscription connections (WatchScripts), closed by Close

	roundTrips atomic.Int64
	tips       netutil.TipGuard
	spv        *spv // nil when the light-client checks are off
}

// Driver is the Electrum backend as chain.Open knows it.
var Driver = chain.Driver{
	Kind:          "electrum",
	Schemes:       []string{SchemeTLS, SchemeTCP},
	Usage:         "electrum(s)://HOST:PORT",
	Open:          Open,
	Check:         CheckURL,
	Learns:        "the server learns every address of this wallet and your IP (use --proxy to hide the IP)",
	LearnsProxied: "the server learns every address of this wallet; the proxy hides your IP",
}

// Open connects to the Electrum server named by rawURL with the settings of o: the
// light-client checks on (with o.Net), their headers and proofs kept in o.DataDir, o.CertPath
// pinned for electrums:// when the URL has no ?cert=PATH. See dial.
func Open(ctx context.Context, rawURL string, o chain.Options) (chain.Backend, error) {
	b, err := dial(ctx, rawURL, o.Net, options{Timeout: o.Timeout, Proxy: o.Proxy,
		UserAgent: o.UserAgent, CacheDir: o.DataDir, CertPath: o.CertPath})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// dial connects to the Electrum server named by rawURL (electrums://HOST:PORT[?cert=PATH] or
// electrum://HOST:PORT), negotiates the protocol version and checks that the server's block 0
// is net's genesis block. A server that cannot be reached fails within the timeout with an
// error wrapping chain.ErrUnreachable; a URL that cannot be used fails with ErrBadURL.
func dial(ctx context.Context, rawURL string, net *chaincfg.Params, opts options) (*Backend, error) {
	cfg, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	dialer, err := netutil.NewDialer(opts.Proxy)
	if err != nil {
		return nil, err
	}
	if netutil.IsOnion(cfg.host) && dialer.Proxy == "" {
		return nil, fmt.Errorf("%w %q: a .onion server is reached through Tor: set the proxy "+
			"(socks5://127.0.0.1:9050)", ErrBadURL, netutil.MaskURL(rawURL))
	}
	b := &Backend{
		cfg:        cfg,
		net:        net,
		name:       netutil.MaskURL(rawURL),
		timeout:    opts.Timeout,
		dialer:     dialer,
		clientName: opts.UserAgent,
		noBatch:    opts.NoBatch,
		cacheDir:   opts.CacheDir,
	}
	if b.timeout <= 0 {
		b.timeout = DefaultTimeout
	}
	if net != nil && !opts.NoSPV {
		b.spv = newSPV(net)
	}
	if b.clientName == "" {
		b.clientName = "satchel"
	}
	b.errs = netutil.Endpoint{Name: b.name, Timeout: b.timeout}
	if cfg.tls && cfg.certPath == "" {
		cfg.certPath = opts.CertPath
	}
	if opts.CertPath != "" && !cfg.tls {
		return nil, fmt.Errorf("%w %q: a certificate is only used with electrums://", ErrBadURL,
			netutil.MaskURL(rawURL))
	}
	if cfg.tls {
		var pinned *x509.Certificate
		if cfg.certPath != "" {
			if pinned, err = loadCert(cfg.certPath); err != nil {
				return nil, fmt.Errorf("%s: %w", b.name, err)
			}
		}
		b.tls = tlsConfig(cfg.host, pinned)
	}
	cctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	b.ioMu.Lock()
	_, err = b.connection(cctx)
	b.ioMu.Unlock()
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Name is the URL (Electrum URLs carry no password).
func (b *Backend) Name() string { return b.name }

// RoundTrips counts the messages sent to the server so far (a batch is one), connection setup
// included, so tests and benchmarks can check that work is batched.
func (b *Backend) RoundTrips() int64 { return b.roundTrips.Load() }

// Version is the protocol version the server agreed to.
func (b *Backend) Version() string {
	b.ioMu.Lock()
	defer b.ioMu.Unlock()
	return b.version
}

// Close closes the connection, cutting short a call under way. Calls made afterwards fail.
func (b *Backend) Close() error {
	b.connMu.Lock()
	defer b.connMu.Unlock()
	b.closed = true
	if b.conn != nil {
		b.conn.c.Close()
		b.conn = nil
	}
	for w := range b.watches {
		w.c.Close()
	}
	return nil
}

// begin applies the per-call time limit.
func (b *Backend) begin(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, b.timeout)
}

var _ chain.Backend = (*Backend)(nil)
