package btcd

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

const (
	// probeTimeout bounds the TCP probe Open makes before its first exchange.
	probeTimeout = 2 * time.Second
	// maxBatch caps the commands in one HTTP request so answers stay a few MB at most.
	maxBatch = 500
)

// call is one JSON-RPC command in a batch. After the exchange, err holds the node's error
// for this command (a *RPCError); out, when set, the result.
type call struct {
	cmd request
	out any // pointer to decode the result into; nil to ignore it
	err error
}

// newHTTPClient is the client every exchange uses. It dials the node directly (no proxy from
// the environment: Open refuses proxies, see there) and, over TLS, trusts only the pinned
// certificate when one is given. It sets no timeout of its own: exchange bounds each request
// with its context.
func newHTTPClient(certPEM []byte) (*http.Client, error) {
	t := &http.Transport{Proxy: nil}
	if len(certPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(certPEM) {
			return nil, errors.New("the certificate file holds no PEM certificate")
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: t}, nil
}

// exchange sends calls to the node in as few HTTP requests as maxBatch allows and fills each
// call's out or err. The returned error is set only when no answer came: it wraps
// chain.ErrUnreachable (and the context's error when that ended the wait).
func (b *Backend) exchange(ctx context.Context, what string, calls []*call) error {
	for start := 0; start < len(calls); start += maxBatch {
		end := min(start+maxBatch, len(calls))
		if err := b.exchangeOne(ctx, what, calls[start:end]); err != nil {
			return err
		}
	}
	return nil
}

// errNoAnswer is the cause a request ends with when the backend's timeout passes.
var errNoAnswer = errors.New("no answer")

func (b *Backend) exchangeOne(ctx context.Context, what string, calls []*call) error {
	if len(calls) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return b.unreachable(what, err)
	}
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return b.unreachable(what, errors.New("backend is closed"))
	}
	b.roundTrips.Add(1)
	rctx, cancel := context.WithTimeoutCause(ctx, b.timeout, errNoAnswer)
	defer cancel()
	err := b.post(rctx, calls)
	if err == nil {
		return nil
	}
	switch {
	case ctx.Err() != nil:
		return b.unreachable(what, ctx.Err())
	case errors.Is(context.Cause(rctx), errNoAnswer):
		return b.unreachable(what, &netutil.TimeoutError{Addr: b.cfg.Host, What: "answer", Limit: b.timeout})
	}
	return b.unreachable(what, err)
}

// post sends calls as one JSON-RPC batch over HTTP POST with basic authentication and reads
// the answers into them. Its error is a transport failure; per-command errors land in calls.
func (b *Backend) post(ctx context.Context, calls []*call) error {
	body, err := encodeBatch(calls)
	if err != nil {
		return fmt.Errorf("encode %s: %w", calls[0].cmd.method, err)
	}
	scheme := "http://"
	if b.cfg.TLS {
		scheme = "https://"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, scheme+b.cfg.Host, bytes.NewReader(body))
	if err != nil {
		return err
	}
	// btcd answers one request per connection and closes it.
	req.Close = true
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(b.cfg.User, b.cfg.Pass)
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read the answer: %w", err)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("the node refused the RPC user or password (status code: %d)", resp.StatusCode)
	}
	if err := decodeBatch(answer, calls); err != nil {
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status code: %d, response: %q", resp.StatusCode, truncate(answer))
		}
		return err
	}
	return nil
}

// truncate keeps an unreadable answer short enough for an error message.
func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// probe opens and closes a TCP connection to the node: cheap proof it is still listening.
func (b *Backend) probe(ctx context.Context) error {
	d := net.Dialer{Timeout: probeTimeout}
	c, err := d.DialContext(ctx, "tcp", b.cfg.Host)
	if err != nil {
		return err
	}
	return c.Close()
}

// unreachable builds the error for a failed exchange: class, masked URL, what was asked, cause.
func (b *Backend) unreachable(what string, cause error) error {
	return fmt.Errorf("%w: %s: %s: %w", chain.ErrUnreachable, b.name, what, cause)
}

// inconsistent reports an answer that cannot be right; it counts as unreachable (exit 5).
func (b *Backend) inconsistent(what, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s: %s", chain.ErrUnreachable, b.name, what,
		fmt.Sprintf(format, args...))
}

// probeAddress is an address on net that the index check can ask about.
func probeAddress(net *chaincfg.Params) (string, error) {
	a, err := address.NewAddressWitnessPubKeyHash(make([]byte, 20), net)
	if err != nil {
		return "", fmt.Errorf("network %s: %w", net.Name, err)
	}
	return a.EncodeAddress(), nil
}
