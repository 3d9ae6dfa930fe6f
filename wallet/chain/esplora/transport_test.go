package esplora

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestPagesThroughLongHistories(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
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
	r := newRig(t, options{})
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
	r := newRig(t, options{})
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
	r := newRig(t, options{})
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
	r := newRig(t, options{Timeout: time.Second})
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
	r := newRig(t, options{Timeout: 200 * time.Millisecond})
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
	b, err := newBackend("http://"+addr+"/api", nil, options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Tip(context.Background())
	if kindOf(err) != netutil.KindUnreachable || !errors.Is(err, chain.ErrUnreachable) ||
		!strings.Contains(err.Error(), "cannot reach") || !strings.Contains(err.Error(), addr) {
		t.Fatalf("err = %v", err)
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
	b, err := newBackend(u, nil, options{UserAgent: "satchel-test"})
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
	b, _ := newBackend(hs.URL, nil, options{})
	_, err := b.Tip(context.Background())
	if kindOf(err) != netutil.KindRefused || !strings.Contains(err.Error(), "HTTP 302") {
		t.Fatalf("err = %v", err)
	}
}

func TestCallsAfterCloseFail(t *testing.T) {
	r := newRig(t, options{})
	r.client.Close()
	if _, err := r.client.Tip(context.Background()); !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
}
