package esplora

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// fastRetry keeps retry tests quick.
var fastRetry = netutil.Retry{Tries: 3, Base: time.Millisecond, Cap: 20 * time.Millisecond}

// script makes a distinct P2WPKH-shaped output script.
func script(n byte) []byte {
	s := make([]byte, 22)
	s[1] = 0x14
	s[2] = n
	s[21] = 0xee
	return s
}

// paramsFor is regtest with the fake chain's genesis block, so the network check passes.
func paramsFor(t testing.TB, c *chaintest.Chain) *chaincfg.Params { return conformance.Params(t, c) }

// hooked is an Esplora test server whose requests a test can intercept: when intercept
// returns true it has answered.
type hooked struct {
	mu        sync.Mutex
	inner     http.Handler
	intercept func(w http.ResponseWriter, r *http.Request) bool
	paths     []string
}

func (h *hooked) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.paths = append(h.paths, r.Method+" "+r.URL.Path)
	f := h.intercept
	h.mu.Unlock()
	if f != nil && f(w, r) {
		return
	}
	h.inner.ServeHTTP(w, r)
}

func (h *hooked) set(f func(w http.ResponseWriter, r *http.Request) bool) {
	h.mu.Lock()
	h.intercept = f
	h.mu.Unlock()
}

func (h *hooked) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.paths...)
}

// rig is a fake chain behind an esploratest server behind a hook, and a client on it.
type rig struct {
	chain  *chaintest.Chain
	server *esploratest.Server
	hook   *hooked
	url    string
	client *Backend
}

func newRig(t testing.TB, opts options) *rig {
	t.Helper()
	c := chaintest.New()
	s := esploratest.New(c)
	h := &hooked{inner: s}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	r := &rig{chain: c, server: s, hook: h, url: hs.URL}
	r.client = r.dial(t, opts)
	return r
}

func (r *rig) dial(t testing.TB, opts options) *Backend {
	t.Helper()
	b, err := newBackend(r.url, paramsFor(t, r.chain), opts)
	if err != nil {
		t.Fatal(err)
	}
	b.retry = fastRetry
	t.Cleanup(func() { b.Close() })
	return b
}

// pay puts n payments to sc on the chain, mining a block after every perBlock of them (0:
// leave them in the mempool).
func pay(c *chaintest.Chain, sc []byte, n, perBlock int, tag uint32) {
	for i := 0; i < n; i++ {
		c.AddMempool(chaintest.Pay(tag+uint32(i), wire.NewTxOut(int64(1000+i), sc)))
		if perBlock > 0 && (i+1)%perBlock == 0 {
			c.Mine(1)
		}
	}
	if perBlock > 0 && n%perBlock != 0 {
		c.Mine(1)
	}
}

func sorted(h []chain.HistoryItem) []chain.HistoryItem {
	out := append([]chain.HistoryItem(nil), h...)
	sort.Slice(out, func(i, j int) bool { return out[i].TxID.String() < out[j].TxID.String() })
	return out
}

func kindOf(err error) netutil.Kind {
	var ne *netutil.Error
	if errors.As(err, &ne) {
		return ne.Kind
	}
	return ""
}
