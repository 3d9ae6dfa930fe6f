package esplora

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

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

// TestClientOverServerMatchesTheChain: the client, over the test server, over the fake chain,
// gives what the fake chain gives directly.
func TestClientOverServerMatchesTheChain(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	c := r.chain
	a, b, unused := script(1), script(2), script(3)
	c.Mine(3)
	pay(c, a, 30, 7, 100) // 30 confirmed payments to a, over 5 blocks
	pay(c, b, 2, 1, 200)
	// A spend from a to b, confirmed, then mempool payments to both.
	hist, _ := c.ScriptHistories(ctx, [][]byte{a})
	spent := hist[0][0].TxID
	spend := wire.NewMsgTx(2)
	spend.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	spend.AddTxOut(wire.NewTxOut(500, b))
	c.AddMempool(spend)
	c.Mine(1)
	pay(c, a, 3, 0, 300)
	pay(c, b, 1, 0, 400)
	c.Fee = 2500
	r.server.Watch(a, b, unused)

	scripts := [][]byte{a, b, unused}
	want, _ := c.ScriptHistories(ctx, scripts)
	got, err := r.client.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if !reflect.DeepEqual(sorted(got[i]), sorted(want[i])) {
			t.Errorf("script %d: client %v, chain %v", i, sorted(got[i]), sorted(want[i]))
		}
	}
	if len(got[0]) != 34 || len(got[2]) != 0 {
		t.Fatalf("a has %d items (want 30+1 spend+3 mempool), unused %d", len(got[0]), len(got[2]))
	}

	wantTip, _ := c.Tip(ctx)
	tip, err := r.client.Tip(ctx)
	if err != nil || tip != wantTip {
		t.Fatalf("Tip = %+v, %v; want %+v", tip, err, wantTip)
	}

	var ids []chainhash.Hash
	for _, it := range got[0] {
		ids = append(ids, it.TxID)
	}
	txs, err := r.client.Transactions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	wantTxs, _ := c.Transactions(ctx, ids)
	for i := range ids {
		if txs[i].TxHash() != wantTxs[i].TxHash() || txs[i].TxHash() != ids[i] {
			t.Fatalf("transaction %d differs", i)
		}
	}

	heights := []int32{0, 5, tip.Height, 5}
	hdrs, err := r.client.BlockHeaders(ctx, heights)
	if err != nil {
		t.Fatal(err)
	}
	wantHdrs, _ := c.BlockHeaders(ctx, heights)
	for i := range heights {
		if hdrs[i].BlockHash() != wantHdrs[i].BlockHash() {
			t.Fatalf("header at %d differs", heights[i])
		}
	}

	if fee, err := r.client.EstimateFee(ctx, 6); err != nil || fee != 2500 {
		t.Fatalf("EstimateFee = %v, %v", fee, err)
	}
	if relay, err := r.client.RelayFee(ctx); err != nil || relay != txbuilder.SatPerVB(1) {
		t.Fatalf("RelayFee = %v, %v", relay, err)
	}

	// Broadcast: accepted, then the same again (already known), then a double spend.
	fresh := chaintest.Pay(999, wire.NewTxOut(1234, b))
	if id, err := r.client.Broadcast(ctx, fresh); err != nil || id != fresh.TxHash() {
		t.Fatalf("Broadcast = %s, %v", id, err)
	}
	var be *chain.BroadcastError
	if _, err := r.client.Broadcast(ctx, fresh); !errors.As(err, &be) || be.Cause != chain.CauseAlreadyInChain {
		t.Fatalf("second Broadcast: %v", err)
	}
	double := wire.NewMsgTx(2)
	double.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	double.AddTxOut(wire.NewTxOut(400, a))
	if _, err := r.client.Broadcast(ctx, double); !errors.As(err, &be) || be.Cause != chain.CauseConflict || be.Message != "output already spent" {
		t.Fatalf("double spend: %v", err)
	}
}

func TestPagesThroughLongHistories(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	a := script(1)
	pay(r.chain, a, 60, 9, 1)
	pay(r.chain, a, 2, 0, 500)
	r.server.Watch(a)
	got, err := r.client.ScriptHistories(ctx, [][]byte{a})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.chain.ScriptHistories(ctx, [][]byte{a})
	if !reflect.DeepEqual(sorted(got[0]), sorted(want[0])) || len(got[0]) != 62 {
		t.Fatalf("got %d items, want the chain's %d", len(got[0]), len(want[0]))
	}
	var pages []string
	for _, p := range r.hook.seen() {
		if strings.Contains(p, "/scripthash/") {
			pages = append(pages, p)
		}
	}
	// 2 mempool + 25 confirmed, then 25, then 10.
	if len(pages) != 3 || !strings.HasSuffix(pages[0], "/txs") || !strings.Contains(pages[1], "/txs/chain/") {
		t.Fatalf("pages asked: %v", pages)
	}
	// The hash in the path is sha256(script) in natural byte order.
	if !strings.Contains(pages[0], "/scripthash/"+ScriptHash(a)+"/") {
		t.Fatalf("page %s does not use the natural-order script hash", pages[0])
	}
}

func TestExactlyOneFullPageAsksOnce(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	a := script(1)
	pay(r.chain, a, 25, 5, 1)
	r.server.Watch(a)
	got, err := r.client.ScriptHistories(ctx, [][]byte{a})
	if err != nil || len(got[0]) != 25 {
		t.Fatalf("got %d, %v", len(got[0]), err)
	}
	n := 0
	for _, p := range r.hook.seen() {
		if strings.Contains(p, "/scripthash/") {
			n++
		}
	}
	if n != 2 { // a full page makes the client ask for the next, which is empty
		t.Fatalf("%d page requests, want 2", n)
	}
}

func TestRetriesOn429ThenSucceeds(t *testing.T) {
	r := newRig(t, Options{})
	r.chain.Mine(4)
	var n atomic.Int32
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if req.URL.Path == "/blocks/tip/height" && n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
			return true
		}
		return false
	})
	tip, err := r.client.Tip(context.Background())
	if err != nil || tip.Height != 4 {
		t.Fatalf("Tip = %+v, %v", tip, err)
	}
	// genesis check 1 + tip height 3 (two 429s) + hash 1
	if rt := r.client.RoundTrips(); rt != 5 {
		t.Fatalf("RoundTrips = %d, want 5", rt)
	}
}

func TestServerErrorsExhaustTheRetries(t *testing.T) {
	r := newRig(t, Options{})
	var n atomic.Int32
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if req.URL.Path == "/blocks/tip/height" {
			n.Add(1)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return true
		}
		return false
	})
	_, err := r.client.Tip(context.Background())
	if !errors.Is(err, chain.ErrUnreachable) || kindOf(err) != netutil.KindRefused {
		t.Fatalf("err = %v", err)
	}
	for _, w := range []string{r.url, "HTTP 500: internal error", "3 tries"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q does not say %q", err, w)
		}
	}
	if n.Load() != 3 {
		t.Fatalf("%d tries, want 3", n.Load())
	}
}

func TestRetryAfterBeyondTheTimeLimitGivesUp(t *testing.T) {
	r := newRig(t, Options{Timeout: time.Second})
	r.client.retry = netutil.Retry{Tries: 3, Base: time.Millisecond, Cap: time.Minute}
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if req.URL.Path == "/blocks/tip/height" {
			w.Header().Set("Retry-After", "30")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return true
		}
		return false
	})
	start := time.Now()
	_, err := r.client.Tip(context.Background())
	if err == nil || !strings.Contains(err.Error(), "would pass the time limit") || time.Since(start) > 900*time.Millisecond {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	r := newRig(t, Options{Timeout: 200 * time.Millisecond})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if req.URL.Path == "/blocks/tip/height" {
			select {
			case <-release:
			case <-req.Context().Done():
			}
			return true
		}
		return false
	})
	start := time.Now()
	_, err := r.client.Tip(context.Background())
	if kindOf(err) != netutil.KindSlow || !strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("err %v does not wrap DeadlineExceeded and ErrUnreachable", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
}

func TestDeadServerIsUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	b, err := New("http://"+addr+"/api", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Tip(context.Background())
	if kindOf(err) != netutil.KindUnreachable || !errors.Is(err, chain.ErrUnreachable) ||
		!strings.Contains(err.Error(), "cannot reach") || !strings.Contains(err.Error(), addr) {
		t.Fatalf("err = %v", err)
	}
}

// Bad answers: each must be an error, never data.
func TestBadAnswersAreErrors(t *testing.T) {
	ctx := context.Background()
	other := chaintest.Pay(77, wire.NewTxOut(1, script(9)))
	otherHex, _ := netutil.EncodeTx(other)
	for _, tc := range []struct {
		name string
		path string // intercepted path prefix
		body string
		call func(r *rig) error
		want string
	}{
		{"malformed history JSON", "/scripthash/", `[{"txid":`, func(r *rig) error {
			_, err := r.client.ScriptHistories(ctx, [][]byte{script(1)})
			return err
		}, "not a JSON array"},
		{"history item without status", "/scripthash/", `[{"txid":"` + other.TxHash().String() + `"}]`, func(r *rig) error {
			_, err := r.client.ScriptHistories(ctx, [][]byte{script(1)})
			return err
		}, "has no status"},
		{"confirmed without height", "/scripthash/", `[{"txid":"` + other.TxHash().String() + `","status":{"confirmed":true}}]`, func(r *rig) error {
			_, err := r.client.ScriptHistories(ctx, [][]byte{script(1)})
			return err
		}, "block_height"},
		{"short txid", "/scripthash/", `[{"txid":"abcd","status":{"confirmed":false}}]`, func(r *rig) error {
			_, err := r.client.ScriptHistories(ctx, [][]byte{script(1)})
			return err
		}, "64-digit"},
		{"tx hex of another tx", "/tx/", otherHex, func(r *rig) error {
			_, err := r.client.Transactions(ctx, []chainhash.Hash{chainhash.DoubleHashH([]byte("asked"))})
			return err
		}, "asked for transaction"},
		{"tx not hex", "/tx/", "nothex", func(r *rig) error {
			_, err := r.client.Transactions(ctx, []chainhash.Hash{other.TxHash()})
			return err
		}, "not hex"},
		{"header of another block", "/block/", strings.Repeat("00", 80), func(r *rig) error {
			_, err := r.client.BlockHeaders(ctx, []int32{1})
			return err
		}, "the header hashes to"},
		{"short header", "/block/", "0100", func(r *rig) error {
			_, err := r.client.BlockHeaders(ctx, []int32{1})
			return err
		}, "bytes, not 80"},
		{"tip height not a number", "/blocks/tip/height", "12a", func(r *rig) error {
			_, err := r.client.Tip(ctx)
			return err
		}, "not a block height"},
		{"fee estimates not numbers", "/fee-estimates", `{"2":"fast"}`, func(r *rig) error {
			_, err := r.client.EstimateFee(ctx, 2)
			return err
		}, "fee estimates"},
		{"broadcast answers another id", "/tx", other.TxHash().String(), func(r *rig) error {
			_, err := r.client.Broadcast(ctx, chaintest.Pay(5, wire.NewTxOut(1, script(1))))
			return err
		}, "the server answered id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Options{})
			r.chain.Mine(2)
			r.server.Watch(script(1))
			r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
				if strings.HasPrefix(req.URL.Path, tc.path) && req.URL.Path != "/block-height/0" {
					fmt.Fprint(w, tc.body)
					return true
				}
				return false
			})
			err := tc.call(r)
			if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), r.url) {
				t.Fatalf("err = %v, want an unreachable error naming the server and saying %q", err, tc.want)
			}
		})
	}
}

func TestTipGoingBackwardsIsRefused(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	r.chain.Mine(5)
	if _, err := r.client.Tip(ctx); err != nil {
		t.Fatal(err)
	}
	r.chain.Disconnect(2)
	_, err := r.client.Tip(ctx)
	if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "went back from height 5 to 3") {
		t.Fatalf("err = %v", err)
	}
	// A new backend accepts the shorter chain.
	if tip, err := r.dial(t, Options{}).Tip(ctx); err != nil || tip.Height != 3 {
		t.Fatalf("fresh backend: %+v, %v", tip, err)
	}
}

func TestHeightAboveTheTipIsRefused(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	r.chain.Mine(3)
	if _, err := r.client.Tip(ctx); err != nil {
		t.Fatal(err)
	}
	id := chaintest.Pay(1, wire.NewTxOut(1, script(1))).TxHash()
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if strings.HasPrefix(req.URL.Path, "/scripthash/") {
			fmt.Fprintf(w, `[{"txid":"%s","status":{"confirmed":true,"block_height":9}}]`, id)
			return true
		}
		return false
	})
	_, err := r.client.ScriptHistories(ctx, [][]byte{script(1)})
	if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "above the tip 3") {
		t.Fatalf("err = %v", err)
	}
	// Once the chain has caught up, the same answer is fine.
	r.chain.Mine(6)
	if _, err := r.client.ScriptHistories(ctx, [][]byte{script(1)}); err != nil {
		t.Fatalf("after the tip moved: %v", err)
	}
}

func TestFullMempoolPageIsRefused(t *testing.T) {
	r := newRig(t, Options{})
	a := script(1)
	pay(r.chain, a, 50, 0, 1)
	r.server.Watch(a)
	_, err := r.client.ScriptHistories(context.Background(), [][]byte{a})
	if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "at most 50 unconfirmed") {
		t.Fatalf("err = %v", err)
	}
}

func TestWrongNetworkIsRefused(t *testing.T) {
	r := newRig(t, Options{})
	b, err := New(r.url, &chaincfg.MainNetParams, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // remembered: the second call says the same without asking
		_, err = b.Tip(context.Background())
		if !errors.Is(err, ErrWrongNetwork) || !errors.Is(err, chain.ErrUnreachable) {
			t.Fatalf("err = %v", err)
		}
	}
	if b.RoundTrips() != 1 {
		t.Fatalf("RoundTrips = %d, want 1", b.RoundTrips())
	}
}

func TestFeeEstimates(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		asks   map[int]txbuilder.FeeRate // target -> rate; -1 rate means ErrNoEstimate
		relay  txbuilder.FeeRate
	}{
		{"targets picked at or above", 200, `{"2": 20.5, "6": 1.027, "144": 0.5}`,
			map[int]txbuilder.FeeRate{1: 20500, 2: 20500, 3: 1027, 6: 1027, 7: 500, 2000: 500}, 500},
		{"half sat/vB kept exact", 200, `{"1": 0.5}`, map[int]txbuilder.FeeRate{1: 500}, 500},
		{"relay capped at 1 sat/vB", 200, `{"2": 87.882, "1008": 1.027}`, map[int]txbuilder.FeeRate{1008: 1027}, 1000},
		{"no estimates (regtest)", 200, `{}`, map[int]txbuilder.FeeRate{6: -1}, 1000},
		{"zero rates left out", 200, `{"2": 0}`, map[int]txbuilder.FeeRate{2: -1}, 1000},
		{"no fee endpoint", 404, "Not found", nil, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Options{})
			r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
				if req.URL.Path == "/fee-estimates" {
					w.WriteHeader(tc.status)
					fmt.Fprint(w, tc.body)
					return true
				}
				return false
			})
			for target, want := range tc.asks {
				got, err := r.client.EstimateFee(ctx, target)
				if want < 0 {
					if !errors.Is(err, chain.ErrNoEstimate) {
						t.Errorf("EstimateFee(%d) = %v, %v; want ErrNoEstimate", target, got, err)
					}
					continue
				}
				if err != nil || got != want {
					t.Errorf("EstimateFee(%d) = %v, %v; want %v", target, got, err, want)
				}
			}
			if got, err := r.client.RelayFee(ctx); err != nil || got != tc.relay {
				t.Errorf("RelayFee = %v, %v; want %v", got, err, tc.relay)
			}
		})
	}
}

func TestBroadcastRefusalsKeepTheServersWords(t *testing.T) {
	r := newRig(t, Options{})
	const body = `sendrawtransaction RPC error: {"code":-26,"message":"min relay fee not met, 100 < 141"}`
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if req.Method == http.MethodPost {
			http.Error(w, body, http.StatusBadRequest)
			return true
		}
		return false
	})
	_, err := r.client.Broadcast(context.Background(), chaintest.Pay(1, wire.NewTxOut(1000, script(1))))
	var be *chain.BroadcastError
	if !errors.As(err, &be) || be.Cause != chain.CauseFeeTooLow || be.Message != "min relay fee not met, 100 < 141" {
		t.Fatalf("err = %#v", err)
	}
}

// A post that failed with 503 may still have reached the node: "already known" on the retry
// means it did.
func TestRejectText(t *testing.T) {
	for in, want := range map[string]string{
		`sendrawtransaction RPC error: {"code":-26,"message":"dust"}`: "dust",
		`sendrawtransaction RPC error: {"code":-26}`:                  `sendrawtransaction RPC error: {"code":-26}`,
		`sendrawtransaction RPC error: {broken`:                       `sendrawtransaction RPC error: {broken`,
		"Invalid hex string\n":                                        "Invalid hex string",
	} {
		if got := rejectText([]byte(in)); got != want {
			t.Errorf("rejectText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBroadcastRetriedAndAlreadyKnownIsSuccess(t *testing.T) {
	r := newRig(t, Options{})
	var n atomic.Int32
	r.hook.set(func(w http.ResponseWriter, req *http.Request) bool {
		if req.Method != http.MethodPost {
			return false
		}
		if n.Add(1) == 1 {
			http.Error(w, "upstream timeout", http.StatusServiceUnavailable)
		} else {
			http.Error(w, `sendrawtransaction RPC error: {"code":-27,"message":"txn-already-in-mempool"}`, http.StatusBadRequest)
		}
		return true
	})
	tx := chaintest.Pay(1, wire.NewTxOut(1000, script(1)))
	if id, err := r.client.Broadcast(context.Background(), tx); err != nil || id != tx.TxHash() {
		t.Fatalf("Broadcast = %s, %v", id, err)
	}
}

func TestLoginAndUserAgentAreSent(t *testing.T) {
	var gotUser, gotPass, gotUA string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		gotUser, gotPass, _ = req.BasicAuth()
		gotUA = req.UserAgent()
		fmt.Fprint(w, "0")
	}))
	defer hs.Close()
	u := strings.Replace(hs.URL, "http://", "http://alice:s3cret@", 1) + "/api/"
	b, err := New(u, nil, Options{UserAgent: "satchel-test"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.Name(), "s3cret") || !strings.Contains(b.Name(), "alice:***@") {
		t.Fatalf("Name() = %q", b.Name())
	}
	if _, err := b.get(context.Background(), "/blocks/tip/height"); err != nil {
		t.Fatal(err)
	}
	if gotUser != "alice" || gotPass != "s3cret" || gotUA != "satchel-test" {
		t.Fatalf("server saw %q %q %q", gotUser, gotPass, gotUA)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, "http://127.0.0.2:1/elsewhere", http.StatusFound)
	}))
	defer hs.Close()
	b, _ := New(hs.URL, nil, Options{})
	_, err := b.Tip(context.Background())
	if kindOf(err) != netutil.KindRefused || !strings.Contains(err.Error(), "HTTP 302") {
		t.Fatalf("err = %v", err)
	}
}

func TestThroughSOCKS5ToAnOnion(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	r.chain.Mine(2)
	target := strings.TrimPrefix(r.url, "http://")
	p := socks5test.Start(t, func(string, uint16) string { return target })
	onion := strings.Repeat("b", 56) + ".onion"
	b, err := New("http://"+onion+":3000", paramsFor(t, r.chain), Options{Proxy: p.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tip, err := b.Tip(ctx)
	if err != nil || tip.Height != 2 {
		t.Fatalf("Tip through the proxy = %+v, %v", tip, err)
	}
	reqs := p.Requests()
	if len(reqs) == 0 || reqs[0].AddrType != 3 || reqs[0].Host != onion || reqs[0].Port != 3000 {
		t.Fatalf("proxy saw %+v", reqs)
	}
}

func TestURLRules(t *testing.T) {
	for _, tc := range []struct {
		url, proxy string
		ok         bool
		want       string // in the error
	}{
		{"https://blockstream.info/api", "", true, ""},
		{"https://mempool.space/testnet/api/", "", true, ""},
		{"https://user:pw@esplora.example:8443/api", "", true, ""},
		{"http://127.0.0.1:3002", "", true, ""},
		{"http://localhost:3002/api", "", true, ""},
		{"http://[::1]:3002", "", true, ""},
		{"http://esplora.example/api", "", false, "plain http"},
		{"http://192.168.1.10:3002", "", false, "plain http"},
		{"http://" + strings.Repeat("c", 56) + ".onion/api", "", false, "through Tor"},
		{"http://" + strings.Repeat("c", 56) + ".onion/api", "socks5://127.0.0.1:9050", true, ""},
		{"ftp://esplora.example", "", false, "https://"},
		{"esplora.example/api", "", false, "https://"},
		{"https://esplora.example/api?x=1", "", false, "no ?options"},
		{"https://esplora.example/api#frag", "", false, "no ?options"},
		{"https://:443/api", "", false, "missing host"},
		{"https://esplora.example:0/api", "", false, "bad port"},
		{"https://esplora.example/api", "http://proxy:1", false, "socks5"},
		{"http://user:hunter2@esplora.example/api", "", false, "plain http"},
	} {
		_, err := New(tc.url, nil, Options{Proxy: tc.proxy})
		if (err == nil) != tc.ok {
			t.Errorf("New(%q, proxy %q): err = %v, want ok=%v", tc.url, tc.proxy, err, tc.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New(%q): %v, want ErrBadURL saying %q", tc.url, err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("New(%q): the error shows the password", tc.url)
			}
		}
	}
}

func TestCallsAfterCloseFail(t *testing.T) {
	r := newRig(t, Options{})
	r.client.Close()
	if _, err := r.client.Tip(context.Background()); !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
}
