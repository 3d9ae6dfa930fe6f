package electrum

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// The subscription methods; a server's notifications carry the same names.
const (
	methodScriptSub  = "blockchain.scripthash.subscribe"
	methodHeadersSub = "blockchain.headers.subscribe"
)

// pingEvery spaces the server.ping sent on a subscription's connection, so that the server
// keeps the session (ElectrumX drops sessions idle for ten minutes) and a dead connection is
// noticed: the connection must say something within pingEvery plus the timeout.
var pingEvery = time.Minute

// WatchScripts implements chain.Notifier with Electrum subscriptions. They live on a
// connection of their own: the Backend's calls read their answers only while they wait for
// them, so on the shared connection a notification would sit unread until the next call.
//
// It dials, sends blockchain.headers.subscribe and blockchain.scripthash.subscribe for every
// script (batched like histories), then leaves a goroutine reading the connection: each
// notification becomes a value on the channel, dropped when one is already waiting (the caller
// looks at everything anyway). The statuses the server sends are not compared: any
// notification means "look again". The channel is closed when ctx ends, the Backend is closed,
// or the connection fails, including staying silent for pingEvery plus the timeout.
func (b *Backend) WatchScripts(ctx context.Context, scripts [][]byte) (<-chan struct{}, error) {
	ch := make(chan struct{}, 1)
	signal := func(method string) {
		if method != methodScriptSub && method != methodHeadersSub {
			return
		}
		select {
		case ch <- struct{}{}:
		default: // one is already waiting: the caller will see this change too
		}
	}
	c, err := b.subscribe(ctx, scripts, signal)
	if err != nil {
		return nil, err
	}
	go b.watch(ctx, c, ch, pingEvery)
	return ch, nil
}

// subscribe dials a connection for subscriptions and sends them, within the call timeout.
func (b *Backend) subscribe(ctx context.Context, scripts [][]byte, signal func(string)) (*conn, error) {
	ctx, cancel := b.begin(ctx)
	defer cancel()
	b.ioMu.Lock() // dial's handshake uses the request ids and records the version
	defer b.ioMu.Unlock()
	if b.isClosed() {
		return nil, fmt.Errorf("%s: the backend is closed: %w", b.name, chain.ErrUnreachable)
	}
	c, err := b.dial(ctx)
	if err != nil {
		return nil, err
	}
	c.notify = signal
	calls := []*call{{method: methodHeadersSub}}
	for _, s := range scripts {
		calls = append(calls, &call{method: methodScriptSub, params: []any{ScriptHash(s)}})
	}
	batch := historyBatch
	if b.noBatch {
		batch = 1
	}
	for start := 0; start < len(calls); start += batch {
		if err := b.roundTrip(ctx, c, methodScriptSub, calls[start:min(len(calls), start+batch)]); err != nil {
			c.c.Close()
			return nil, err
		}
	}
	for _, cl := range calls {
		if cl.err != nil {
			c.c.Close()
			return nil, b.errs.Refused(cl.method, cl.err.Error())
		}
	}
	if _, _, err := parseTip(calls[0].result); err != nil {
		c.c.Close()
		return nil, b.errs.Bad(methodHeadersSub, "%v", err)
	}
	// From now on the watch goroutine sets the read deadline and the pings the write one.
	if err := c.c.SetDeadline(time.Time{}); err != nil {
		c.c.Close()
		return nil, b.transportErr(ctx, methodScriptSub, err)
	}
	b.connMu.Lock()
	defer b.connMu.Unlock()
	if b.closed {
		c.c.Close()
		return nil, fmt.Errorf("%s: the backend is closed: %w", b.name, chain.ErrUnreachable)
	}
	if b.watches == nil {
		b.watches = map[*conn]bool{}
	}
	b.watches[c] = true
	return c, nil
}

func (b *Backend) isClosed() bool {
	b.connMu.Lock()
	defer b.connMu.Unlock()
	return b.closed
}

// watch reads the subscription's connection until it fails or ctx ends, then closes ch.
func (b *Backend) watch(ctx context.Context, c *conn, ch chan struct{}, every time.Duration) {
	defer close(ch)
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { c.c.Close() })
	defer func() {
		stop()
		close(done)
		c.c.Close()
		b.connMu.Lock()
		delete(b.watches, c)
		b.connMu.Unlock()
	}()
	go b.ping(c, done, every)
	for {
		if err := c.c.SetReadDeadline(time.Now().Add(every + b.timeout)); err != nil {
			return
		}
		line, err := readLine(c.r)
		if err != nil {
			return
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		msgs, err := parseLine(line)
		if err != nil {
			return // a server that sends garbage is not trusted to notify either
		}
		for _, m := range msgs {
			if !m.hasID && m.method != "" {
				c.noted(m.method)
			}
			// Anything else answers a ping.
		}
	}
}

// ping sends server.ping every so often until done; a failed write closes the connection.
func (b *Backend) ping(c *conn, done <-chan struct{}, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for id := uint64(1); ; id++ {
		select {
		case <-done:
			return
		case <-t.C:
		}
		payload, err := json.Marshal(request{JSONRPC: "2.0", Method: "server.ping", Params: []any{}, ID: id})
		if err != nil {
			c.c.Close()
			return
		}
		if err := c.c.SetWriteDeadline(time.Now().Add(b.timeout)); err != nil {
			c.c.Close()
			return
		}
		if _, err := c.c.Write(append(payload, '\n')); err != nil {
			c.c.Close()
			return
		}
	}
}

var _ chain.Notifier = (*Backend)(nil)
