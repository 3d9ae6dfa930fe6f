package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

// liar is what a hostile server in front of the real node does to the wallet: hide
// transactions from its histories, and answer "sent" to a broadcast it never relays.
type liar struct {
	mu      sync.Mutex
	hide    map[chainhash.Hash]bool
	drop    bool
	dropped int
	pad     bool // pad every input's witness with 80 KB of junk (the txid does not change)
}

type lyingBackend struct {
	chain.Backend
	l *liar
}

func (b lyingBackend) ScriptHistories(ctx context.Context, scripts [][]byte) ([][]chain.HistoryItem, error) {
	h, err := b.Backend.ScriptHistories(ctx, scripts)
	b.l.mu.Lock()
	defer b.l.mu.Unlock()
	for i := range h {
		var keep []chain.HistoryItem
		for _, it := range h[i] {
			if !b.l.hide[it.TxID] {
				keep = append(keep, it)
			}
		}
		h[i] = keep
	}
	return h, err
}

func (b lyingBackend) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	b.l.mu.Lock()
	drop := b.l.drop
	if drop {
		b.l.dropped++
	}
	b.l.mu.Unlock()
	if drop {
		return tx.TxHash(), nil
	}
	return b.Backend.Broadcast(ctx, tx)
}

func (b lyingBackend) Transactions(ctx context.Context, ids []chainhash.Hash) ([]*wire.MsgTx, error) {
	txs, err := b.Backend.Transactions(ctx, ids)
	b.l.mu.Lock()
	defer b.l.mu.Unlock()
	for _, m := range txs {
		if m == nil || !b.l.pad {
			continue
		}
		for _, in := range m.TxIn {
			in.Witness = append(wire.TxWitness{make([]byte, 80_000)}, in.Witness...)
		}
	}
	return txs, err
}

// lyingCLI is a CLI whose backend is the real node behind a liar.
func lyingCLI(t *testing.T) (*cli, *regtest.Node, *liar) {
	c, n := nodeCLI(t)
	l := &liar{hide: map[chainhash.Hash]bool{}}
	c.dial = func(ctx context.Context, url string) (chain.Backend, error) {
		be, err := btcd.Open(ctx, n.URL(), chain.Options{Net: regtest.Net})
		if err != nil {
			return nil, err
		}
		return lyingBackend{Backend: be, l: l}, nil
	}
	return c, n, l
}

// issue 17: a server hid a confirmed tip payment and a send over the daily cap passed. Now the
// hidden payment stays pending, its coin spent, and the cap still counts it.
func TestIntegrationHiddenPaymentStaysCounted(t *testing.T) {
	c, n, l := lyingCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	c.mustRun("", "config", "set", "limit.daily", "30000", "--wallet", "a")
	p, r := c.send("a", regtest.NewKey("hidden", txbuilder.P2WPKH).Address, "20000", "--fee-rate", "1")
	if r.code != 0 {
		t.Fatalf("send: %s", r.err)
	}
	n.Mine(t, 1)
	id, _ := chainhash.NewHashFromStr(p.TxID)
	l.hide[*id] = true
	c.now = c.now.Add(time.Hour)
	c.mustRun("", "sync", "--wallet", "a")
	status := map[string]string{}
	for _, e := range c.history("a") {
		status[e.TxID] = e.Status
	}
	if status[p.TxID] != "pending" {
		t.Fatalf("hidden payment: %v, want pending", status)
	}
	for _, u := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out) {
		if u.Value == 100_000 {
			t.Fatalf("the hidden payment's coin is spendable again: %+v", u)
		}
	}
	r = c.run("", "send", "--json", "--yes", "--wallet", "a", regtest.NewKey("over", txbuilder.P2WPKH).Address, "10000", "--fee-rate", "1")
	if code, _ := jsonError(t, r.err); r.code != exitCannotPay || code != "limit_exceeded" {
		t.Fatalf("a send over the daily cap with a hidden payment: exit %d %s", r.code, r.err)
	}
}

// A server that answers "sent" and never relays: each sync sends the payment again, at most once
// an hour by the wallet's clock, until the node has it; a confirmed payment is left alone.
func TestIntegrationDroppedBroadcastIsRebroadcast(t *testing.T) {
	c, n, l := lyingCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	l.drop = true
	p, r := c.send("a", regtest.NewKey("dropped", txbuilder.P2WPKH).Address, "2100", "--fee-rate", "1")
	if r.code != 0 || l.dropped != 1 {
		t.Fatalf("send: %s (dropped %d)", r.err, l.dropped)
	}
	if mem := n.MempoolTxIDs(t); len(mem) != 0 {
		t.Fatalf("mempool %v: the liar relayed it", mem)
	}
	c.now = c.now.Add(time.Minute)
	s := decodeJSON[syncJSON](t, c.mustRun("", "sync", "--json", "--wallet", "a").out)
	if len(s.Rebroadcast) != 1 || s.Rebroadcast[0] != p.TxID || l.dropped != 2 {
		t.Fatalf("sync rebroadcast %v (dropped %d), want %s", s.Rebroadcast, l.dropped, p.TxID)
	}
	c.now = c.now.Add(30 * time.Minute)
	if s := decodeJSON[syncJSON](t, c.mustRun("", "sync", "--json", "--wallet", "a").out); len(s.Rebroadcast) != 0 {
		t.Fatalf("rebroadcast again within the hour: %v", s.Rebroadcast)
	}
	l.drop = false
	c.now = c.now.Add(31 * time.Minute)
	if s := decodeJSON[syncJSON](t, c.mustRun("", "sync", "--json", "--wallet", "a").out); len(s.Rebroadcast) != 1 {
		t.Fatalf("no rebroadcast after an hour: %v", s.Rebroadcast)
	}
	if mem := txidStrings(n.MempoolTxIDs(t)); len(mem) != 1 || mem[0] != p.TxID {
		t.Fatalf("mempool %v, want the payment", mem)
	}
	n.Mine(t, 1)
	s = decodeJSON[syncJSON](t, c.mustRun("", "sync", "--json", "--wallet", "a").out)
	if len(s.Rebroadcast) != 0 {
		t.Fatalf("rebroadcast of a confirmed payment: %v", s.Rebroadcast)
	}
	if b := c.balance("a"); b.Confirmed != 100_000-2100-p.Fee {
		t.Fatalf("balance %+v", b)
	}
}

// issue 17: a server that answered "sent" and never relayed made tip flush pay a tip again. Now
// the tip stays paid by the payment the wallet signed, and the next flush's sync sends that
// payment again instead.
func TestIntegrationDroppedTipIsNotPaidTwice(t *testing.T) {
	c, n, l := lyingCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("droppedtip", txbuilder.P2WPKH).Address
	c.mustRun("", "tip", "add", dest, "3000", "--wallet", "a", "--id", "t1", "--json")
	l.drop = true
	r := c.run("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("flush: %s", r.err)
	}
	f := decodeJSON[tipFlushJSON](t, r.out)
	l.drop = false
	c.now = c.now.Add(2 * time.Hour)
	r = c.mustRun("", "tip", "flush", "--fee-rate", "1", "--yes", "--json", "--wallet", "a")
	if !contains(r.out, `"done": false`) {
		t.Fatalf("second flush paid again: %s", r.out)
	}
	for _, tp := range decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out) {
		if tp.Status != "paid" || tp.TxID != f.TxID {
			t.Fatalf("tip %+v, want paid by %s", tp, f.TxID)
		}
	}
	if mem := txidStrings(n.MempoolTxIDs(t)); len(mem) != 1 || mem[0] != f.TxID {
		t.Fatalf("mempool %v, want the one payment, sent again", mem)
	}
}

// issue 17: a server padded a stuck parent's witness (same txid) and cpfp sized it at 20,156 vB,
// paying 911 sat/vB. Now the parent is sized from what its txid commits to.
func TestIntegrationCPFPIgnoresAPaddedWitness(t *testing.T) {
	c, n, l := lyingCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	addr := c.receiveAddr("a")
	stuck := n.CreateTx(t, regtest.Faucet, []regtest.Output{{Address: addr, Amount: 40_000}}, regtest.TxOptions{FeeRate: 1000})
	parent := n.Broadcast(t, stuck)
	l.pad = true
	r := c.run("", "cpfp", parent.String(), "--fee-rate", "5", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("cpfp: %s", r.err)
	}
	child := decodeJSON[cpfpJSON](t, r.out)
	pfee, pv, _ := realFeeRate(t, n, parent.String())
	cfee, cv, _ := realFeeRate(t, n, child.TxID)
	if child.ParentVSize < pv || child.ParentVSize > pv+1 {
		t.Fatalf("parent sized %d vB, the node says %d", child.ParentVSize, pv)
	}
	want := int64(txbuilder.SatPerVB(5).FeeForVSize(pv+cv)) - pfee
	if cfee < want || cfee > want+10 {
		t.Fatalf("child pays %d sat, want about %d (parent %d vB, %d sat; child %d vB)", cfee, want, pv, pfee, cv)
	}
}
