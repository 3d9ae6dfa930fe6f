package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// outpointOf finds the wallet coin of the given value.
func (c *cli) outpointOf(w string, value int64) string {
	c.t.Helper()
	for _, u := range decodeJSON[[]utxoJSON](c.t, c.mustRun("", "utxos", "--json", "--wallet", w).out) {
		if u.Value == value {
			return u.OutPoint
		}
	}
	c.t.Fatalf("wallet %s has no coin of %d sat", w, value)
	return ""
}

// BIP125 rule 2: a replacement adds no unconfirmed input. With only the wallet's own unconfirmed
// change to add, a bump that needs more value exits 4 and the original stays.
func TestIntegrationBumpNeverAddsUnconfirmedChange(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 3_000, 50_000)
	small, big := c.outpointOf("a", 3_000), c.outpointOf("a", 50_000)
	first, r := c.send("a", regtest.NewKey("chain1", txbuilder.P2WPKH).Address, "40000", "--fee-rate", "1", "--from", big)
	if r.code != 0 || first.Change <= 0 {
		t.Fatalf("send: %s %+v", r.err, first)
	}
	p, r := c.send("a", regtest.NewKey("chain2", txbuilder.P2WPKH).Address, "2500", "--fee-rate", "1", "--from", small)
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "20", "--max-fee-ratio", "2", "--yes", "--json", "--wallet", "a")
	if code, msg := jsonError(t, r.err); r.code != exitCannotPay || code != "insufficient_funds" || !strings.Contains(msg, "confirmed") {
		t.Fatalf("bump with only unconfirmed change to add: exit %d %s", r.code, r.err)
	}
	mem := strings.Join(txidStrings(n.MempoolTxIDs(t)), " ")
	if !strings.Contains(mem, p.TxID) || !strings.Contains(mem, first.TxID) {
		t.Fatalf("mempool %s, want both payments untouched", mem)
	}
}

// A bump that needs more value adds a confirmed coin, never the unconfirmed change beside it,
// and the node accepts the replacement.
func TestIntegrationBumpAddsConfirmedCoins(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 3_000, 50_000, 20_000)
	small, big, spare := c.outpointOf("a", 3_000), c.outpointOf("a", 50_000), c.outpointOf("a", 20_000)
	first, r := c.send("a", regtest.NewKey("chain3", txbuilder.P2WPKH).Address, "40000", "--fee-rate", "1", "--from", big)
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	p, r := c.send("a", regtest.NewKey("chain4", txbuilder.P2WPKH).Address, "2500", "--fee-rate", "1", "--from", small)
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "20", "--max-fee-ratio", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bump: exit %d %s", r.code, r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	ins := map[string]bool{}
	for _, in := range b.Inputs {
		ins[in.OutPoint] = true
		if strings.HasPrefix(in.OutPoint, first.TxID) {
			t.Fatalf("the replacement spends unconfirmed change %s", in.OutPoint)
		}
	}
	if !ins[small] || !ins[spare] || len(ins) != 2 {
		t.Fatalf("replacement inputs %v, want %s and the confirmed %s", b.Inputs, small, spare)
	}
	assertFeeRate(t, n, b.TxID, 20_000, b.Fee)
	mem := strings.Join(txidStrings(n.MempoolTxIDs(t)), " ")
	if !strings.Contains(mem, b.TxID) || strings.Contains(mem, p.TxID) {
		t.Fatalf("mempool %s: want the replacement, not the original", mem)
	}
}

// Thirty tips in a row without a block: each flush spends the last one's change, and the 26th
// would be the 26th unconfirmed transaction of a chain nodes do not relay. It exits 4 naming the
// wait, and goes through once a block confirms the chain.
func TestIntegrationTipsStopAt25Unconfirmed(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 1_000_000)
	sent := 0
	for i := 0; i < 30; i++ {
		d := regtest.NewKey(fmt.Sprint("chaintip", i), txbuilder.P2WPKH).Address
		c.mustRun("", "tip", "add", d, "5000", "--wallet", "a", "--json")
		r := c.run("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
		if r.code == 0 {
			sent++
			continue
		}
		code, msg := jsonError(t, r.err)
		if r.code != exitCannotPay || code != "chain_too_long" || !strings.Contains(msg, "wait for a confirmation") {
			t.Fatalf("tip %d: exit %d %s", i+1, r.code, r.err)
		}
		break
	}
	if sent != 25 {
		t.Fatalf("%d tips flushed in a row, want 25", sent)
	}
	if mem := n.MempoolTxIDs(t); len(mem) != 25 {
		t.Fatalf("mempool holds %d transactions, want the 25 flushed", len(mem))
	}
	n.Mine(t, 1)
	r := c.run("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("flush after a block: exit %d %s", r.code, r.err)
	}
}

func txidStrings(ids []chainhash.Hash) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

// abandon double-spends a pending tip payment back to the wallet at a higher fee: the node takes
// the self-spend in place of the payment, history shows the payment replaced, the tip is queued
// again once the self-spend confirms, and the wallet then holds all but the self-spend's fee.
func TestIntegrationAbandon(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("abandon", txbuilder.P2WPKH).Address
	c.mustRun("", "tip", "add", dest, "4000", "--wallet", "a", "--id", "t1", "--json")
	r := c.run("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("flush: %s", r.err)
	}
	f := decodeJSON[tipFlushJSON](t, r.out)
	// Not this wallet's, or not pending: refused, exit 2.
	if r := c.run("", "abandon", strings.Repeat("ab", 32), "--yes", "--json", "--wallet", "a"); r.code != exitUsage {
		t.Fatalf("abandon of an unknown txid: exit %d %s", r.code, r.err)
	}
	r = c.run("", "abandon", f.TxID, "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("abandon: exit %d %s", r.code, r.err)
	}
	ab := decodeJSON[abandonJSON](t, r.out)
	if ab.Abandons != f.TxID || ab.OldFee != f.Fee || ab.Fee <= f.Fee || len(ab.Outputs) != 1 || !ab.Outputs[0].Change && ab.Outputs[0].Address == dest {
		t.Fatalf("abandon plan %+v (payment fee %d)", ab, f.Fee)
	}
	for _, o := range ab.Outputs {
		if o.Address == dest {
			t.Fatalf("the self-spend pays the abandoned payee: %+v", ab.Outputs)
		}
	}
	mem := strings.Join(txidStrings(n.MempoolTxIDs(t)), " ")
	if !strings.Contains(mem, ab.TxID) || strings.Contains(mem, f.TxID) {
		t.Fatalf("mempool %s: want the self-spend %s in place of %s", mem, ab.TxID, f.TxID)
	}
	assertFeeRate(t, n, ab.TxID, 1000, ab.Fee)
	status := map[string]string{}
	for _, e := range c.history("a") {
		status[e.TxID] = e.Status
	}
	if status[f.TxID] != "replaced" || status[ab.TxID] != "pending" {
		t.Fatalf("statuses %v", status)
	}
	// Until the self-spend confirms the payment may still win: the tip stays paid, and a flush
	// does not pay it again.
	tipStatus := func() string {
		for _, tp := range decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out) {
			if tp.ID == "t1" {
				return tp.Status
			}
		}
		return "absent"
	}
	if s := tipStatus(); s != "paid" {
		t.Fatalf("tip of an abandoned payment before the self-spend confirms: %s, want paid", s)
	}
	if r := c.mustRun("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a"); !contains(r.out, `"done": false`) {
		t.Fatalf("flush before the self-spend confirms: %s", r.out)
	}
	n.Mine(t, 1)
	c.mustRun("", "sync", "--wallet", "a")
	if s := tipStatus(); s != "queued" {
		t.Fatalf("tip of an abandoned payment once the self-spend confirms: %s, want queued", s)
	}
	if bal := c.balance("a"); bal.Confirmed != 100_000-ab.Fee || bal.Unconfirmed != 0 {
		t.Fatalf("after abandon %+v (fee %d)", bal, ab.Fee)
	}
	if r := c.run("", "abandon", ab.TxID, "--yes", "--json", "--wallet", "a"); r.code != exitUsage {
		t.Fatalf("abandon of a confirmed self-spend: exit %d %s", r.code, r.err)
	}
}

// The same limit holds for plain sends: the pipeline checks every payment's unconfirmed chain,
// whichever command makes it.
func TestIntegrationSendsStopAt25Unconfirmed(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 1_000_000)
	sent := 0
	for i := 0; i < 27; i++ {
		_, r := c.send("a", regtest.NewKey(fmt.Sprint("chainsend", i), txbuilder.P2WPKH).Address, "5000", "--fee-rate", "1")
		if r.code == 0 {
			sent++
			continue
		}
		if code, msg := jsonError(t, r.err); r.code != exitCannotPay || code != "chain_too_long" || !strings.Contains(msg, "wait for a confirmation") {
			t.Fatalf("send %d: exit %d %s", i+1, r.code, r.err)
		}
		break
	}
	if sent != 25 || len(n.MempoolTxIDs(t)) != 25 {
		t.Fatalf("%d sends in a row, %d in the mempool: want 25 and 25", sent, len(n.MempoolTxIDs(t)))
	}
}
