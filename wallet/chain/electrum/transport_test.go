package electrum

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestBatchOfManyScriptsIsOneMessage(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	var scripts [][]byte
	for i := 0; i < 600; i++ {
		scripts = append(scripts, script(i))
	}
	r.server.Watch(scripts...)
	pay(r.chain, scripts[7], 3, 2, 1)
	pay(r.chain, scripts[599], 1, 0, 50)
	// The first call also fetches the tip, the headers and the merkle proofs (spv_test.go counts
	// those); afterwards only the histories are asked for.
	if _, err := r.client.ScriptHistories(ctx, scripts); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ n, messages int }{{200, 1}, {250, 1}, {600, 3}} {
		r.chain.ResetCalls()
		before, beforeSrv := r.client.RoundTrips(), r.server.Messages()
		got, err := r.client.ScriptHistories(ctx, scripts[:tc.n])
		if err != nil {
			t.Fatal(err)
		}
		if d := r.client.RoundTrips() - before; d != int64(tc.messages) {
			t.Errorf("%d scripts: %d round trips, want %d", tc.n, d, tc.messages)
		}
		if d := r.server.Messages() - beforeSrv; d != int64(tc.messages) {
			t.Errorf("%d scripts: the server read %d messages, want %d", tc.n, d, tc.messages)
		}
		if len(got) != tc.n || len(got[7]) != 3 {
			t.Fatalf("%d scripts: got %d histories, script 7 has %d", tc.n, len(got), len(got[7]))
		}
	}
}

func TestNoBatchSendsOneMessagePerScript(t *testing.T) {
	r := newRig(t, options{NoBatch: true})
	var scripts [][]byte
	for i := 0; i < 20; i++ {
		scripts = append(scripts, script(i))
	}
	before := r.client.RoundTrips()
	if _, err := r.client.ScriptHistories(context.Background(), scripts); err != nil {
		t.Fatal(err)
	}
	if d := r.client.RoundTrips() - before; d != 20 {
		t.Fatalf("%d round trips, want 20", d)
	}
}

func TestVersionNegotiation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version string // the server's answer; "" hangs up
		ok      bool
		want    string
	}{
		{"server picks 1.4", `"1.4"`, true, ""},
		{"server picks 1.4.2", `"1.4.2"`, true, ""},
		{"server picks 1.5 anyway", `"1.5"`, false, "outside 1.4 to 1.4.2"},
		{"server picks 1.2", `"1.2"`, false, "outside"},
		{"garbage version", `"one"`, false, "outside"},
		{"no common version: the server hangs up", "", false, "server.version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool { return true })
			s.version = tc.version
			b, err := dial(context.Background(), s.url(), nil, options{UserAgent: "satchel-test"})
			if (err == nil) != tc.ok {
				t.Fatalf("Dial: %v", err)
			}
			if err != nil {
				if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want it to say %q", err, tc.want)
				}
				return
			}
			defer b.Close()
			if v := b.Version(); v != strings.Trim(tc.version, `"`) {
				t.Fatalf("Version = %q", v)
			}
			first := s.seen()[0]
			if !strings.Contains(first, `"method":"server.version","params":["satchel-test",["1.4","1.4.2"]]`) {
				t.Fatalf("first message %s", first)
			}
		})
	}
}

func TestVersionRefusedByError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		bufio.NewReader(c).ReadString('\n')
		fmt.Fprintln(c, rpcErrorLine(1, 1, "unsupported protocol version: 1.4.2"))
	}()
	_, err := dial(context.Background(), "electrum://"+ln.Addr().String(), nil, options{})
	if kindOf(err) != netutil.KindRefused || !strings.Contains(err.Error(), "unsupported protocol version") {
		t.Fatalf("err = %v", err)
	}
}

// Answers come in any order, split over lines, with notifications between.
func TestOutOfOrderAnswersAreMatchedByID(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		// A notification first, as after headers.subscribe.
		fmt.Fprintln(w, `{"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":1,"hex":"00"}]}`)
		var lines []string
		for i := len(reqs) - 1; i >= 0; i-- { // reversed
			var sh string
			json.Unmarshal(reqs[i].Params[0], &sh)
			n := int(sh[0]) // a history that depends on the script hash asked
			lines = append(lines, result(reqs[i].ID, fmt.Sprintf(`[{"tx_hash":"%s","height":%d}]`, txid(n), n)))
		}
		half := len(lines) / 2
		fmt.Fprintf(w, "[%s]\n", strings.Join(lines[:half], ","))
		for _, l := range lines[half:] { // the rest one per line
			fmt.Fprintln(w, l)
		}
		return true
	})
	b := dialScripted(t, s, options{})
	var scripts [][]byte
	for i := 0; i < 40; i++ {
		scripts = append(scripts, script(i))
	}
	got, err := b.ScriptHistories(context.Background(), scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i, sc := range scripts {
		n := int(ScriptHash(sc)[0])
		if len(got[i]) != 1 || got[i][0].TxID != txid(n) || got[i][0].Height != int32(n) {
			t.Fatalf("script %d got %v, want %s at %d", i, got[i], txid(n), n)
		}
	}
	if len(s.seen()) != 2 {
		t.Fatalf("messages sent: %v", s.seen())
	}
}

func TestDroppedConnectionMidBatch(t *testing.T) {
	drop := true
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool {
		var lines []string
		for _, r := range reqs {
			lines = append(lines, result(r.ID, "[]"))
		}
		full := "[" + strings.Join(lines, ",") + "]\n"
		if drop {
			drop = false
			w.WriteString(full[:len(full)/2]) // half an answer, then hang up
			return false
		}
		w.WriteString(full)
		return true
	})
	b := dialScripted(t, s, options{})
	scripts := [][]byte{script(1), script(2), script(3), script(4)}
	_, err := b.ScriptHistories(context.Background(), scripts)
	if kindOf(err) != netutil.KindDropped || !errors.Is(err, chain.ErrUnreachable) ||
		!strings.Contains(err.Error(), "the connection dropped") {
		t.Fatalf("err = %v", err)
	}
	// The next call dials again and works.
	got, err := b.ScriptHistories(context.Background(), scripts)
	if err != nil || len(got) != 4 {
		t.Fatalf("after redial: %v, %v", got, err)
	}
	if n := s.conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool { return true })
	b := dialScripted(t, s, options{Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := b.Tip(context.Background())
	if kindOf(err) != netutil.KindSlow || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
}

func TestDeadServerIsUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := dial(context.Background(), "electrum://"+addr, nil, options{})
	if kindOf(err) != netutil.KindUnreachable || !strings.Contains(err.Error(), "cannot reach the server") {
		t.Fatalf("err = %v", err)
	}
}

func TestCloseCutsACallShortAndLaterCallsFail(t *testing.T) {
	s := startScripted(t, func(w *bufio.Writer, reqs []rawReq, batch bool) bool { return true })
	b := dialScripted(t, s, options{})
	done := make(chan error, 1)
	go func() { _, err := b.Tip(context.Background()); done <- err }()
	time.Sleep(50 * time.Millisecond)
	b.Close()
	select {
	case err := <-done:
		if !errors.Is(err, chain.ErrUnreachable) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not cut the call short")
	}
	if _, err := b.RelayFee(context.Background()); !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("after Close: %v", err)
	}
}
