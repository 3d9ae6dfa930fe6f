package main

import (
	"fmt"
	"testing"

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

func TestIntegrationTipQueue(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 300_000, 300_000)
	var dests []string
	var total int64
	for i := 0; i < 30; i++ {
		d := regtest.NewKey(fmt.Sprint("tip", i), txbuilder.P2WPKH).Address
		dests = append(dests, d)
		v := int64(1000 + 37*i)
		total += v
		c.mustRun("", "tip", "add", d, fmt.Sprint(v), "--wallet", "a", "--id", fmt.Sprint("order-", i), "--json")
	}
	// Idempotent: the same id again queues nothing new; another payment under it is refused.
	c.mustRun("", "tip", "add", dests[0], "1000", "--wallet", "a", "--id", "order-0")
	if r := c.run("", "tip", "add", dests[0], "9999", "--wallet", "a", "--id", "order-0", "--json"); r.code != exitUsage {
		t.Fatalf("reused id with another amount: exit %d", r.code)
	}
	tips := decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out)
	if len(tips) != 30 {
		t.Fatalf("%d tips queued, want 30", len(tips))
	}
	// What each tip would cost alone, planned the same way.
	var alone int64
	for i, d := range dests {
		r := c.mustRun("", "send", d, fmt.Sprint(1000+37*i), "--fee-rate", "2", "--dry-run", "--json", "--wallet", "a", "--max-fee-ratio", "10")
		alone += decodeJSON[planJSON](t, r.out).Fee
	}
	r := c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("flush: %s", r.err)
	}
	f := decodeJSON[tipFlushJSON](t, r.out)
	if len(f.Tips) != 30 || f.Amount != total || f.AloneFees != alone || f.Saving != alone-f.Fee || f.Saving <= 0 {
		t.Fatalf("flush: %d tips, amount %d (want %d), alone %d (want %d), saving %d, fee %d", len(f.Tips), f.Amount, total, f.AloneFees, alone, f.Saving, f.Fee)
	}
	assertFeeRate(t, n, f.TxID, 2000, f.Fee)
	// Every payee exactly once.
	seen := map[string]int{}
	for _, o := range f.Outputs {
		if !o.Change {
			seen[o.Address]++
		}
	}
	for _, d := range dests {
		if seen[d] != 1 {
			t.Fatalf("%s paid %d times", d, seen[d])
		}
	}
	// A second flush has nothing to do.
	r = c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if !contains(r.out, `"done": false`) {
		t.Fatalf("second flush: %s", r.out)
	}
	for _, tp := range decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out) {
		if tp.Status != "paid" || tp.TxID != f.TxID {
			t.Fatalf("tip %+v not marked paid by %s", tp, f.TxID)
		}
	}
}

func TestIntegrationTipFlushThresholdAndDeadline(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	d1 := regtest.NewKey("late", txbuilder.P2WPKH).Address
	d2 := regtest.NewKey("patient", txbuilder.P2WPKH).Address
	c.mustRun("", "tip", "add", d1, "2000", "--by", "1s", "--wallet", "a")
	c.mustRun("", "tip", "add", d2, "3000", "--by", "2d", "--wallet", "a")
	// Fees above the threshold and nothing overdue yet (the test clock stands still): nothing.
	r := c.mustRun("", "tip", "flush", "--fee-rate", "5", "--max-fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if !contains(r.out, `"done": false`) {
		t.Fatalf("above threshold with nothing overdue: %s", r.out)
	}
	c.now = c.now.Add(10 * 60e9) // ten minutes later: the first tip is overdue
	r = c.run("", "tip", "flush", "--fee-rate", "5", "--max-fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("overdue flush: %s", r.err)
	}
	f := decodeJSON[tipFlushJSON](t, r.out)
	if len(f.Tips) != 1 || f.Amount != 2000 {
		t.Fatalf("overdue flush paid %v (%d sat), want only the late tip", f.Tips, f.Amount)
	}
	// At or below the threshold everything left goes.
	r = c.run("", "tip", "flush", "--fee-rate", "2", "--max-fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("cheap flush: %s", r.err)
	}
	if f := decodeJSON[tipFlushJSON](t, r.out); len(f.Tips) != 1 || f.Amount != 3000 {
		t.Fatalf("cheap flush %+v", f)
	}
}

func TestCrashBetweenBroadcastAndRecordPaysTipsOnce(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun(abandon, "restore", "--wallet", "a")
	c.fund(n, "a", 100_000)
	for i := 0; i < 5; i++ {
		c.mustRun("", "tip", "add", regtest.NewKey(fmt.Sprint("k", i), txbuilder.P2TR).Address, "1500", "--wallet", "a")
	}
	if !c.runCrash(crash.SendAfterBroadcast, "tip", "flush", "--fee-rate", "2", "--yes", "--wallet", "a") {
		t.Fatal("flush did not die between broadcast and record")
	}
	if got := len(n.MempoolTxIDs(t)); got != 1 {
		t.Fatalf("mempool holds %d transactions", got)
	}
	r := c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if !contains(r.out, `"done": false`) {
		t.Fatalf("flush after the crash paid again: %s", r.out)
	}
	if got := len(n.MempoolTxIDs(t)); got != 1 {
		t.Fatalf("mempool holds %d transactions after the second flush", got)
	}
	for _, tp := range decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out) {
		if tp.Status != "paid" {
			t.Fatalf("tip %+v not recognised as paid", tp)
		}
	}
}

// Tips queued to one address are paid by one output of their sum, and every one of them is
// marked paid by that transaction, also after the next sync reads it back from the chain.
func TestIntegrationTipsToOneAddressAreOneOutput(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	x := regtest.NewKey("x", txbuilder.P2WPKH).Address
	y := regtest.NewKey("y", txbuilder.P2TR).Address
	c.mustRun("", "tip", "add", x, "1000", "--id", "x1", "--label", "stream", "--wallet", "a")
	c.mustRun("", "tip", "add", y, "2000", "--id", "y1", "--wallet", "a")
	c.mustRun("", "tip", "add", x, "1500", "--id", "x2", "--label", "blog", "--wallet", "a")
	r := c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("flush: %s", r.err)
	}
	f := decodeJSON[tipFlushJSON](t, r.out)
	got := map[string]int64{}
	for _, o := range f.Outputs {
		if !o.Change {
			if _, dup := got[o.Address]; dup {
				t.Fatalf("%s has two outputs", o.Address)
			}
			got[o.Address] = o.Value
		}
	}
	if len(got) != 2 || got[x] != 2500 || got[y] != 2000 {
		t.Fatalf("outputs %v, want %s=2500 and %s=2000", got, x, y)
	}
	assertFeeRate(t, n, f.TxID, 2000, f.Fee)
	check := func(when string) {
		t.Helper()
		for _, tp := range decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out) {
			if tp.Status != "paid" || tp.TxID != f.TxID {
				t.Fatalf("%s: tip %+v not paid by %s", when, tp, f.TxID)
			}
		}
	}
	check("after the flush")
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "a")
	check("after a block and a sync")
	if r := c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a"); !contains(r.out, `"done": false`) {
		t.Fatalf("second flush paid again: %s", r.out)
	}
}
