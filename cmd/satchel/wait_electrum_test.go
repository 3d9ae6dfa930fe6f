package main

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// syncCounter is an Electrum backend that counts syncs (each asks the tip once). Embedding
// keeps its WatchScripts, so wait still sees a chain.Notifier.
type syncCounter struct {
	*electrum.Backend
	syncs *atomic.Int32
}

func (b syncCounter) Tip(ctx context.Context) (chain.Tip, error) {
	b.syncs.Add(1)
	return b.Backend.Tip(ctx)
}

// electrumFakeCLI is a CLI whose backend is an electrumtest server in front of a fake chain;
// syncs counts the syncs of every command.
func electrumFakeCLI(t *testing.T) (c *cli, fc *chaintest.Chain, srv *electrumtest.Server, syncs *atomic.Int32) {
	c = newCLI(t)
	fc = chaintest.New()
	srv = electrumtest.Start(t, fc)
	hdrs, err := fc.BlockHeaders(context.Background(), []int32{0})
	if err != nil {
		t.Fatal(err)
	}
	params := chaincfg.RegressionNetParams // with the fake chain's block 0
	g := hdrs[0].BlockHash()
	params.GenesisHash = &g
	syncs = new(atomic.Int32)
	c.env["SATCHEL_BACKEND"], c.watch = srv.URL(), srv.Watch
	c.dial = func(ctx context.Context, url string) (chain.Backend, error) {
		b, err := electrum.Open(ctx, url, chain.Options{Net: &params})
		if err != nil {
			return nil, err
		}
		return syncCounter{b.(*electrum.Backend), syncs}, nil
	}
	return c, fc, srv, syncs
}

// startWait runs satchel wait in the background once the syncs counter is at base, and
// returns when its first sync has begun.
func startWait(t *testing.T, c *cli, syncs *atomic.Int32, args ...string) <-chan result {
	t.Helper()
	base := syncs.Load()
	done := make(chan result, 1)
	go func() { done <- c.run("", append([]string{"wait", "--json"}, args...)...) }()
	deadline := time.Now().Add(20 * time.Second)
	for syncs.Load() == base {
		select {
		case r := <-done:
			t.Fatalf("wait %v returned before anything happened: exit %d %s %s", args, r.code, r.out, r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("wait %v never synced", args)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return done
}

// waitResult is what a background wait printed, failing if it does not end.
func waitResult(t *testing.T, done <-chan result, what string) waitJSON {
	t.Helper()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", what, r.code, r.err)
		}
		return decodeJSON[waitJSON](t, r.out)
	case <-time.After(45 * time.Second):
		t.Fatalf("%s: wait did not return", what)
	}
	return waitJSON{}
}

func TestWaitOverElectrumUsesSubscriptions(t *testing.T) {
	c, fc, srv, syncs := electrumFakeCLI(t)
	c.mustRun("", "create")
	addr := c.receiveAddr("default")

	// Idle: no payment, no block. A polling wait would sync again 1 s after its first sync;
	// a subscribed one waits for the server. (On a machine so slow that the first sync outlasts
	// the pause, this passes either way: it cannot fail for slowness.)
	base := syncs.Load()
	done := startWait(t, c, syncs, "--address", addr, "--timeout", "60s")
	time.Sleep(2500 * time.Millisecond)
	if n := syncs.Load() - base; n != 1 {
		t.Fatalf("%d syncs while nothing happened, want 1 (no polling)", n)
	}
	tx := chaintest.Pay(1, wire.NewTxOut(21_000, regtestScript(t, addr)))
	fc.AddMempool(tx)
	got := waitResult(t, done, "payment to the mempool")
	if got.TxID != tx.TxHash().String() || got.Amount != 21_000 || got.Address != addr || got.Confirmations != 0 {
		t.Fatalf("wait = %+v", got)
	}
	// One sync at the start, one on the server's notification.
	if n := syncs.Load() - base; n != 2 {
		t.Fatalf("%d syncs for one payment, want 2", n)
	}

	// A confirmation comes with a new block: the headers subscription.
	base = syncs.Load()
	done = startWait(t, c, syncs, "--address", addr, "--confirmations", "1", "--timeout", "60s")
	fc.Mine(1)
	if got := waitResult(t, done, "confirmation"); got.Confirmations != 1 || got.Height == nil || *got.Height != 1 {
		t.Fatalf("wait --confirmations 1 = %+v", got)
	}
	if n := syncs.Load() - base; n > 3 {
		t.Fatalf("%d syncs for one block, want at most 3", n)
	}

	// A transaction the wallet knows: its confirmations come with blocks.
	done = startWait(t, c, syncs, "--txid", tx.TxHash().String(), "--confirmations", "2", "--timeout", "60s")
	fc.Mine(1)
	if got := waitResult(t, done, "second confirmation"); got.Confirmations != 2 {
		t.Fatalf("wait --txid = %+v", got)
	}

	// The subscription's connection drops: wait falls back to polling and still sees the payment.
	other := c.receiveAddr("default")
	done = startWait(t, c, syncs, "--address", other, "--timeout", "60s")
	srv.DropSubscribers()
	fc.AddMempool(chaintest.Pay(2, wire.NewTxOut(5_000, regtestScript(t, other))))
	if got := waitResult(t, done, "after the connections dropped"); got.Amount != 5_000 || got.Address != other {
		t.Fatalf("wait after a drop = %+v", got)
	}

	// The timeout still ends a subscribed wait.
	r := c.run("", "wait", "--address", c.receiveAddr("default"), "--timeout", "1s", "--json")
	if code, msg := jsonError(t, r.err); r.code != exitError || code != "timeout" || !strings.Contains(msg, "timed out") {
		t.Fatalf("timeout over Electrum: exit %d %s %q", r.code, code, msg)
	}
}
