package electrum

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// patience bounds waits for something the server pushes; generous, as it only fails a test
// that would otherwise hang.
const patience = 10 * time.Second

// nextNote waits for a value on ch, failing if it closes or none comes.
func nextNote(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the channel closed instead", what)
		}
	case <-time.After(patience):
		t.Fatalf("%s: no notification", what)
	}
}

// closedSoon waits for ch to close, draining notifications.
func closedSoon(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	deadline := time.After(patience)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("%s: the channel stayed open", what)
		}
	}
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

func TestWatchScriptsNotifiesPaymentBlockAndDrop(t *testing.T) {
	r := newRig(t, options{})
	sc := script(1)
	r.server.Watch(sc)
	ch, err := r.client.WatchScripts(context.Background(), [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	drain(ch)

	// The server's own poller notices the payment: no Notify call.
	r.chain.AddMempool(chaintest.Pay(1, wire.NewTxOut(5_000, sc)))
	nextNote(t, ch, "payment to the mempool")
	drain(ch)
	r.chain.Mine(1)
	nextNote(t, ch, "the payment confirmed")

	// The Backend's own connection still answers, and sees the payment.
	h, err := r.client.ScriptHistories(context.Background(), [][]byte{sc})
	if err != nil || len(h[0]) != 1 || h[0][0].Height != 1 {
		t.Fatalf("history after notifications: %v %v", h, err)
	}

	// The subscription's connection drops: the channel closes, the Backend's own connection
	// is not touched.
	r.server.DropSubscribers()
	closedSoon(t, ch, "after the server dropped the subscription's connection")
	before := r.client.RoundTrips()
	if _, err := r.client.Tip(context.Background()); err != nil || r.client.RoundTrips()-before != 1 {
		t.Fatalf("Tip after the subscription dropped: %v, %d messages", err, r.client.RoundTrips()-before)
	}

	// Dropping every connection closes a new subscription too.
	ch, err = r.client.WatchScripts(context.Background(), [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	r.server.DropConnections()
	closedSoon(t, ch, "after the server dropped every connection")
}

func TestWatchScriptsNotifiesNewTip(t *testing.T) {
	r := newRig(t, options{})
	sc := script(2)
	r.server.Watch(sc)
	ch, err := r.client.WatchScripts(context.Background(), [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	drain(ch)
	r.chain.Mine(1) // nothing for the script: only the headers subscription hears it
	r.server.Notify()
	nextNote(t, ch, "new block")
}

func TestWatchScriptsEnds(t *testing.T) {
	r := newRig(t, options{})
	sc := script(3)
	r.server.Watch(sc)

	ctx, cancel := context.WithCancel(context.Background())
	ch, err := r.client.WatchScripts(ctx, [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	closedSoon(t, ch, "after the context ended")

	ch, err = r.client.WatchScripts(context.Background(), [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	r.client.Close()
	closedSoon(t, ch, "after Close")

	if _, err := r.client.WatchScripts(context.Background(), [][]byte{sc}); !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("WatchScripts after Close: %v, want ErrUnreachable", err)
	}
}

func TestWatchScriptsBatchesSubscriptions(t *testing.T) {
	r := newRig(t, options{})
	scripts := make([][]byte, 600)
	for i := range scripts {
		scripts[i] = script(100 + i)
	}
	before := r.client.RoundTrips()
	if _, err := r.client.WatchScripts(context.Background(), scripts); err != nil {
		t.Fatal(err)
	}
	// server.version and block 0 to open the connection, then 601 subscriptions in 3 batches.
	if got := r.client.RoundTrips() - before; got != 5 {
		t.Fatalf("subscribing to 600 scripts took %d messages, want 5", got)
	}
}

// A notification can come before the subscriptions' answers; garbage afterwards ends the watch.
func TestWatchScriptsScriptedServer(t *testing.T) {
	tip := result(0, `{"height":5,"hex":"`+strings.Repeat("00", 80)+`"}`)
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		fmt.Fprintln(w, `{"jsonrpc":"2.0","method":"blockchain.scripthash.subscribe","params":["`+strings.Repeat("ab", 32)+`",null]}`)
		var ans []string
		for i := len(reqs) - 1; i >= 0; i-- { // out of order, as a server may
			if reqs[i].Method == "blockchain.headers.subscribe" {
				ans = append(ans, strings.Replace(tip, `"id":0`, fmt.Sprintf(`"id":%d`, reqs[i].ID), 1))
			} else {
				ans = append(ans, result(reqs[i].ID, "null"))
			}
		}
		if batch {
			fmt.Fprintln(w, "["+strings.Join(ans, ",")+"]")
		} else {
			fmt.Fprintln(w, ans[0])
		}
		fmt.Fprintln(w, "this is not JSON")
		return true
	})
	b := dialScripted(t, s, options{})
	ch, err := b.WatchScripts(context.Background(), [][]byte{script(1), script(2)})
	if err != nil {
		t.Fatal(err)
	}
	nextNote(t, ch, "notification sent before the answers")
	closedSoon(t, ch, "after garbage")
}

func TestWatchScriptsRefused(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		var ans []string
		for _, r := range reqs {
			ans = append(ans, rpcErrorLine(r.ID, -32601, "unknown method"))
		}
		if batch {
			fmt.Fprintln(w, "["+strings.Join(ans, ",")+"]")
		} else {
			fmt.Fprintln(w, ans[0])
		}
		return true
	})
	b := dialScripted(t, s, options{})
	if _, err := b.WatchScripts(context.Background(), [][]byte{script(1)}); !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "subscribe") {
		t.Fatalf("refused subscription: %v", err)
	}
}

// Pings keep a quiet subscription alive; a server that stops answering them ends it.
func TestWatchScriptsPings(t *testing.T) {
	old := pingEvery
	pingEvery = 30 * time.Millisecond
	t.Cleanup(func() { pingEvery = old })

	r := newRig(t, options{Timeout: 2 * time.Second})
	ch, err := r.client.WatchScripts(context.Background(), [][]byte{script(1)})
	if err != nil {
		t.Fatal(err)
	}
	start := r.server.Messages()
	deadline := time.Now().Add(patience)
	for r.server.Messages() < start+3 {
		if time.Now().After(deadline) {
			t.Fatal("no pings reached the server")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatal("the watch ended although the server answers pings")
		}
	default:
	}

	// A server that answers the subscriptions but never a ping.
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		if !batch && reqs[0].Method == "server.ping" {
			return true
		}
		var ans []string
		for _, r := range reqs {
			if r.Method == "blockchain.headers.subscribe" {
				ans = append(ans, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"result":{"height":1,"hex":"%s"}}`, r.ID, strings.Repeat("00", 80)))
			} else {
				ans = append(ans, result(r.ID, "null"))
			}
		}
		if batch {
			fmt.Fprintln(w, "["+strings.Join(ans, ",")+"]")
		} else {
			fmt.Fprintln(w, ans[0])
		}
		return true
	})
	b := dialScripted(t, s, options{Timeout: 200 * time.Millisecond})
	ch, err = b.WatchScripts(context.Background(), [][]byte{script(1)})
	if err != nil {
		t.Fatal(err)
	}
	closedSoon(t, ch, "a server silent past the ping and the timeout")
}
