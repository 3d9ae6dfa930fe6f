package main

import (
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
)

func TestIntegrationCoinbaseMaturity(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "miner")
	addr := c.receiveAddr("miner")
	n.MineTo(t, addr, 1)
	n.Mine(t, 98)
	b := c.balance("miner")
	if b.Immature != 50_0000_0000 || b.Confirmed != 0 || b.Spendable != 0 {
		t.Fatalf("at 99 confirmations: %+v", b)
	}
	n.Mine(t, 1)
	b = c.balance("miner")
	if b.Immature != 0 || b.Confirmed != 50_0000_0000 || b.Spendable != 50_0000_0000 {
		t.Fatalf("at 100 confirmations: %+v", b)
	}
}

func TestIntegrationPaymentsOnSeveralAddresses(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "w", "--type", "wpkh")
	for _, v := range []int64{10_000, 20_000, 30_001} {
		n.Send(t, c.receiveAddr("w"), txbuilderAmount(v))
	}
	b := c.balance("w")
	if b.Confirmed != 0 || b.Unconfirmed != 60_001 || b.Spendable != 0 {
		t.Fatalf("pending: %+v", b)
	}
	n.Mine(t, 1)
	b = c.balance("w")
	if b.Confirmed != 60_001 || b.Unconfirmed != 0 || b.Spendable != 60_001 || *b.SyncedHeight != n.Height(t) {
		t.Fatalf("confirmed: %+v", b)
	}
	h := c.history("w")
	if len(h) != 3 {
		t.Fatalf("history has %d entries", len(h))
	}
	var sum int64
	for _, e := range h {
		if e.Status != "confirmed" || e.Confirmations != 1 || e.Fee != nil {
			t.Errorf("entry %+v", e)
		}
		sum += e.Amount
	}
	if sum != 60_001 {
		t.Fatalf("history sums to %d", sum)
	}
	r := c.mustRun("", "utxos", "--json", "--wallet", "w", "--fee-rate", "10")
	us := decodeJSON[[]utxoJSON](t, r.out)
	if len(us) != 3 || us[0].Value != 30_001 || *us[0].SpendCost != 680 || !*us[0].Economical {
		t.Fatalf("utxos %+v", us)
	}
}

func TestIntegrationRestoredTaprootWalletFindsBIP84Funds(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun(abandon, "restore", "--wallet", "old", "--type", "wpkh")
	c.fund(n, "old", 77_000)
	c.mustRun(abandon, "restore", "--wallet", "new", "--type", "tr")
	r := c.mustRun("", "sync", "--json", "--wallet", "new")
	s := decodeJSON[syncJSON](t, r.out)
	if len(s.Adopted) != 1 || s.Adopted[0] != 84 {
		t.Fatalf("sync %+v, want BIP84 adopted", s)
	}
	if b := c.balance("new"); b.Confirmed != 77_000 || b.Spendable != 77_000 {
		t.Fatalf("restored balance %+v", b)
	}
	info := decodeJSON[infoJSON](t, c.mustRun("", "info", "--json", "--wallet", "new").out)
	if len(info.Accounts) != 2 {
		t.Fatalf("info lists %d accounts, want tr and wpkh", len(info.Accounts))
	}
}

func TestIntegrationAddressPastGapLimit(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun(abandon, "restore", "--wallet", "a")
	var last string
	for i := 0; i <= 25; i++ {
		last = c.receiveAddr("a") // index 25 at the end: past the gap of 20
	}
	n.Send(t, last, 5_000)
	n.Mine(t, 1)
	if b := c.balance("a"); b.Confirmed != 5_000 {
		t.Fatalf("the wallet that handed out index 25 sees %+v", b)
	}
	c.mustRun(abandon, "restore", "--wallet", "b")
	if b := c.balance("b"); b.Confirmed != 0 {
		t.Fatalf("gap 20 should not reach index 25: %+v", b)
	}
	r := c.mustRun("", "balance", "--json", "--wallet", "b", "--gap-limit", "30")
	if b := decodeJSON[balanceJSON](t, r.out); b.Confirmed != 5_000 {
		t.Fatalf("gap 30: %+v", b)
	}
}

func TestIntegrationReorg(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "w")
	txid := n.Send(t, c.receiveAddr("w"), 42_000)
	blocks := n.Mine(t, 1)
	if b := c.balance("w"); b.Confirmed != 42_000 {
		t.Fatalf("before reorg %+v", b)
	}
	n.InvalidateBlock(t, blocks[0])
	b := c.balance("w")
	if b.Confirmed != 0 || b.Unconfirmed != 42_000 {
		t.Fatalf("after invalidateblock: %+v, want the payment pending", b)
	}
	if h := c.history("w"); len(h) != 1 || h[0].Status != "pending" || h[0].TxID != txid.String() {
		t.Fatalf("history after reorg %+v", h)
	}
	n.Mine(t, 2) // a competing branch, longer, taking the tx from the mempool
	b = c.balance("w")
	if b.Confirmed != 42_000 || b.Unconfirmed != 0 {
		t.Fatalf("after the competing branch: %+v", b)
	}
	if h := c.history("w"); h[0].Confirmations != 2 {
		t.Fatalf("confirmations %d, want 2", h[0].Confirmations)
	}
	_ = chainhash.Hash{}
}

func TestIntegrationUnreachableBackendExits5(t *testing.T) {
	c := newCLI(t)
	c.mustRun("", "create")
	c.env["SATCHEL_BACKEND"] = "btcd://user:secret@127.0.0.1:1"
	r := c.run("", "balance", "--json")
	if r.code != exitBackend {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if code, msg := jsonError(t, r.err); code != "backend_unreachable" || !contains(msg, "127.0.0.1:1") || contains(msg, "secret") {
		t.Fatalf("error %s %q", code, msg)
	}
	// Offline still answers.
	c.mustRun("", "balance", "--json", "--offline")
	// receive never needs the network: it warns and answers.
	r = c.mustRun("", "receive", "--json")
	if !contains(r.err, "warning") {
		t.Fatalf("receive did not warn: %q", r.err)
	}
}

var _ = regtest.Start
