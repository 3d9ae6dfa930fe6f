package p2p

import (
	"reflect"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

func payTx(from wire.OutPoint, scripts ...[]byte) *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(&wire.TxIn{PreviousOutPoint: from})
	for _, s := range scripts {
		tx.AddTxOut(wire.NewTxOut(1000, s))
	}
	return tx
}

func TestHistoriesFollowSpendsAndPending(t *testing.T) {
	a, b, other := []byte{0, 20, 1}, []byte{0, 20, 2}, []byte{0, 20, 3}
	s := newScanState()
	s.watch([][]byte{a, b}, 1)
	pay := payTx(wire.OutPoint{Hash: chainhash.Hash{9}}, other, a)
	s.addTx(&txRecord{tx: pay, height: 5, block: chainhash.Hash{5}})
	spend := payTx(wire.OutPoint{Hash: pay.TxHash(), Index: 1}, b)
	s.addTx(&txRecord{tx: spend, height: 7, block: chainhash.Hash{7}})
	mine := payTx(wire.OutPoint{Hash: spend.TxHash()}, other)
	s.pending[mine.TxHash()] = mine
	relayed := payTx(wire.OutPoint{Hash: chainhash.Hash{8}}, a)

	got := s.histories([][]byte{a, b, other}, map[chainhash.Hash]*wire.MsgTx{relayed.TxHash(): relayed})
	want := [][]chain.HistoryItem{
		{{TxID: pay.TxHash(), Height: 5}, {TxID: spend.TxHash(), Height: 7}, {TxID: relayed.TxHash()}},
		{{TxID: spend.TxHash(), Height: 7}, {TxID: mine.TxHash()}},
		{{TxID: pay.TxHash(), Height: 5}, {TxID: mine.TxHash()}},
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) && !(i == 2 && len(got[i]) == 2) {
			t.Fatalf("script %d: %v, want %v", i, got[i], want[i])
		}
	}

	// Saved and read back, the state answers the same.
	data, err := s.encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeScan(data)
	if err != nil {
		t.Fatal(err)
	}
	if again := back.histories([][]byte{a, b}, nil); !reflect.DeepEqual(again[1], want[1]) {
		t.Fatalf("after a round trip: %v", again)
	}

	// A reorg below the spend forgets it and what depends on it being scanned.
	s.rollback(6)
	if got := s.histories([][]byte{a, b}, nil); len(got[0]) != 1 || got[0][0].TxID != pay.TxHash() || len(got[1]) != 0 {
		t.Fatalf("after the rollback: %v", got)
	}
	if s.scanned[keyOf(a)] != 0 {
		// a was never scanned past 0 here; rollback only lowers.
		t.Fatalf("scanned %d", s.scanned[keyOf(a)])
	}

	// A mined spend of the same coin drops the pending broadcast.
	s.addTx(&txRecord{tx: spend, height: 7, block: chainhash.Hash{7}})
	conflict := payTx(wire.OutPoint{Hash: spend.TxHash()}, b)
	s.addTx(&txRecord{tx: conflict, height: 8, block: chainhash.Hash{8}})
	s.prunePending()
	if len(s.pending) != 0 {
		t.Fatalf("pending %v after a conflicting spend was mined", s.pending)
	}
}

func TestParseURL(t *testing.T) {
	reg := testParams()
	tests := []struct {
		raw   string
		peers []string
		start int32
		bad   bool
	}{
		{raw: "p2p://", peers: nil},
		{raw: "p2p://127.0.0.1:18444", peers: []string{"127.0.0.1:18444"}},
		{raw: "p2p://a.example,b.example:1/", peers: []string{"a.example:18444", "b.example:1"}},
		{raw: "p2p://[::1]:5,[::1]", peers: []string{"[::1]:5", "[::1]:18444"}},
		{raw: "p2p://x.onion?start=800000", peers: []string{"x.onion:18444"}, start: 800000},
		{raw: "p2p://a:1,a:1", peers: []string{"a:1"}},
		{raw: "http://a:1", bad: true},
		{raw: "p2p://a:0", bad: true},
		{raw: "p2p://a:1,,b:2", bad: true},
		{raw: "p2p://user@a:1", bad: true},
		{raw: "p2p://a:1?start=-1", bad: true},
		{raw: "p2p://a:1?birthday=5", bad: true},
		{raw: "p2p://::1", bad: true},
		{raw: "p2p://1,2,3,4,5,6,7,8,9", bad: true},
		{raw: "p2p://[::1", bad: true},
		{raw: "p2p://a:1,[::1", bad: true},
		{raw: "p2p://[::1]x", bad: true},
		{raw: "p2p://[1.2.3.4]:5", bad: true},
		{raw: "p2p://:5", bad: true},
		{raw: "p2p://a b:5", bad: true},
		{raw: "p2p://a:+5", bad: true},
		{raw: "p2p://[2001:db8::1]:8333,10.0.0.1", peers: []string{"[2001:db8::1]:8333", "10.0.0.1:18444"}},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := parseURL(tc.raw, reg)
			if tc.bad {
				if err == nil {
					t.Fatalf("accepted: %+v", got)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got.peers, tc.peers) || got.start != tc.start {
				t.Fatalf("%+v, %v; want %v start %d", got, err, tc.peers, tc.start)
			}
		})
	}
}
