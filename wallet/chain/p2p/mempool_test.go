package p2p

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/peer"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// mempoolPeer is a peer that answers the mempool message its own way.
type mempoolPeer struct {
	onMemPool func(p *peer.Peer)
	onGetData func(p *peer.Peer, m *wire.MsgGetData)
}

// startMempoolPeer listens on a loopback port for one client and returns its address.
func startMempoolPeer(t *testing.T, mp mempoolPeer) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		peers []*peer.Peer
		wg    sync.WaitGroup
	)
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, p := range peers {
			p.Disconnect()
			p.WaitForDisconnect()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p := peer.NewInboundPeer(&peer.Config{
				ChainParams:         testParams(),
				Services:            wire.SFNodeNetwork | wire.SFNodeWitness | wire.SFNodeCF | wire.SFNodeBloom,
				UserAgentName:       "mempool",
				UserAgentVersion:    "0.0.1",
				NewestBlock:         func() (*chainhash.Hash, int32, error) { return nil, 0, nil },
				DisableStallHandler: true,
				AllowSelfConns:      true,
				Listeners: peer.MessageListeners{
					OnMemPool: func(p *peer.Peer, _ *wire.MsgMemPool) { mp.onMemPool(p) },
					OnGetData: func(p *peer.Peer, m *wire.MsgGetData) {
						if mp.onGetData != nil {
							mp.onGetData(p, m)
						}
					},
				},
			})
			mu.Lock()
			peers = append(peers, p)
			mu.Unlock()
			p.AssociateConnection(c)
		}
	}()
	return l.Addr().String()
}

// sendWait queues m and waits until it is written or the peer is gone.
func sendWait(p *peer.Peer, m wire.Message) bool {
	done := make(chan struct{}, 1)
	p.QueueMessage(m, done)
	select {
	case <-done:
		return true
	case <-p.Done():
		return false
	}
}

func dialForTest(t *testing.T, addr string) *conn {
	t.Helper()
	c, err := dialPeer(context.Background(), netutil.Dialer{}, testParams(), addr, "test", func() int32 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.close(); c.p.WaitForDisconnect() })
	return c
}

// A peer that answers the mempool message with announcements that never end (its pong never
// comes) is given up on once it has listed more than the backend would download, not held in
// memory until the request times out.
func TestMempoolOfEndlessAnnouncementsIsRefusedEarly(t *testing.T) {
	addr := startMempoolPeer(t, mempoolPeer{onMemPool: func(p *peer.Peer) {
		for n := uint32(0); ; {
			inv := wire.NewMsgInv()
			for i := 0; i < 1000; i++ {
				n++
				_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &chainhash.Hash{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)}))
			}
			if !sendWait(p, inv) {
				return
			}
		}
	}})
	c := dialForTest(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	txs, err := c.getMempool(ctx)
	if !errors.Is(err, errMempoolTooBig) {
		t.Fatalf("got %d transactions, error %v; want %v", len(txs), err, errMempoolTooBig)
	}
}

// A peer that sends transactions nobody asked for along with the one asked for has only that
// one taken.
func TestMempoolTakesOnlyTheTransactionsAskedFor(t *testing.T) {
	listed := payTx(wire.OutPoint{Hash: chainhash.Hash{1}}, []byte{0x51})
	addr := startMempoolPeer(t, mempoolPeer{
		onMemPool: func(p *peer.Peer) {
			inv := wire.NewMsgInv()
			id := listed.TxHash()
			_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &id))
			p.QueueMessage(inv, nil)
		},
		onGetData: func(p *peer.Peer, _ *wire.MsgGetData) {
			for i := 0; i < 20; i++ {
				p.QueueMessage(payTx(wire.OutPoint{Hash: chainhash.Hash{2}, Index: uint32(i)}, []byte{0x51}), nil)
			}
			p.QueueMessage(listed, nil)
			p.QueueMessage(listed, nil)
		},
	})
	c := dialForTest(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	txs, err := c.getMempool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) != 1 || txs[0].TxHash() != listed.TxHash() {
		t.Fatalf("got %d transactions, want only the one listed", len(txs))
	}
}

// A peer can send any message unasked; what waits in a conn's queues for a reader is bounded
// by their capacities times the largest message of each kind. Eight peers must not be able to
// make the client hold gigabytes.
func TestQueuedMessagesOfAPeerAreBounded(t *testing.T) {
	addr := startMempoolPeer(t, mempoolPeer{onMemPool: func(*peer.Peer) {}})
	c := dialForTest(t, addr)
	const pver = wire.ProtocolVersion
	queues := []struct {
		name string
		n    int
		max  uint32
	}{
		{"headers", cap(c.headers), (&wire.MsgHeaders{}).MaxPayloadLength(pver)},
		{"cfheaders", cap(c.cfheaders), (&wire.MsgCFHeaders{}).MaxPayloadLength(pver)},
		{"cfilters", cap(c.cfilters), (&wire.MsgCFilter{}).MaxPayloadLength(pver)},
		{"cfcheckpt", cap(c.cfcheckpt), (&wire.MsgCFCheckpt{}).MaxPayloadLength(pver)},
		{"blocks", cap(c.blocks), (&wire.MsgBlock{}).MaxPayloadLength(pver)},
		{"notfound", cap(c.notFound), (&wire.MsgNotFound{}).MaxPayloadLength(pver)},
		{"rejects", cap(c.rejects), (&wire.MsgReject{}).MaxPayloadLength(pver)},
		{"getdata", cap(c.getData), (&wire.MsgGetData{}).MaxPayloadLength(pver)},
		{"invs", cap(c.invs), (&wire.MsgInv{}).MaxPayloadLength(pver)},
		{"txs", cap(c.txs), (&wire.MsgTx{}).MaxPayloadLength(pver)},
	}
	total := 0
	for _, q := range queues {
		total += q.n * int(q.max)
		t.Logf("%s: %d × %d bytes", q.name, q.n, q.max)
	}
	const limit = 96 << 20
	if total > limit {
		t.Fatalf("a peer can park %d MB in the queues, more than %d MB", total>>20, limit>>20)
	}
}
