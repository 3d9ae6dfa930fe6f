package esplora

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

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
			r := newRig(t, options{})
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
	r := newRig(t, options{})
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
	if tip, err := r.dial(t, options{}).Tip(ctx); err != nil || tip.Height != 3 {
		t.Fatalf("fresh backend: %+v, %v", tip, err)
	}
}

func TestHeightAboveTheTipIsRefused(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
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
	r := newRig(t, options{})
	a := script(1)
	pay(r.chain, a, 50, 0, 1)
	r.server.Watch(a)
	_, err := r.client.ScriptHistories(context.Background(), [][]byte{a})
	if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "at most 50 unconfirmed") {
		t.Fatalf("err = %v", err)
	}
}

func TestWrongNetworkIsRefused(t *testing.T) {
	r := newRig(t, options{})
	b, err := newBackend(r.url, &chaincfg.MainNetParams, options{})
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
			r := newRig(t, options{})
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
	r := newRig(t, options{})
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
	r := newRig(t, options{})
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
