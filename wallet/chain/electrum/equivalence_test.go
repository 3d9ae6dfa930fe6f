package electrum

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func sorted(h []chain.HistoryItem) []chain.HistoryItem {
	out := append([]chain.HistoryItem(nil), h...)
	sort.Slice(out, func(i, j int) bool { return out[i].TxID.String() < out[j].TxID.String() })
	return out
}

func kindOf(err error) netutil.Kind {
	var ne *netutil.Error
	if errors.As(err, &ne) {
		return ne.Kind
	}
	return ""
}

func txid(n int) chainhash.Hash { return chainhash.DoubleHashH([]byte(fmt.Sprint("tx", n))) }

// TestClientOverServerMatchesTheChain: the client, over the test server, over the fake chain,
// gives what the fake chain gives directly.
func TestClientOverServerMatchesTheChain(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	c := r.chain
	a, b, unused := script(1), script(2), script(3)
	c.Mine(3)
	pay(c, a, 30, 7, 100)
	pay(c, b, 2, 1, 200)
	hist, _ := c.ScriptHistories(ctx, [][]byte{a})
	spent := hist[0][0].TxID
	spend := wire.NewMsgTx(2)
	spend.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	spend.AddTxOut(wire.NewTxOut(500, b))
	c.AddMempool(spend)
	c.Mine(1)
	pay(c, a, 3, 0, 300)
	pay(c, b, 1, 0, 400)
	r.server.Watch(a, b, unused)

	scripts := [][]byte{a, b, unused}
	want, _ := c.ScriptHistories(ctx, scripts)
	got, err := r.client.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if !reflect.DeepEqual(sorted(got[i]), sorted(want[i])) {
			t.Errorf("script %d: client %v, chain %v", i, sorted(got[i]), sorted(want[i]))
		}
	}
	if len(got[0]) != 34 || len(got[2]) != 0 {
		t.Fatalf("a has %d items, unused %d", len(got[0]), len(got[2]))
	}

	wantTip, _ := c.Tip(ctx)
	if tip, err := r.client.Tip(ctx); err != nil || tip != wantTip {
		t.Fatalf("Tip = %+v, %v; want %+v", tip, err, wantTip)
	}

	var ids []chainhash.Hash
	for _, it := range got[0] {
		ids = append(ids, it.TxID)
	}
	ids = append(ids, ids[0]) // asked twice
	txs, err := r.client.Transactions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		if txs[i].TxHash() != ids[i] {
			t.Fatalf("transaction %d: %s, want %s", i, txs[i].TxHash(), ids[i])
		}
	}
	if txs[0] == txs[len(txs)-1] {
		t.Fatal("an id asked twice shares one transaction")
	}

	heights := []int32{0, 5, 6, wantTip.Height, 5}
	hdrs, err := r.client.BlockHeaders(ctx, heights)
	if err != nil {
		t.Fatal(err)
	}
	wantHdrs, _ := c.BlockHeaders(ctx, heights)
	for i := range heights {
		if hdrs[i].BlockHash() != wantHdrs[i].BlockHash() {
			t.Fatalf("header at %d differs", heights[i])
		}
	}

	if _, err := r.client.EstimateFee(ctx, 6); !errors.Is(err, chain.ErrNoEstimate) {
		t.Fatalf("EstimateFee without estimate: %v", err)
	}
	c.Fee, c.Relay = 2501, 100
	if fee, err := r.client.EstimateFee(ctx, 6); err != nil || fee != 2501 {
		t.Fatalf("EstimateFee = %v, %v", fee, err)
	}
	if relay, err := r.client.RelayFee(ctx); err != nil || relay != 100 {
		t.Fatalf("RelayFee = %v, %v", relay, err)
	}

	fresh := chaintest.Pay(999, wire.NewTxOut(1234, b))
	if id, err := r.client.Broadcast(ctx, fresh); err != nil || id != fresh.TxHash() {
		t.Fatalf("Broadcast = %s, %v", id, err)
	}
	var be *chain.BroadcastError
	if _, err := r.client.Broadcast(ctx, fresh); !errors.As(err, &be) || be.Cause != chain.CauseAlreadyInChain {
		t.Fatalf("second Broadcast: %v", err)
	}
	double := wire.NewMsgTx(2)
	double.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	double.AddTxOut(wire.NewTxOut(400, a))
	_, err = r.client.Broadcast(ctx, double)
	if !errors.As(err, &be) || be.Cause != chain.CauseConflict ||
		be.Message != "the transaction was rejected by network rules.\n\noutput already spent" {
		t.Fatalf("double spend: %#v", err)
	}
}
