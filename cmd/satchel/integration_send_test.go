package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// sendJSON runs a send and decodes its plan.
func (c *cli) send(w string, args ...string) (planJSON, result) {
	c.t.Helper()
	r := c.run("", append([]string{"send", "--json", "--yes", "--wallet", w}, args...)...)
	if r.code != 0 {
		return planJSON{}, r
	}
	return decodeJSON[planJSON](c.t, r.out), r
}

func TestIntegrationSendTip(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "alice")
	c.mustRun("", "create", "--wallet", "bob", "--type", "wpkh")
	c.fund(n, "alice", 100_000)
	bob := c.receiveAddr("bob")
	p, r := c.send("alice", bob, "2100", "--fee-rate", "2", "--label", "coffee")
	if r.code != 0 {
		t.Fatalf("send: exit %d %s", r.code, r.err)
	}
	if p.TxID == "" || p.Amount != 2100 || len(p.Inputs) != 1 || p.Change <= 0 {
		t.Fatalf("plan %+v", p)
	}
	if p.Fee+p.Amount+p.Change != 100_000 {
		t.Fatalf("fee %d + amount %d + change %d != 100000", p.Fee, p.Amount, p.Change)
	}
	assertFeeRate(t, n, p.TxID, 2000, p.Fee)
	// At once: pending in history, coin no longer spendable, change spendable.
	h := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--json", "--wallet", "alice", "--offline").out)
	if h[0].TxID != p.TxID || h[0].Status != "pending" || h[0].Amount != -(2100+p.Fee) || *h[0].Fee != p.Fee || h[0].Label != "coffee" {
		t.Fatalf("history right after send %+v", h[0])
	}
	n.Mine(t, 1)
	a := c.balance("alice")
	if a.Confirmed != 100_000-2100-p.Fee || a.Unconfirmed != 0 {
		t.Fatalf("alice %+v", a)
	}
	if b := c.balance("bob"); b.Confirmed != 2100 {
		t.Fatalf("bob %+v", b)
	}
	bh := c.history("bob")
	if len(bh) != 1 || bh[0].Amount != 2100 || bh[0].TxID != p.TxID {
		t.Fatalf("bob history %+v", bh)
	}
}

func TestIntegrationSendGuards(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 50_000)
	wpkh := regtest.NewKey("payee", txbuilder.P2WPKH).Address
	tr := regtest.NewKey("payee", txbuilder.P2TR).Address
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		errCode string
		msgHas  string
	}{
		{"P2WPKH dust - 1", []string{wpkh, "293", "--fee-rate", "1"}, exitCannotPay, "below_dust", "294"},
		{"P2TR dust - 1", []string{tr, "329", "--fee-rate", "1"}, exitCannotPay, "below_dust", "330"},
		{"insufficient funds", []string{wpkh, "60000", "--fee-rate", "1"}, exitCannotPay, "insufficient_funds", "spendable"},
		{"fee guard", []string{wpkh, "1000", "--fee-rate", "50"}, exitCannotPay, "fee_guard", "max-fee-ratio"},
		{"absurd fee rate", []string{wpkh, "1000", "--fee-rate", "1001"}, exitCannotPay, "fee_guard", "1,000"},
		{"max fee", []string{wpkh, "20000", "--fee-rate", "5", "--max-fee", "100"}, exitCannotPay, "fee_guard", "max-fee"},
		{"below relay fee", []string{wpkh, "1000", "--fee-rate", "0.5"}, exitUsage, "fee_rate_too_low", "relay"},
		{"wrong network", []string{"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "1000", "--fee-rate", "1"}, exitUsage, "wrong_network", "mainnet"},
		{"bad checksum", []string{wpkh[:len(wpkh)-1] + "x", "1000", "--fee-rate", "1"}, exitUsage, "bad_address", ""},
		{"decimal without unit", []string{wpkh, "0.001", "--fee-rate", "1"}, exitUsage, "bad_amount", "btc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// No passphrase at all: a refusal must come before anything is signed.
			saved := c.env["SATCHEL_PASSPHRASE"]
			delete(c.env, "SATCHEL_PASSPHRASE")
			defer func() { c.env["SATCHEL_PASSPHRASE"] = saved }()
			_, r := c.send("a", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", r.code, tc.code, r.err)
			}
			code, msg := jsonError(t, r.err)
			if code != tc.errCode || !strings.Contains(msg, tc.msgHas) {
				t.Fatalf("error %s %q, want %s containing %q", code, msg, tc.errCode, tc.msgHas)
			}
		})
	}
	if len(n.MempoolTxIDs(t)) != 0 {
		t.Fatal("a refused send reached the mempool")
	}
	// The fee guard can be lowered.
	p, r := c.send("a", wpkh, "1000", "--fee-rate", "50", "--max-fee-ratio", "10")
	if r.code != 0 {
		t.Fatalf("lowered guard: %s", r.err)
	}
	if len(p.Warnings) == 0 {
		t.Fatal("no warning for a fee above 10% of the amount")
	}
	assertFeeRate(t, n, p.TxID, 50_000, p.Fee)
	// Exactly at the dust limit is fine.
	p, r = c.send("a", wpkh, "294", "--fee-rate", "1", "--max-fee-ratio", "10")
	if r.code != 0 {
		t.Fatalf("294 sat: %s", r.err)
	}
	assertFeeRate(t, n, p.TxID, 1000, p.Fee)
}

func TestIntegrationNoConsentNoSend(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 50_000)
	addr := regtest.NewKey("x", txbuilder.P2WPKH).Address
	r := c.run("", "send", "--wallet", "a", addr, "1000", "--fee-rate", "1")
	if r.code != exitUsage || !strings.Contains(r.err, "--yes") {
		t.Fatalf("without --yes: exit %d %s", r.code, r.err)
	}
	r = c.mustRun("", "send", "--wallet", "a", addr, "1000", "--fee-rate", "1", "--dry-run", "--json")
	p := decodeJSON[planJSON](t, r.out)
	if p.TxID != "" || !p.DryRun || p.Fee <= 0 {
		t.Fatalf("dry run %+v", p)
	}
	if len(n.MempoolTxIDs(t)) != 0 {
		t.Fatal("something was broadcast")
	}
}

func TestIntegrationBatchSweepAndBackToBack(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.mustRun("", "create", "--wallet", "b", "--type", "wpkh")
	c.fund(n, "a", 300_000, 200_000)
	// A batch of 20 tips in one transaction.
	var lines []string
	var total int64
	for i := 0; i < 20; i++ {
		v := int64(1000 + 100*i)
		total += v
		lines = append(lines, fmt.Sprintf("%s,%d,tip %d", c.receiveAddr("b"), v, i))
	}
	batch := filepath.Join(t.TempDir(), "tips.csv")
	os.WriteFile(batch, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	p, r := c.send("a", "--batch", batch, "--fee-rate", "3")
	if r.code != 0 {
		t.Fatalf("batch: %s", r.err)
	}
	if p.Amount != total || len(p.Outputs) != 21 && len(p.Outputs) != 20 {
		t.Fatalf("batch plan amount %d outputs %d", p.Amount, len(p.Outputs))
	}
	assertFeeRate(t, n, p.TxID, 3000, p.Fee)
	// Two sends in a row without a block: the second must not reuse the first's coins.
	p2, r := c.send("a", c.receiveAddr("b"), "5000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("second send: %s", r.err)
	}
	p3, r := c.send("a", c.receiveAddr("b"), "6000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("third send: %s", r.err)
	}
	spent := map[string]bool{}
	for _, pl := range []planJSON{p, p2, p3} {
		for _, in := range pl.Inputs {
			if spent[in.OutPoint] {
				t.Fatalf("coin %s spent twice", in.OutPoint)
			}
			spent[in.OutPoint] = true
		}
	}
	assertFeeRate(t, n, p2.TxID, 2000, p2.Fee)
	assertFeeRate(t, n, p3.TxID, 2000, p3.Fee)
	if got := len(n.MempoolTxIDs(t)); got != 3 {
		t.Fatalf("mempool holds %d transactions, want 3", got)
	}
	n.Mine(t, 1)
	if b := c.balance("b"); b.Confirmed != total+11_000 {
		t.Fatalf("b received %d, want %d", b.Confirmed, total+11_000)
	}
	a := c.balance("a")
	want := 500_000 - total - 11_000 - p.Fee - p2.Fee - p3.Fee
	if a.Confirmed != want {
		t.Fatalf("a has %d, want %d", a.Confirmed, want)
	}
	// Sweep everything.
	dest := regtest.NewKey("sweep", txbuilder.P2TR).Address
	ps, r := c.send("a", dest, "all", "--fee-rate", "1")
	if r.code != 0 {
		t.Fatalf("sweep: %s", r.err)
	}
	if ps.Change != 0 || ps.Amount+ps.Fee != want {
		t.Fatalf("sweep plan %+v, want all %d", ps, want)
	}
	assertFeeRate(t, n, ps.TxID, 1000, ps.Fee)
	n.Mine(t, 1)
	if b := c.balance("a"); b.Confirmed != 0 || b.Spendable != 0 {
		t.Fatalf("after sweep %+v", b)
	}
}

// A real node refuses a confirmed transaction sent again in its own words ("already exists in
// blockchain"); psbt broadcast says where it is instead, exit 5.
func TestIntegrationRebroadcastConfirmedPSBT(t *testing.T) {
	c, n := nodeCLI(t)
	watchPair(t, c, "wpkh")
	c.fund(n, "cold", 50_000)
	dir := t.TempDir()
	u, s := filepath.Join(dir, "u.psbt"), filepath.Join(dir, "s.psbt")
	c.mustRun("", "send", "--wallet", "cold", outsider, "20000", "--fee-rate", "2", "--psbt-out", u)
	c.mustRun("", "psbt", "sign", u, "--wallet", "hot", "--yes", "--out", s)
	sent := decodeJSON[psbtBroadcastJSON](t, c.mustRun("", "psbt", "broadcast", s, "--yes", "--json", "--wallet", "cold").out)
	// Over p2p the node takes the transaction after the broadcast returns (inv, getdata, tx):
	// mine only once it is in the node's mempool, or the blocks may leave it out.
	for deadline := time.Now().Add(30 * time.Second); !slices.ContainsFunc(n.MempoolTxIDs(t), func(h chainhash.Hash) bool { return h.String() == sent.TxID }); {
		if time.Now().After(deadline) {
			t.Fatalf("%s never reached the node's mempool", sent.TxID)
		}
		time.Sleep(50 * time.Millisecond)
	}
	n.Mine(t, 2)
	var height int32
	for _, h := range c.history("cold") {
		if h.TxID == sent.TxID && h.Height != nil {
			height = *h.Height
		}
	}
	if height == 0 {
		t.Fatalf("%s not confirmed in history", sent.TxID)
	}
	r := c.run("", "psbt", "broadcast", s, "--yes", "--json", "--wallet", "cold")
	code, msg := jsonError(t, r.err)
	if want := fmt.Sprintf("already confirmed (block %d, 2 confirmations)", height); r.code != exitBackend || code != "broadcast_rejected" || !strings.Contains(msg, want) {
		t.Fatalf("exit %d %s %q, want %q", r.code, code, msg, want)
	}
}
