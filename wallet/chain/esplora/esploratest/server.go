package esploratest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// Paging limits, as electrs has them.
const (
	chainPage   = 25
	mempoolMost = 50
)

// feeTargets are the confirmation targets /fee-estimates answers for (the API's list, plus 1).
var feeTargets = []int{1, 2, 3, 4, 5, 6, 10, 20, 25, 144, 504, 1008}

// Server answers the Esplora API from a chain.Backend. It is an http.Handler serving at the
// root: a client's base URL is the server's URL with no path.
type Server struct {
	be chain.Backend

	mu      sync.Mutex
	scripts map[string][]byte // natural-order sha256 hex -> script

	requests atomic.Int64
}

// New makes a server answering from be.
func New(be chain.Backend) *Server {
	return &Server{be: be, scripts: map[string][]byte{}}
}

// Start runs a server for be on loopback until the test ends and returns it with its base URL.
func Start(t testing.TB, be chain.Backend) (*Server, string) {
	t.Helper()
	s := New(be)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

// Watch makes the server answer for these scripts' hashes.
func (s *Server) Watch(scripts ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range scripts {
		h := sha256.Sum256(sc) // natural byte order, as Esplora takes it
		s.scripts[hex.EncodeToString(h[:])] = append([]byte(nil), sc...)
	}
}

// Requests counts the requests served.
func (s *Server) Requests() int64 { return s.requests.Load() }

// ServeHTTP routes one request of the Esplora API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	ctx := r.Context()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	get := r.Method == http.MethodGet
	var err error
	switch {
	case get && match(parts, "blocks", "tip", "height"):
		err = s.tipHeight(ctx, w)
	case get && match(parts, "blocks", "tip", "hash"):
		err = s.tipHash(ctx, w)
	case get && match(parts, "block-height", "*"):
		err = s.blockAtHeight(ctx, w, parts[1])
	case get && match(parts, "block", "*", "header"):
		err = s.header(ctx, w, parts[1])
	case get && match(parts, "scripthash", "*", "txs"):
		err = s.history(ctx, w, parts[1], "first", "")
	case get && match(parts, "scripthash", "*", "txs", "mempool"):
		err = s.history(ctx, w, parts[1], "mempool", "")
	case get && match(parts, "scripthash", "*", "txs", "chain"):
		err = s.history(ctx, w, parts[1], "chain", "")
	case get && match(parts, "scripthash", "*", "txs", "chain", "*"):
		err = s.history(ctx, w, parts[1], "chain", parts[4])
	case get && match(parts, "tx", "*", "hex"):
		err = s.txHex(ctx, w, parts[1])
	case get && match(parts, "tx", "*", "status"):
		err = s.txStatus(ctx, w, parts[1])
	case r.Method == http.MethodPost && match(parts, "tx"):
		err = s.broadcast(ctx, w, r)
	case get && match(parts, "fee-estimates"):
		err = s.feeEstimates(ctx, w)
	default:
		http.Error(w, "Not found", http.StatusNotFound)
		return
	}
	if err != nil {
		var he httpError
		if errors.As(err, &he) {
			http.Error(w, he.msg, he.status)
			return
		}
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
}

// httpError is an answer other than 200 that the API defines.
type httpError struct {
	status int
	msg    string
}

func (e httpError) Error() string { return e.msg }

func badRequest(msg string) error { return httpError{http.StatusBadRequest, msg} }

func notFound(msg string) error { return httpError{http.StatusNotFound, msg} }

func match(parts []string, pattern ...string) bool {
	if len(parts) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != parts[i] {
			return false
		}
	}
	return true
}

func text(w http.ResponseWriter, s string) error {
	w.Header().Set("Content-Type", "text/plain")
	_, err := io.WriteString(w, s)
	return err
}

func jsonOut(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}
