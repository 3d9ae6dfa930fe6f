package p2p_test

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
)

// A broadcast reaches the peer's mempool even when the peer drops the first sendings without a
// word (btcd does, to a peer its sync manager has not registered yet: the cause of a lost
// broadcast right after connecting), and a peer that never gives a transaction back (Bitcoin
// Core, for one it has not announced) is not sent it without end.
func TestBroadcastGivesALostTransactionAgain(t *testing.T) {
	tests := []struct {
		name      string
		peer      *chainPeer // its policy
		inMempool bool
		sends     int // transaction messages the peer received
	}{
		{"a peer that takes it at once", &chainPeer{}, true, 1},
		{"a peer that drops the first", &chainPeer{dropTxs: 1}, true, 2},
		{"a peer that drops three", &chainPeer{dropTxs: 3}, true, 4},
		{"a peer that drops every one is given up on after four", &chainPeer{dropTxs: 100}, false, 4},
		{"a peer that never serves what it was sent, nor sends rejects", &chainPeer{hidesTxs: true, noRejects: true}, true, 4},
		{"a peer that never serves what it was sent, and refuses it again as known", &chainPeer{hidesTxs: true}, true, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := chaintest.New()
			c.Mine(3)
			params := conformance.Params(t, c)
			cp := tc.peer
			cp.c, cp.params = c, params
			addr := startChainPeerAs(t, cp)
			be, err := p2p.New("p2p://"+addr, chain.Options{Net: params, DataDir: t.TempDir(), Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { be.Close() })
			tx := chaintest.Pay(7, wire.NewTxOut(1234, conformance.Script(1)))
			if id, err := be.Broadcast(context.Background(), tx); err != nil || id != tx.TxHash() {
				t.Fatalf("Broadcast = %s, %v", id, err)
			}
			inMempool := false
			for _, m := range c.Mempool() {
				inMempool = inMempool || m.TxHash() == tx.TxHash()
			}
			cp.mu.Lock()
			sends := cp.gotTxs
			cp.mu.Unlock()
			if inMempool != tc.inMempool || sends != tc.sends {
				t.Fatalf("in the mempool %v after %d sendings, want %v after %d", inMempool, sends, tc.inMempool, tc.sends)
			}
		})
	}
}
