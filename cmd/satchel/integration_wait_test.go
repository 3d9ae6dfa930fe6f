package main

import (
	"strings"
	"testing"
	"time"
)

// wait against a real node: it blocks until the faucet pays the address, then prints the
// payment; and it gives up with exit 1 and code "timeout".
func TestWaitForPaymentOnNode(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create")
	addr := c.receiveAddr("default")

	done := make(chan result, 1)
	go func() {
		done <- c.run("", "wait", "--address", addr, "--confirmations", "1", "--timeout", "20s", "--json")
	}()
	select {
	case r := <-done:
		t.Fatalf("wait returned before any payment: exit %d %s %s", r.code, r.out, r.err)
	case <-time.After(1500 * time.Millisecond):
	}
	txid := n.Send(t, addr, 21_000)
	n.Mine(t, 1)
	var r result
	select {
	case r = <-done:
	case <-time.After(45 * time.Second):
		t.Fatal("wait did not return after the payment was mined")
	}
	if r.code != 0 {
		t.Fatalf("wait: exit %d: %s", r.code, r.err)
	}
	got := decodeJSON[waitJSON](t, r.out)
	if got.TxID != txid.String() || got.Amount != 21_000 || got.Address != addr || got.Confirmations != 1 || got.Height == nil {
		t.Fatalf("wait = %+v, want %s paying 21000 with 1 confirmation", got, txid)
	}
	// The wallet was not held: other commands ran meanwhile and run now.
	if b := c.balance("default"); b.Confirmed != 21_000 {
		t.Fatalf("balance after wait: %+v", b)
	}

	start := time.Now()
	other := c.receiveAddr("default")
	r = c.run("", "wait", "--address", other, "--timeout", "2s", "--json")
	if r.code != exitError || r.out != "" {
		t.Fatalf("timeout: exit %d, stdout %q, stderr %s", r.code, r.out, r.err)
	}
	if code, msg := jsonError(t, r.err); code != "timeout" || !strings.Contains(msg, other) {
		t.Fatalf("timeout error %s %q", code, msg)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("a 2 s timeout took %s", d)
	}
}
