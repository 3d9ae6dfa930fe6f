package main

import (
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

func TestIntegrationBumpFee(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("bump", txbuilder.P2WPKH).Address
	p, r := c.send("a", dest, "2100", "--fee-rate", "1")
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "5", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bump: exit %d %s", r.code, r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	if b.Replaces != p.TxID || b.Amount != 2100 || b.Fee <= p.Fee || b.OldFee != p.Fee {
		t.Fatalf("bump plan %+v", b)
	}
	assertFeeRate(t, n, b.TxID, 5000, b.Fee)
	mem := n.MempoolTxIDs(t)
	if len(mem) != 1 || mem[0].String() != b.TxID {
		t.Fatalf("mempool %v, want only the replacement", mem)
	}
	h := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--json", "--wallet", "a").out)
	status := map[string]string{}
	for _, e := range h {
		status[e.TxID] = e.Status
	}
	if status[p.TxID] != "replaced" || status[b.TxID] != "pending" {
		t.Fatalf("statuses %v", status)
	}
	n.Mine(t, 1)
	if bal := c.balance("a"); bal.Confirmed != 100_000-2100-b.Fee || bal.Unconfirmed != 0 {
		t.Fatalf("after bump %+v (fee %d)", bal, b.Fee)
	}
	// A bump that is not higher is refused; a confirmed one cannot be bumped.
	if r := c.run("", "bump-fee", b.TxID, "--fee-rate", "9", "--yes", "--json", "--wallet", "a"); r.code != exitUsage {
		t.Fatalf("bumping a confirmed tx: exit %d %s", r.code, r.err)
	}
}

func TestIntegrationBumpFeeAddsACoin(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 3_000, 50_000)
	var small string
	for _, u := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out) {
		if u.Value == 3_000 {
			small = u.OutPoint
		}
	}
	dest := regtest.NewKey("bump2", txbuilder.P2WPKH).Address
	p, r := c.send("a", dest, "2500", "--fee-rate", "1", "--from", small)
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	// At 20 sat/vB the fee is more than the 2,500 paid: the fee guard stops it, as it would a send,
	// until the user says so.
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "20", "--yes", "--json", "--wallet", "a")
	if code, _ := jsonError(t, r.err); r.code != exitCannotPay || code != "fee_guard" {
		t.Fatalf("bump over the fee guard: exit %d %s", r.code, r.err)
	}
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "20", "--max-fee-ratio", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bump: exit %d %s", r.code, r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	if len(b.Inputs) != 2 || b.Amount != 2500 {
		t.Fatalf("bump should add the second coin: %+v", b)
	}
	assertFeeRate(t, n, b.TxID, 20_000, b.Fee)
	n.Mine(t, 1)
	if bal := c.balance("a"); bal.Confirmed != 53_000-2500-b.Fee {
		t.Fatalf("after bump %+v", bal)
	}
}

func TestIntegrationConsolidate(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 10_000, 10_000, 10_000, 10_000, 10_000)
	// Above the threshold: nothing to do, exit 0.
	r := c.mustRun("", "consolidate", "--fee-rate", "8", "--yes", "--json", "--wallet", "a")
	if !contains(r.out, `"done": false`) {
		t.Fatalf("consolidate at 8 sat/vB: %s", r.out)
	}
	r = c.run("", "consolidate", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("consolidate: %s", r.err)
	}
	cp := decodeJSON[consolidateJSON](t, r.out)
	if len(cp.Inputs) != 5 || len(cp.Outputs) != 1 || cp.Saving <= 0 || cp.Amount != 50_000-cp.Fee {
		t.Fatalf("plan %+v", cp)
	}
	assertFeeRate(t, n, cp.TxID, 1000, cp.Fee)
	n.Mine(t, 1)
	us := decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out)
	if len(us) != 1 || us[0].Value != 50_000-cp.Fee || us[0].Path[len(us[0].Path)-3:] != "1/0" {
		t.Fatalf("utxos after consolidation %+v", us)
	}
	if bal := c.balance("a"); bal.Confirmed != 50_000-cp.Fee {
		t.Fatalf("balance %+v", bal)
	}
}

// A payment spending the unconfirmed change of an earlier one makes the earlier one unbumpable
// (a replacement would drop the later payment without paying for it); the later one can be
// bumped, and pays for both through its own fee.
func TestIntegrationBumpRefusesWithADescendant(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("bump3", txbuilder.P2WPKH).Address
	first, r := c.send("a", dest, "2100", "--fee-rate", "1")
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	second, r := c.send("a", dest, "3100", "--fee-rate", "1")
	if r.code != 0 {
		t.Fatalf("second send: %s", r.err)
	}
	r = c.run("", "bump-fee", first.TxID, "--fee-rate", "5", "--yes", "--json", "--wallet", "a")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "not_replaceable" || !strings.Contains(msg, second.TxID) {
		t.Fatalf("bumping a parent: exit %d %s", r.code, r.err)
	}
	if mem := n.MempoolTxIDs(t); len(mem) != 2 {
		t.Fatalf("mempool %v, want both payments", mem)
	}
	r = c.run("", "bump-fee", second.TxID, "--fee-rate", "5", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bumping the child: exit %d %s", r.code, r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	assertFeeRate(t, n, b.TxID, 5000, b.Fee)
}
