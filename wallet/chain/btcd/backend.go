package btcd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// DefaultTimeout bounds one exchange with the node when chain.Options.Timeout is zero: long enough
// for a slow answer, short enough that a dead node is reported well before a user gives up.
const DefaultTimeout = 30 * time.Second

// ErrNoIndex means the node lacks the indexes script histories need. Its text is the fix.
var ErrNoIndex = errors.New("btcd must run with --txindex --addrindex")

// ErrWrongNetwork means the node serves another chain than the wallet's. It is also a
// chain.ErrWrongNetwork.
var ErrWrongNetwork error = wrongNetwork{}

// wrongNetwork is ErrWrongNetwork's type: its own words, and the class every backend shares.
type wrongNetwork struct{}

func (wrongNetwork) Error() string        { return "btcd node is on another network" }
func (wrongNetwork) Is(target error) bool { return target == chain.ErrWrongNetwork }

// Backend is a chain.Backend answering from one btcd node. It is safe for concurrent use.
type Backend struct {
	cfg     Config
	net     *chaincfg.Params
	name    string
	timeout time.Duration
	// pageSize is searchrawtransactions' count; tests shrink it to exercise paging.
	pageSize int
	certPEM  []byte

	http *http.Client

	mu     sync.Mutex
	closed bool

	roundTrips atomic.Int64

	heightsMu sync.Mutex
	heights   map[chainhash.Hash]int32 // block hash -> height; a hash's height never changes

	mempoolMu sync.Mutex
	mempool   map[chainhash.Hash]*chain.ScanTx // ScanMempool's last answer by txid; nil: no taproot output
}

// Driver is the btcd backend as chain.Open knows it.
var Driver = chain.Driver{
	Kind:    "btcd",
	Schemes: []string{Scheme},
	Usage:   "btcd://USER:PASS@HOST:PORT",
	Open:    Open,
	Check:   func(raw string) error { _, err := ParseURL(raw); return err },
	Learns:  "your own node: no one else learns your addresses; the network sees only the transactions you send",
}

// Open connects to the btcd node named by rawURL and checks that it can serve a wallet on
// o.Net: same network, address and transaction indexes on. An unreachable node fails within
// o.Timeout (DefaultTimeout when zero) with an error wrapping chain.ErrUnreachable; a node
// without indexes fails with ErrNoIndex; a URL that cannot be read fails with ErrBadURL, and
// so does a proxy: the backend dials the node directly, with no proxy support, so it would bypass
// one. o.CertPath pins the node's certificate when the URL has tls=1 and no cert.
func Open(ctx context.Context, rawURL string, o chain.Options) (chain.Backend, error) {
	b, err := open(ctx, rawURL, o)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// open is Open with the concrete type, for the package's tests and benchmarks.
func open(ctx context.Context, rawURL string, o chain.Options) (*Backend, error) {
	if o.Proxy != "" {
		return nil, fmt.Errorf("%s: %w: btcd's RPC client would dial the node itself, around the proxy "+
			"(a proxy works with Esplora, Electrum and p2p backends): use an SSH tunnel, or Esplora, "+
			"Electrum or p2p over Tor", MaskURL(rawURL), chain.ErrProxyRefused)
	}
	if o.Net == nil {
		return nil, fmt.Errorf("%w %q: no network given", ErrBadURL, MaskURL(rawURL))
	}
	cfg, err := ParseURL(rawURL)
	if err != nil && o.CertPath != "" && !strings.Contains(rawURL, "cert=") {
		// A remote node needs its certificate pinned: the option may supply it.
		cfg, err = ParseURL(withCert(rawURL, o.CertPath))
	}
	if err != nil {
		return nil, err
	}
	if cfg.TLS && cfg.CertPath == "" {
		cfg.CertPath = o.CertPath
	}
	b := &Backend{
		cfg:      cfg,
		net:      o.Net,
		name:     cfg.Masked(),
		timeout:  DefaultTimeout,
		pageSize: defaultPageSize,
		heights:  make(map[chainhash.Hash]int32),
	}
	if o.Timeout > 0 {
		b.timeout = o.Timeout
	}
	if cfg.CertPath != "" {
		pem, err := os.ReadFile(cfg.CertPath)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: read the node's certificate: %v", b.name, ErrBadURL, err)
		}
		b.certPEM = pem
	}
	if b.http, err = newHTTPClient(b.certPEM); err != nil {
		return nil, fmt.Errorf("%s: %w: the node's certificate: %v", b.name, ErrBadURL, err)
	}
	// A refused connection is the common failure: report it as such ("connect"), before
	// any request.
	if err := b.probe(ctx); err != nil {
		return nil, b.unreachable("connect", err)
	}
	if err := b.check(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// withCert adds cert=PATH to a URL's options, for a certificate given as chain.Options.
func withCert(rawURL, certPath string) string {
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	return rawURL + sep + "cert=" + url.QueryEscape(certPath)
}

// check asks, in one round trip, for the node's network and whether its address index
// answers.
func (b *Backend) check(ctx context.Context) error {
	var info struct {
		Chain string `json:"chain"`
	}
	probe, err := probeAddress(b.net)
	if err != nil {
		return fmt.Errorf("%s: %w", b.name, err)
	}
	calls := []*call{
		{cmd: cmd("getblockchaininfo"), out: &info},
		// searchrawtransactions address verbose=0 skip=0 count=1
		{cmd: cmd("searchrawtransactions", probe, 0, 0, 1)},
	}
	if err := b.exchange(ctx, "check node", calls); err != nil {
		return err
	}
	if err := calls[0].err; err != nil {
		return fmt.Errorf("%s: getblockchaininfo: %w", b.name, err)
	}
	if info.Chain != b.net.Name {
		return fmt.Errorf("%w: %s serves %q, the wallet is on %q", ErrWrongNetwork, b.name,
			info.Chain, b.net.Name)
	}
	if err := calls[1].err; err != nil && !isNoHistory(err) {
		if isNoIndex(err) {
			return fmt.Errorf("%s: %w", b.name, ErrNoIndex)
		}
		return fmt.Errorf("%s: searchrawtransactions: %w", b.name, err)
	}
	return nil
}

// isNoIndex recognises btcd's answers when an index is off. btcd turns --txindex on whenever
// --addrindex is on, so the address index answering proves both.
func isNoIndex(err error) bool {
	var rerr *RPCError
	if !errors.As(err, &rerr) {
		return false
	}
	m := strings.ToLower(rerr.Message)
	return strings.Contains(m, "index must be enabled") ||
		strings.Contains(m, "use -txindex") || strings.Contains(m, "--txindex")
}

// isNoHistory is btcd's answer to searchrawtransactions for an address it has never seen
// (error -5): an empty history, not a failure. Invalid addresses also answer -5, with
// another text, and stay errors.
func isNoHistory(err error) bool {
	var rerr *RPCError
	return errors.As(err, &rerr) && rerr.Code == errRPCNoTxInfo &&
		strings.Contains(rerr.Message, "No information available about address")
}

// Name is the URL with the password masked.
func (b *Backend) Name() string { return b.name }

// RoundTrips counts the HTTP requests sent to the node so far (each batch is one), so tests
// and benchmarks can check that work is batched.
func (b *Backend) RoundTrips() int64 { return b.roundTrips.Load() }

// Close ends the backend: calls made afterwards fail.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	if b.http != nil {
		b.http.CloseIdleConnections()
	}
	return nil
}

var _ chain.Backend = (*Backend)(nil)
