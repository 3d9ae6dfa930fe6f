package electrum

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// script makes a distinct P2WPKH-shaped output script.
func script(n int) []byte {
	s := make([]byte, 22)
	s[1] = 0x14
	s[2], s[3] = byte(n), byte(n>>8)
	s[21] = 0xee
	return s
}

// paramsFor is regtest with the fake chain's genesis block, so the network check passes.
func paramsFor(t testing.TB, c *chaintest.Chain) *chaincfg.Params { return conformance.Params(t, c) }

// rig is a fake chain behind an electrumtest server, and a client on it.
type rig struct {
	chain  *chaintest.Chain
	server *electrumtest.Server
	client *Backend
}

func newRig(t testing.TB, opts options) *rig {
	t.Helper()
	c := chaintest.New()
	s := electrumtest.Start(t, c)
	b, err := dial(context.Background(), s.URL(), paramsFor(t, c), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return &rig{chain: c, server: s, client: b}
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

// rawReq is a request as the scripted server reads it.
type rawReq struct {
	ID     uint64            `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// scripted is a TCP server whose answers a test writes by hand. It answers server.version
// itself (with version, "1.4" unless set) and hands every other message to handle, which
// writes whatever it likes and returns false to hang up.
type scripted struct {
	ln      net.Listener
	version string
	handle  func(w *bufio.Writer, reqs []rawReq, batch bool) bool
	conns   atomic.Int32
	mu      sync.Mutex
	open    []net.Conn
	lines   []string
}

func startScripted(t *testing.T, handle func(w *bufio.Writer, reqs []rawReq, batch bool) bool) *scripted {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scripted{ln: ln, version: `"1.4"`, handle: handle}
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.open {
			c.Close()
		}
		s.mu.Unlock()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.mu.Lock()
			s.open = append(s.open, c)
			s.mu.Unlock()
			go s.serve(c)
		}
	}()
	return s
}

func (s *scripted) url() string { return "electrum://" + s.ln.Addr().String() }

func (s *scripted) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

func (s *scripted) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		s.mu.Lock()
		s.lines = append(s.lines, strings.TrimSpace(line))
		s.mu.Unlock()
		var reqs []rawReq
		batch := strings.HasPrefix(line, "[")
		if batch {
			json.Unmarshal([]byte(line), &reqs)
		} else {
			var one rawReq
			json.Unmarshal([]byte(line), &one)
			reqs = []rawReq{one}
		}
		if !batch && reqs[0].Method == "server.version" {
			if s.version == "" {
				return
			}
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"result":["scripted 1.0",%s]}`+"\n", reqs[0].ID, s.version)
			w.Flush()
			continue
		}
		if !s.handle(w, reqs, batch) {
			w.Flush()
			return
		}
		w.Flush()
	}
}

// result is one JSON-RPC answer.
func result(id uint64, res string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"result":%s}`, id, res)
}

func rpcErrorLine(id uint64, code int, msg string) string {
	m, _ := json.Marshal(msg)
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"error":{"code":%d,"message":%s}}`, id, code, m)
}

// dialScripted connects a client (no network check) to a scripted server.
func dialScripted(t *testing.T, s *scripted, opts options) *Backend {
	t.Helper()
	b, err := dial(context.Background(), s.url(), nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
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

func txid(n int) chainhash.Hash { return chainhash.DoubleHashH([]byte(fmt.Sprint("tx", n))) }
