package electrumtest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// The subscription methods; notifications carry the same names.
const (
	methodScriptSub  = "blockchain.scripthash.subscribe"
	methodHeadersSub = "blockchain.headers.subscribe"
)

// PollInterval is how often the server asks its backend, which cannot push, whether anything a
// client subscribed to changed. It polls only while some connection has subscribed to a script
// hash, so tests without subscriptions see no extra backend calls; Notify checks at once.
const PollInterval = 100 * time.Millisecond

// session is one client connection. Responses and notifications are written under wmu.
type session struct {
	c   net.Conn
	wmu sync.Mutex
	w   *bufio.Writer

	// Guarded by Server.mu: what the client subscribed to and was last told.
	scripts map[string]json.RawMessage // script hash -> status (a JSON string, or null)
	headers bool
	tip     chain.Tip
}

// notification is a server push: a JSON-RPC request without id.
type notification struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// send writes one message. A write that cannot go out within a few seconds (a client that
// stopped reading) fails rather than blocking the poller.
func (ss *session) send(v any) error {
	ss.wmu.Lock()
	defer ss.wmu.Unlock()
	ss.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := ss.w.Write(append(mustJSON(v), '\n')); err != nil {
		return err
	}
	return ss.w.Flush()
}

// status is the protocol's status of a history: the hex sha256 of every entry written as
// "txid:height:" in order, or null for no history.
func status(entries []historyEntry) json.RawMessage {
	if len(entries) == 0 {
		return json.RawMessage("null")
	}
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.TxHash + ":" + strconv.Itoa(int(e.Height)) + ":")
	}
	sum := sha256.Sum256([]byte(b.String()))
	return json.RawMessage(strconv.Quote(hex.EncodeToString(sum[:])))
}

// tipNote is headers.subscribe's answer (and notification): the tip's height and header.
func (s *Server) tipNote(ctx context.Context) (chain.Tip, map[string]any, *callErr) {
	t, err := s.be.Tip(ctx)
	if err != nil {
		return chain.Tip{}, nil, &callErr{2, err.Error()}
	}
	hdrs, err := s.headersAt(ctx, []int32{t.Height})
	if err != nil {
		return chain.Tip{}, nil, &callErr{2, err.Error()}
	}
	return t, map[string]any{"height": t.Height, "hex": netutil.EncodeHeader(hdrs[0])}, nil
}

// subscribeScripts answers blockchain.scripthash.subscribe with each script hash's status and
// records the subscriptions on the session.
func (s *Server) subscribeScripts(ctx context.Context, ss *session, reqs []request, idx []int, out []response) {
	var hashes []string
	var ok []int
	for _, i := range idx {
		h, good := stringParam(reqs[i], 0)
		if _, err := hex.DecodeString(h); !good || len(h) != 64 || err != nil {
			out[i].Error = badParams("scripthash must be 64 hex digits").rpc()
			continue
		}
		hashes = append(hashes, strings.ToLower(h))
		ok = append(ok, i)
	}
	if len(hashes) == 0 {
		return
	}
	lists, err := s.historyLists(ctx, hashes)
	if err != nil {
		for _, i := range ok {
			out[i].Error = &rpcErr{2, err.Error()}
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss.scripts == nil {
		ss.scripts = map[string]json.RawMessage{}
	}
	for n, i := range ok {
		st := status(lists[n])
		out[i].Result = st
		ss.scripts[hashes[n]] = st
	}
}

// poll checks for changes every PollInterval while some client has a script subscription.
func (s *Server) poll() {
	defer s.wg.Done()
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		if s.subscribed() {
			s.Notify()
		}
	}
}

// subscribed says whether any connection subscribed to a script hash.
func (s *Server) subscribed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ss := range s.sessions {
		if len(ss.scripts) > 0 {
			return true
		}
	}
	return false
}

// Notify asks the backend now whether a subscribed script hash's status or the tip changed, and
// pushes notifications to the connections subscribed to them, as a real server does when a
// block or transaction arrives. The server also does this by itself every PollInterval while a
// script subscription is open; tests call Notify not to wait for it. A backend failure skips
// the round.
func (s *Server) Notify() {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	s.mu.Lock()
	want := map[string]bool{}
	headers := false
	for ss := range s.sessions {
		for h := range ss.scripts {
			want[h] = true
		}
		headers = headers || ss.headers
	}
	s.mu.Unlock()
	hashes := make([]string, 0, len(want))
	for h := range want {
		hashes = append(hashes, h)
	}
	statuses := map[string]json.RawMessage{}
	if len(hashes) > 0 {
		lists, err := s.historyLists(ctx, hashes)
		if err != nil {
			return
		}
		for n, h := range hashes {
			statuses[h] = status(lists[n])
		}
	}
	var tip chain.Tip
	var tipNote map[string]any
	if headers {
		var cerr *callErr
		if tip, tipNote, cerr = s.tipNote(ctx); cerr != nil {
			return
		}
	}

	type push struct {
		ss   *session
		note notification
	}
	var pushes []push
	s.mu.Lock()
	for ss := range s.sessions {
		if ss.headers && tipNote != nil && ss.tip != tip {
			ss.tip = tip
			pushes = append(pushes, push{ss, notification{"2.0", methodHeadersSub, []any{tipNote}}})
		}
		for h, old := range ss.scripts {
			st, ok := statuses[h]
			if !ok || string(st) == string(old) {
				continue
			}
			ss.scripts[h] = st
			pushes = append(pushes, push{ss, notification{"2.0", methodScriptSub, []any{h, st}}})
		}
	}
	s.mu.Unlock()
	for _, p := range pushes {
		if err := p.ss.send(p.note); err != nil {
			p.ss.c.Close()
		}
	}
}

// DropSubscribers cuts the connections that subscribed to a script hash and leaves the others
// open, so a test can break a client's subscriptions without failing a call under way on its
// other connection.
func (s *Server) DropSubscribers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ss := range s.sessions {
		if len(ss.scripts) > 0 {
			ss.c.Close()
		}
	}
}
