package wallet

import (
	"errors"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// graphOf builds a pending graph of transactions the wallet signed (so sizes need no store).
func graphOf(txs ...*wire.MsgTx) *pendingGraph {
	g := &pendingGraph{msgs: map[chainhash.Hash]*wire.MsgTx{}, recs: map[chainhash.Hash]*store.TxRecord{},
		children: map[chainhash.Hash][]chainhash.Hash{}}
	for _, m := range txs {
		id := m.TxHash()
		g.msgs[id], g.recs[id] = m, &store.TxRecord{TxID: id, Sent: true, Fee: 100}
	}
	for id, m := range g.msgs {
		for _, in := range m.TxIn {
			if _, ok := g.msgs[in.PreviousOutPoint.Hash]; ok {
				g.children[in.PreviousOutPoint.Hash] = append(g.children[in.PreviousOutPoint.Hash], id)
			}
		}
	}
	return g
}

// spendOf makes a transaction spending parent's output idx, with n outputs of padBytes-long scripts.
func spendOf(parent chainhash.Hash, idx uint32, n, padBytes int) *wire.MsgTx {
	m := wire.NewMsgTx(2)
	m.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&parent, idx), nil, nil))
	for i := 0; i < n; i++ {
		m.AddTxOut(wire.NewTxOut(1000, make([]byte, padBytes)))
	}
	return m
}

func TestCheckUnconfirmedChainLimits(t *testing.T) {
	confirmed := chainhash.DoubleHashH([]byte("confirmed"))
	chainOf := func(n int) []*wire.MsgTx {
		var out []*wire.MsgTx
		prev := confirmed
		for i := 0; i < n; i++ {
			m := spendOf(prev, 0, 1, 22)
			out = append(out, m)
			prev = m.TxHash()
		}
		return out
	}
	fanOf := func(n int) []*wire.MsgTx {
		root := spendOf(confirmed, 0, n+1, 22)
		out := []*wire.MsgTx{root}
		for i := 0; i < n; i++ {
			out = append(out, spendOf(root.TxHash(), uint32(i), 1, 22))
		}
		return out
	}
	for _, tt := range []struct {
		name  string
		txs   []*wire.MsgTx
		spend func(txs []*wire.MsgTx) wire.OutPoint
		vsize int64
		ok    bool
	}{
		{"24 ancestors: the 25th in the chain is relayed", chainOf(24), func(x []*wire.MsgTx) wire.OutPoint { return last(x) }, 150, true},
		{"25 ancestors: the 26th is not", chainOf(25), func(x []*wire.MsgTx) wire.OutPoint { return last(x) }, 150, false},
		{"a parent with 23 other children takes a 24th", fanOf(23), func(x []*wire.MsgTx) wire.OutPoint {
			return wire.OutPoint{Hash: x[0].TxHash(), Index: 23}
		}, 150, true},
		{"a parent with 24 other children takes no 25th", fanOf(24), func(x []*wire.MsgTx) wire.OutPoint {
			return wire.OutPoint{Hash: x[0].TxHash(), Index: 24}
		}, 150, false},
		{"over 101 kvB with its ancestors", []*wire.MsgTx{spendOf(confirmed, 0, 1, 95_000)}, func(x []*wire.MsgTx) wire.OutPoint { return last(x) }, 7_000, false},
		{"a confirmed coin has no chain", nil, func([]*wire.MsgTx) wire.OutPoint { return wire.OutPoint{Hash: confirmed} }, 150, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := graphOf(tt.txs...).check(nil, []wire.OutPoint{tt.spend(tt.txs)}, tt.vsize, nil)
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok && !errors.Is(err, ErrChainTooLong) {
				t.Fatalf("err = %v, want ErrChainTooLong", err)
			}
		})
	}
}

// A replacement does not count the transaction it replaces, nor that one's descendants.
func TestCheckUnconfirmedChainSkipsTheReplaced(t *testing.T) {
	root := spendOf(chainhash.DoubleHashH([]byte("c")), 0, 25, 22)
	txs := []*wire.MsgTx{root}
	for i := 0; i < 24; i++ {
		txs = append(txs, spendOf(root.TxHash(), uint32(i), 1, 22))
	}
	g := graphOf(txs...)
	in := []wire.OutPoint{{Hash: root.TxHash(), Index: 24}}
	if err := g.check(nil, in, 150, nil); !errors.Is(err, ErrChainTooLong) {
		t.Fatalf("without a replacement: %v", err)
	}
	if err := g.check(nil, in, 150, skipSet([]chainhash.Hash{txs[5].TxHash()})); err != nil {
		t.Fatalf("replacing one of the children: %v", err)
	}
}

func last(txs []*wire.MsgTx) wire.OutPoint {
	return wire.OutPoint{Hash: txs[len(txs)-1].TxHash()}
}
