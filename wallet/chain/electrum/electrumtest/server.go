package electrumtest

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
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

	mu       sync.Mutex
	scripts  map[string][]byte // Electrum script hash -> script
	lies     []lie
	conns    map[net.Conn]bool
	sessions map[*session]bool
	closed   bool
	wg       sync.WaitGroup

	notifyMu sync.Mutex    // one Notify at a time, so notifications go out in order
	stop     chan struct{} // closed by Close: ends the poller
	stopOnce sync.Once

	messages atomic.Int64
}

// Option tunes Start.
type Option func(*startConfig)

type startConfig struct {
	cert *tls.Certificate
	lies []lie
}

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
	s := &Server{be: be, ln: ln, tls: cfg.cert != nil, scripts: map[string][]byte{}, conns: map[net.Conn]bool{},
		sessions: map[*session]bool{}, lies: cfg.lies, stop: make(chan struct{})}
	s.wg.Add(2)
	go s.serve()
	go s.poll()
	return s, nil
}

// Addr is the server's HOST:PORT.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the server's URL for electrum.Open (add ?cert=PATH for TLS).
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
	s.stopOnce.Do(func() { close(s.stop) })
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
	ss := &session{c: c, w: bufio.NewWriter(c)}
	s.mu.Lock()
	s.sessions[ss] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.sessions, ss)
		s.mu.Unlock()
	}()
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
				out = s.batch(ss, reqs)
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
					ss.send(resp)
					return
				}
				negotiated = true
				out = resp
			} else {
				out = s.batch(ss, []request{req})[0]
			}
		}
		if err := ss.send(out); err != nil {
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
