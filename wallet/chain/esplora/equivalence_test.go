package esplora

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
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

// TestClientOverServerMatchesTheChain: the client, over the test server, over the fake chain,
// gives what the fake chain gives directly.
func TestClientOverServerMatchesTheChain(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	c := r.chain
	a, b, unused := script(1), script(2), script(3)
	c.Mine(3)
	pay(c, a, 30, 7, 100) // 30 confirmed payments to a, over 5 blocks
	pay(c, b, 2, 1, 200)
	// A spend from a to b, confirmed, then mempool payments to both.
	hist, _ := c.ScriptHistories(ctx, [][]byte{a})
	spent := hist[0][0].TxID
	spend := wire.NewMsgTx(2)
	spend.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&spent, 0), nil, nil))
	spend.AddTxOut(wire.NewTxOut(500, b))
	c.AddMempool(spend)
	c.Mine(1)
	pay(c, a, 3, 0, 300)
	pay(c, b, 1, 0, 400)
	c.Fee = 2500
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
		t.Fatalf("a has %d items (want 30+1 spend+3 mempool), unused %d", len(got[0]), len(got[2]))
	}

	wantTip, _ := c.Tip(ctx)
	tip, err := r.client.Tip(ctx)
	if err != nil || tip != wantTip {
		t.Fatalf("Tip = %+v, %v; want %+v", tip, err, wantTip)
	}

	var ids []chainhash.Hash
	for _, it := range got[0] {
		ids = append(ids, it.TxID)
	}
	txs, err := r.client.Transactions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	wantTxs, _ := c.Transactions(ctx, ids)
	for i := range ids {
		if txs[i].TxHash() != wantTxs[i].TxHash() || txs[i].TxHash() != ids[i] {
			t.Fatalf("transaction %d differs", i)
		}
	}

	heights := []int32{0, 5, tip.Height, 5}
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

	if fee, err := r.client.EstimateFee(ctx, 6); err != nil || fee != 2500 {
		t.Fatalf("EstimateFee = %v, %v", fee, err)
	}
	if relay, err := r.client.RelayFee(ctx); err != nil || relay != txbuilder.SatPerVB(1) {
		t.Fatalf("RelayFee = %v, %v", relay, err)
	}

	// Broadcast: accepted, then the same again (already known), then a double spend.
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
	if _, err := r.client.Broadcast(ctx, double); !errors.As(err, &be) || be.Cause != chain.CauseConflict || be.Message != "output already spent" {
		t.Fatalf("double spend: %v", err)
	}
}
