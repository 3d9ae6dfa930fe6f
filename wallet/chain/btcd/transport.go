package btcd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/rpcclient"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// Timing of the watchdog that notices a dead node while rpcclient is still retrying.
const (
	probeFirst   = 300 * time.Millisecond
	probeEvery   = time.Second
	probeTimeout = 2 * time.Second
	// maxBatch caps the commands in one HTTP request so answers stay a few MB at most.
	maxBatch = 500
)

// call is one JSON-RPC command in a batch. After the exchange, err holds the node's error
// for this command (a *btcjson.RPCError) or a decoding error; out, when set, the result.
type call struct {
	cmd any
	out any // pointer to decode the result into; nil to ignore it
	err error
}

// conn is one rpcclient batch client. Its mutex keeps two batches from mixing their commands.
// An exchange that is abandoned shuts its conn down (the only way to stop rpcclient's retries)
// and the backend makes a fresh one for the next call.
type conn struct {
	mu     sync.Mutex
	client *rpcclient.Client
}

func (b *Backend) getConn() (*conn, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, errors.New("backend is closed")
	}
	if b.cur == nil {
		c, err := b.newClient()
		if err != nil {
			return nil, err
		}
		b.cur = &conn{client: c}
	}
	return b.cur, nil
}

// dropConn shuts c down so its pending request returns, and forgets it if it is current.
func (b *Backend) dropConn(c *conn) {
	b.mu.Lock()
	if b.cur == c {
		b.cur = nil
	}
	b.mu.Unlock()
	c.client.Shutdown()
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

func (b *Backend) exchangeOne(ctx context.Context, what string, calls []*call) error {
	if len(calls) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return b.unreachable(what, err)
	}
	c, err := b.getConn()
	if err != nil {
		return b.unreachable(what, err)
	}
	b.roundTrips.Add(1)
	done := make(chan error, 1)
	go func() { done <- sendBatch(c, calls) }()

	deadline := time.NewTimer(b.timeout)
	defer deadline.Stop()
	probe := time.NewTimer(probeFirst)
	defer probe.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return b.unreachable(what, err)
			}
			return nil
		case <-ctx.Done():
			b.dropConn(c)
			return b.unreachable(what, ctx.Err())
		case <-deadline.C:
			b.dropConn(c)
			return b.unreachable(what, fmt.Errorf("no answer within %s", b.timeout))
		case <-probe.C:
			if err := b.probe(ctx); err != nil {
				b.dropConn(c)
				return b.unreachable(what, err)
			}
			probe.Reset(probeEvery)
		}
	}
}

// sendBatch queues the commands on c's batch client, sends them as one request and collects
// the answers. Its error is a transport failure; per-command errors land in calls.
func sendBatch(c *conn, calls []*call) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	futures := make([]chan *rpcclient.Response, len(calls))
	for i, cl := range calls {
		futures[i] = c.client.SendCmd(cl.cmd)
	}
	if err := c.client.Send(); err != nil {
		if strings.Contains(err.Error(), "status code: 401") {
			return fmt.Errorf("the node refused the RPC user or password (%w)", err)
		}
		return err
	}
	for i, cl := range calls {
		// Send hands every answer it got to its future before returning, so a future still
		// empty now never gets one (the node skipped the id, or the client was shut down
		// while queueing): waiting on it would block forever.
		if len(futures[i]) == 0 {
			return fmt.Errorf("no answer to %T in the batch", cl.cmd)
		}
		raw, err := rpcclient.ReceiveFuture(futures[i])
		if err != nil {
			var rerr *btcjson.RPCError
			if !errors.As(err, &rerr) {
				// Not the node's answer (a marshalling failure before sending, a
				// shutdown): the whole exchange failed.
				return err
			}
			cl.err = rerr
			continue
		}
		if cl.out != nil {
			if err := json.Unmarshal(raw, cl.out); err != nil {
				return fmt.Errorf("malformed answer to %T: %w", cl.cmd, err)
			}
		}
	}
	return nil
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
