package electrum

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// maxLine bounds one message from the server: a batch of 50 large transactions fits.
const maxLine = 32 << 20

// errLineTooLong marks a message larger than maxLine.
var errLineTooLong = errors.New("message too long")

// conn is one connection to the server.
type conn struct {
	c net.Conn
	r *bufio.Reader
	// notify, when set (a subscription's connection, see WatchScripts), is told of every
	// notification the server pushes on this connection; on other connections they are skipped.
	notify func(method string)
}

// noted passes a notification to the connection's subscriber, if any.
func (c *conn) noted(method string) {
	if c.notify != nil {
		c.notify(method)
	}
}

// connection returns the open connection, dialling a new one when there is none. The caller
// holds ioMu.
func (b *Backend) connection(ctx context.Context) (*conn, error) {
	b.connMu.Lock()
	if b.closed {
		b.connMu.Unlock()
		return nil, fmt.Errorf("%s: the backend is closed: %w", b.name, chain.ErrUnreachable)
	}
	if c := b.conn; c != nil {
		b.connMu.Unlock()
		return c, nil
	}
	b.connMu.Unlock()
	c, err := b.dial(ctx)
	if err != nil {
		return nil, err
	}
	b.connMu.Lock()
	defer b.connMu.Unlock()
	if b.closed {
		c.c.Close()
		return nil, fmt.Errorf("%s: the backend is closed: %w", b.name, chain.ErrUnreachable)
	}
	b.conn = c
	return c, nil
}

// drop forgets a connection that failed, so the next call dials again.
func (b *Backend) drop(c *conn) {
	b.connMu.Lock()
	if b.conn == c {
		b.conn = nil
	}
	b.connMu.Unlock()
	c.c.Close()
}

// dial connects, negotiates the protocol version and checks the network.
func (b *Backend) dial(ctx context.Context) (*conn, error) {
	raw, err := b.dialer.DialContext(ctx, "tcp", b.cfg.addr)
	if err != nil {
		return nil, b.transportErr(ctx, "connect", err)
	}
	if b.tls != nil {
		tc := tlsClient(raw, b.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			if ctx.Err() != nil {
				return nil, b.transportErr(ctx, "TLS handshake", err)
			}
			return nil, &netutil.Error{Server: b.name, Op: "TLS handshake", Kind: netutil.KindUnreachable,
				Detail: certHint(err), Err: err}
		}
		raw = tc
	}
	c := &conn{c: raw, r: bufio.NewReaderSize(raw, 64<<10)}
	if err := b.handshake(ctx, c); err != nil {
		raw.Close()
		return nil, err
	}
	return c, nil
}

// handshake sends server.version, which must be the first message, then checks the server's
// block 0.
func (b *Backend) handshake(ctx context.Context, c *conn) error {
	const op = "server.version"
	v := &call{method: op, params: []any{b.clientName, []string{ProtocolMin, ProtocolMax}}}
	if err := b.roundTrip(ctx, c, op, []*call{v}); err != nil {
		return err
	}
	if v.err != nil {
		return b.errs.Refused(op, fmt.Sprintf("%v (satchel speaks protocol %s to %s)", v.err, ProtocolMin, ProtocolMax))
	}
	var res []string
	if err := json.Unmarshal(v.result, &res); err != nil || len(res) != 2 {
		return b.errs.Bad(op, "the answer is not [server, version]: %s", clip.Text(string(v.result), 80))
	}
	if !versionInRange(res[1]) {
		return b.errs.Bad(op, "the server chose protocol %q, outside %s to %s", clip.Text(res[1], 80), ProtocolMin, ProtocolMax)
	}
	b.version = res[1]
	if b.net == nil || b.net.GenesisHash == nil {
		return nil
	}
	const hop = "blockchain.block.header"
	h := &call{method: hop, params: []any{0}}
	if err := b.roundTrip(ctx, c, hop, []*call{h}); err != nil {
		return err
	}
	hdrs, err := b.headersFrom([]*call{h}, []int32{0})
	if err != nil {
		return err
	}
	if got := hdrs[0].BlockHash(); got != *b.net.GenesisHash {
		return b.errs.WrongNetwork(got.String(), b.net.GenesisHash.String())
	}
	return nil
}

// versionInRange says whether v (dotted numbers) is within ProtocolMin..ProtocolMax.
func versionInRange(v string) bool {
	p, ok := parseVersion(v)
	if !ok {
		return false
	}
	lo, _ := parseVersion(ProtocolMin)
	hi, _ := parseVersion(ProtocolMax)
	return compareVersion(p, lo) >= 0 && compareVersion(p, hi) <= 0
}

func parseVersion(v string) ([]int, bool) {
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 4 {
		return nil, false
	}
	out := make([]int, len(parts))
	for i, s := range parts {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || s != strconv.Itoa(n) {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

func compareVersion(a, b []int) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// exchange sends calls (in batches of up to batch, or one by one with NoBatch) and fills in
// their answers. A call's own error is left in call.err; an error returned means the exchange
// failed, and the connection is dropped.
func (b *Backend) exchange(ctx context.Context, op string, calls []*call, batch int) error {
	b.ioMu.Lock()
	defer b.ioMu.Unlock()
	c, err := b.connection(ctx)
	if err != nil {
		return err
	}
	if b.noBatch {
		batch = 1
	}
	for start := 0; start < len(calls); start += batch {
		if err := b.roundTrip(ctx, c, op, calls[start:min(len(calls), start+batch)]); err != nil {
			b.drop(c)
			return err
		}
	}
	return nil
}

// roundTrip writes one message (a single request, or a batch array) and reads until every
// request in it is answered, passing notifications to the connection's subscriber if it has
// one and skipping them otherwise.
func (b *Backend) roundTrip(ctx context.Context, c *conn, op string, calls []*call) error {
	if len(calls) == 0 {
		return nil
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(b.timeout)
	}
	if err := c.c.SetDeadline(deadline); err != nil {
		return b.transportErr(ctx, op, err)
	}
	stop := context.AfterFunc(ctx, func() { c.c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	pending := make(map[uint64]*call, len(calls))
	reqs := make([]request, len(calls))
	for i, cl := range calls {
		b.nextID++
		reqs[i] = request{JSONRPC: "2.0", Method: cl.method, Params: cl.params, ID: b.nextID}
		if reqs[i].Params == nil {
			reqs[i].Params = []any{}
		}
		pending[b.nextID] = cl
	}
	var payload []byte
	var err error
	if len(reqs) == 1 {
		payload, err = json.Marshal(reqs[0])
	} else {
		payload, err = json.Marshal(reqs)
	}
	if err != nil {
		return fmt.Errorf("%s: %s: encode request: %w", b.name, op, err)
	}
	b.roundTrips.Add(1)
	if _, err := c.c.Write(append(payload, '\n')); err != nil {
		return b.transportErr(ctx, op, err)
	}
	for len(pending) > 0 {
		line, err := readLine(c.r)
		if errors.Is(err, errLineTooLong) {
			return b.errs.Bad(op, "a message is larger than %d MiB", maxLine>>20)
		}
		if err != nil {
			return b.transportErr(ctx, op, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		msgs, err := parseLine(line)
		if err != nil {
			return b.errs.Bad(op, "%v", err)
		}
		for _, m := range msgs {
			if !m.hasID {
				if m.method != "" {
					c.noted(m.method) // a notification: only a subscription's connection wants it
					continue
				}
				if m.err != nil {
					return b.errs.Refused(op, m.err.Error())
				}
				return b.errs.Bad(op, "an answer without id")
			}
			cl, ok := pending[m.id]
			if !ok {
				return b.errs.Bad(op, "an answer to id %d, which was not asked or was answered already", m.id)
			}
			delete(pending, m.id)
			cl.result, cl.err = m.result, m.err
		}
	}
	return nil
}

// transportErr classifies an I/O error, preferring the context's reason when it ended.
func (b *Backend) transportErr(ctx context.Context, op string, err error) error {
	cause := ctx.Err()
	if cause == nil && netutil.Classify(err) == netutil.KindSlow {
		// The socket deadline (the call's) can fire a moment before the context notices.
		cause = context.DeadlineExceeded
	}
	if cause != nil && !errors.Is(err, cause) {
		err = fmt.Errorf("%w (%v)", cause, err)
	}
	return b.errs.Fail(op, err)
}

// readLine reads up to and including '\n', refusing lines over maxLine.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		frag, err := r.ReadSlice('\n')
		if len(buf)+len(frag) > maxLine {
			return nil, errLineTooLong
		}
		buf = append(buf, frag...)
		switch {
		case err == nil:
			return buf, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(buf) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}
