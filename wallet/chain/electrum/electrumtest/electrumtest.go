package electrumtest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// ServerVersion is the software name the server gives in server.version.
const ServerVersion = "electrumtest 1.0"

// Protocol versions the server speaks.
const (
	protocolMin = "1.4"
	protocolMax = "1.4.2"
)

// Server is a running test Electrum server.
type Server struct {
	be  chain.Backend
	ln  net.Listener
	tls bool

	mu      sync.Mutex
	scripts map[string][]byte // Electrum script hash -> script
	conns   map[net.Conn]bool
	closed  bool
	wg      sync.WaitGroup

	messages atomic.Int64
}

// Option tunes Start.
type Option func(*startConfig)

type startConfig struct{ cert *tls.Certificate }

// WithTLS serves TLS with this certificate (electrums://).
func WithTLS(cert tls.Certificate) Option { return func(c *startConfig) { c.cert = &cert } }

// Start runs a server for be on 127.0.0.1 until the test ends.
func Start(t testing.TB, be chain.Backend, opts ...Option) *Server {
	t.Helper()
	s, err := Listen(be, opts...)
	if err != nil {
		t.Fatalf("electrumtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Listen runs a server for be on 127.0.0.1 until Close.
func Listen(be chain.Backend, opts ...Option) (*Server, error) {
	var cfg startConfig
	for _, o := range opts {
		o(&cfg)
	}
	var ln net.Listener
	var err error
	if cfg.cert != nil {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{*cfg.cert}})
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, err
	}
	s := &Server{be: be, ln: ln, tls: cfg.cert != nil, scripts: map[string][]byte{}, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Addr is the server's HOST:PORT.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the server's URL for electrum.Dial (add ?cert=PATH for TLS).
func (s *Server) URL() string {
	if s.tls {
		return "electrums://" + s.Addr()
	}
	return "electrum://" + s.Addr()
}

// Messages counts the messages (lines: a request or a batch) received.
func (s *Server) Messages() int64 { return s.messages.Load() }

// Watch makes the server answer for these scripts' hashes.
func (s *Server) Watch(scripts ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range scripts {
		s.scripts[scriptHash(sc)] = append([]byte(nil), sc...)
	}
}

// scriptHash is sha256 of the script, bytes reversed, in hex (written here independently of
// the client's, so a test checks the client's byte order).
func scriptHash(script []byte) string {
	h := sha256.Sum256(script)
	r := make([]byte, len(h))
	for i := range h {
		r[len(h)-1-i] = h[i]
	}
	return hex.EncodeToString(r)
}

// Close stops the server and cuts its connections.
func (s *Server) Close() {
	s.ln.Close()
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// DropConnections cuts every open connection (the server keeps listening).
func (s *Server) DropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			s.session(c)
		}()
	}
}

type request struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

type rpcErr struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type response struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  any             `json:"result,omitempty"`
	Error   *rpcErr         `json:"error,omitempty"`
	ID      json.RawMessage `json:"id"`
}

// session serves one connection: server.version first, then anything.
func (s *Server) session(c net.Conn) {
	r := bufio.NewReaderSize(c, 1<<20)
	w := bufio.NewWriter(c)
	negotiated := false
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return
		}
		s.messages.Add(1)
		line = []byte(strings.TrimSpace(string(line)))
		var out any
		if len(line) > 0 && line[0] == '[' {
			var reqs []request
			if err := json.Unmarshal(line, &reqs); err != nil || len(reqs) == 0 {
				out = response{JSONRPC: "2.0", Error: &rpcErr{-32700, "invalid JSON"}, ID: json.RawMessage("null")}
			} else if !negotiated {
				return
			} else {
				out = s.batch(reqs)
			}
		} else {
			var req request
			if err := json.Unmarshal(line, &req); err != nil {
				out = response{JSONRPC: "2.0", Error: &rpcErr{-32700, "invalid JSON"}, ID: json.RawMessage("null")}
			} else if !negotiated {
				if req.Method != "server.version" {
					return // ElectrumX drops a client whose first message is not server.version
				}
				resp, ok := s.version(req)
				if !ok {
					w.Write(append(mustJSON(resp), '\n'))
					w.Flush()
					return
				}
				negotiated = true
				out = resp
			} else {
				out = s.batch([]request{req})[0]
			}
		}
		if _, err := w.Write(append(mustJSON(out), '\n')); err != nil {
			return
		}
		if err := w.Flush(); err != nil {
			return
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// version negotiates: the highest version both speak, or an error when none.
func (s *Server) version(req request) (response, bool) {
	resp := response{JSONRPC: "2.0", ID: req.ID}
	lo, hi := protocolMin, protocolMin
	if len(req.Params) > 1 {
		var one string
		var pair []string
		if json.Unmarshal(req.Params[1], &one) == nil {
			lo, hi = one, one
		} else if json.Unmarshal(req.Params[1], &pair) == nil && len(pair) == 2 {
			lo, hi = pair[0], pair[1]
		}
	}
	v := minVersion(hi, protocolMax)
	if less(v, maxVersion(lo, protocolMin)) {
		resp.Error = &rpcErr{1, "unsupported protocol version: " + hi}
		return resp, false
	}
	resp.Result = []string{ServerVersion, v}
	return resp, true
}

func versionParts(v string) []int {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

func less(a, b string) bool {
	x, y := versionParts(a), versionParts(b)
	for i := 0; i < max(len(x), len(y)); i++ {
		var p, q int
		if i < len(x) {
			p = x[i]
		}
		if i < len(y) {
			q = y[i]
		}
		if p != q {
			return p < q
		}
	}
	return false
}

func minVersion(a, b string) string {
	if less(a, b) {
		return a
	}
	return b
}

func maxVersion(a, b string) string {
	if less(a, b) {
		return b
	}
	return a
}

// batch answers requests in order, grouping histories, transactions and headers into one
// backend call each.
func (s *Server) batch(reqs []request) []response {
	ctx := context.Background()
	out := make([]response, len(reqs))
	for i, r := range reqs {
		out[i] = response{JSONRPC: "2.0", ID: r.ID}
	}
	fail := func(i int, code int, msg string) { out[i].Error = &rpcErr{code, msg} }
	group := map[string][]int{}
	for i, r := range reqs {
		switch r.Method {
		case "blockchain.scripthash.get_history", "blockchain.transaction.get", "blockchain.block.header":
			group[r.Method] = append(group[r.Method], i)
		default:
			res, err := s.single(ctx, r)
			if err != nil {
				fail(i, err.code, err.msg)
			} else {
				out[i].Result = res
			}
		}
	}
	s.histories(ctx, reqs, group["blockchain.scripthash.get_history"], out)
	s.transactions(ctx, reqs, group["blockchain.transaction.get"], out)
	s.headers(ctx, reqs, group["blockchain.block.header"], out)
	return out
}

type callErr struct {
	code int
	msg  string
}

func badParams(msg string) *callErr { return &callErr{-32602, msg} }

func stringParam(r request, i int) (string, bool) {
	if len(r.Params) <= i {
		return "", false
	}
	var s string
	return s, json.Unmarshal(r.Params[i], &s) == nil
}

func intParam(r request, i int) (int64, bool) {
	if len(r.Params) <= i {
		return 0, false
	}
	var n int64
	return n, json.Unmarshal(r.Params[i], &n) == nil
}

func (s *Server) single(ctx context.Context, r request) (any, *callErr) {
	switch r.Method {
	case "server.ping":
		return json.RawMessage("null"), nil
	case "server.version":
		return nil, &callErr{1, "server.version already sent"}
	case "blockchain.headers.subscribe":
		t, err := s.be.Tip(ctx)
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		hdrs, err := s.be.BlockHeaders(ctx, []int32{t.Height})
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return map[string]any{"height": t.Height, "hex": netutil.EncodeHeader(hdrs[0])}, nil
	case "blockchain.transaction.broadcast":
		h, ok := stringParam(r, 0)
		raw, err := hex.DecodeString(h)
		if !ok || err != nil {
			return nil, badParams("raw_tx must be a hex string")
		}
		tx := new(wire.MsgTx)
		if err := tx.Deserialize(strings.NewReader(string(raw))); err != nil {
			return nil, &callErr{1, "the transaction was rejected by network rules.\n\nTX decode failed\n[" + h + "]"}
		}
		id, err := s.be.Broadcast(ctx, tx)
		var be *chain.BroadcastError
		if errors.As(err, &be) {
			return nil, &callErr{1, "the transaction was rejected by network rules.\n\n" + be.Message + "\n[" + h + "]"}
		}
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return id.String(), nil
	case "blockchain.estimatefee":
		n, ok := intParam(r, 0)
		if !ok {
			return nil, badParams("number must be an integer")
		}
		rate, err := s.be.EstimateFee(ctx, int(n))
		if errors.Is(err, chain.ErrNoEstimate) {
			return json.RawMessage("-1"), nil
		}
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return json.RawMessage(netutil.FormatDecimal(int64(rate), 8)), nil
	case "blockchain.relayfee":
		rate, err := s.be.RelayFee(ctx)
		if err != nil {
			return nil, &callErr{2, err.Error()}
		}
		return json.RawMessage(netutil.FormatDecimal(int64(rate), 8)), nil
	}
	return nil, &callErr{-32601, "unknown method " + strconv.Quote(r.Method)}
}

type historyEntry struct {
	TxHash string `json:"tx_hash"`
	Height int32  `json:"height"`
}

func (s *Server) histories(ctx context.Context, reqs []request, idx []int, out []response) {
	var scripts [][]byte
	var asked []int // positions in idx whose script is known
	for k, i := range idx {
		h, ok := stringParam(reqs[i], 0)
		if !ok || len(h) != 64 {
			out[i].Error = badParams("scripthash must be 64 hex digits").rpc()
			continue
		}
		s.mu.Lock()
		sc, known := s.scripts[strings.ToLower(h)]
		s.mu.Unlock()
		out[i].Result = []historyEntry{}
		if known {
			scripts = append(scripts, sc)
			asked = append(asked, k)
		}
	}
	if len(scripts) == 0 {
		return
	}
	hists, err := s.be.ScriptHistories(ctx, scripts)
	for n, k := range asked {
		i := idx[k]
		if err != nil {
			out[i].Result, out[i].Error = nil, &rpcErr{2, err.Error()}
			continue
		}
		// Blockchain order, then the mempool, as the protocol lists them.
		var conf, mem []historyEntry
		for _, it := range hists[n] {
			e := historyEntry{TxHash: it.TxID.String(), Height: it.Height}
			if it.Height <= 0 {
				e.Height = 0
				mem = append(mem, e)
			} else {
				conf = append(conf, e)
			}
		}
		sortEntries(conf)
		sortEntries(mem)
		out[i].Result = append(conf, mem...)
	}
}

func (e *callErr) rpc() *rpcErr { return &rpcErr{e.code, e.msg} }

func sortEntries(es []historyEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && (es[j].Height < es[j-1].Height ||
			(es[j].Height == es[j-1].Height && es[j].TxHash < es[j-1].TxHash)); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func (s *Server) transactions(ctx context.Context, reqs []request, idx []int, out []response) {
	var ids []chainhash.Hash
	var ok []int
	for _, i := range idx {
		h, good := stringParam(reqs[i], 0)
		id, err := netutil.ParseHash(h)
		if !good || err != nil {
			out[i].Error = badParams("tx_hash must be a txid").rpc()
			continue
		}
		ids = append(ids, id)
		ok = append(ok, i)
	}
	if len(ids) == 0 {
		return
	}
	txs, err := s.be.Transactions(ctx, ids)
	if err != nil {
		// Ask one by one so each missing transaction gets its own error.
		for n, i := range ok {
			one, err := s.be.Transactions(ctx, ids[n:n+1])
			if err != nil {
				out[i].Error = &rpcErr{2, "daemon error: No such mempool or blockchain transaction"}
				continue
			}
			out[i].Result = mustHex(one[0])
		}
		return
	}
	for n, i := range ok {
		out[i].Result = mustHex(txs[n])
	}
}

func mustHex(tx *wire.MsgTx) string {
	h, err := netutil.EncodeTx(tx)
	if err != nil {
		panic(err)
	}
	return h
}

func (s *Server) headers(ctx context.Context, reqs []request, idx []int, out []response) {
	var heights []int32
	var ok []int
	for _, i := range idx {
		h, good := intParam(reqs[i], 0)
		if !good || h < 0 || h > 1<<31-1 {
			out[i].Error = badParams("height must be a non-negative integer").rpc()
			continue
		}
		heights = append(heights, int32(h))
		ok = append(ok, i)
	}
	if len(heights) == 0 {
		return
	}
	hdrs, err := s.be.BlockHeaders(ctx, heights)
	if err != nil {
		for n, i := range ok {
			one, err := s.be.BlockHeaders(ctx, heights[n:n+1])
			if err != nil {
				out[i].Error = &rpcErr{1, fmt.Sprintf("height %d out of range", heights[n])}
				continue
			}
			out[i].Result = netutil.EncodeHeader(one[0])
		}
		return
	}
	for n, i := range ok {
		out[i].Result = netutil.EncodeHeader(hdrs[n])
	}
}
