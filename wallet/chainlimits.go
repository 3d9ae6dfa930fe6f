package wallet

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// Node policy on chains of unconfirmed transactions (Bitcoin Core's defaults): a transaction
// with more unconfirmed ancestors or descendants, the transaction itself counted, or a larger
// total size of them, is not relayed, so a wallet that broadcasts it has paid for nothing.
const (
	MaxUnconfirmedAncestors   = 25
	MaxUnconfirmedDescendants = 25
	MaxUnconfirmedChainVSize  = 101_000
)

// ErrChainTooLong means a new transaction would exceed the node policy on unconfirmed chains;
// waiting for a confirmation is the way out. The CLI maps it to exit 4 (cannot pay).
var ErrChainTooLong = errors.New("too long a chain of unconfirmed transactions")

// Ancestry is what a planned transaction would sit on in the mempool, as the store knows it.
type Ancestry struct {
	// Ancestors are the wallet's pending transactions it spends from, directly or not.
	Ancestors []chainhash.Hash
	// VSize and Fee are the ancestors' total size and their known fees (FeeKnown false when a
	// foreign ancestor's fee is unknown to the store).
	VSize    int64
	Fee      int64
	FeeKnown bool
}

// pendingGraph is the store's pending transactions and who spends whom among them.
type pendingGraph struct {
	msgs     map[chainhash.Hash]*wire.MsgTx
	recs     map[chainhash.Hash]*store.TxRecord
	children map[chainhash.Hash][]chainhash.Hash
}

func loadPendingGraph(tx *store.Txn) (*pendingGraph, error) {
	g := &pendingGraph{msgs: map[chainhash.Hash]*wire.MsgTx{}, recs: map[chainhash.Hash]*store.TxRecord{},
		children: map[chainhash.Hash][]chainhash.Hash{}}
	err := tx.ForEachTx(func(r *store.TxRecord) error {
		if r.Status != store.StatusPending {
			return nil
		}
		m, err := r.MsgTx()
		if err != nil {
			return err
		}
		g.msgs[r.TxID], g.recs[r.TxID] = m, r
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id, m := range g.msgs {
		seen := map[chainhash.Hash]bool{}
		for _, in := range m.TxIn {
			p := in.PreviousOutPoint.Hash
			if _, ok := g.msgs[p]; ok && !seen[p] {
				seen[p] = true
				g.children[p] = append(g.children[p], id)
			}
		}
	}
	return g, nil
}

// vsize of a pending transaction for chain limits: the committed part as stored plus a bound on
// each input's witness from its script type (a server's witness is never trusted, see
// committedVSize).
func (g *pendingGraph) vsize(tx *store.Txn, id chainhash.Hash) int64 {
	m := g.msgs[id]
	if r := g.recs[id]; r != nil && r.Sent {
		return txWeightVSize(m) // we signed it: its witness is the real one
	}
	return committedVSize(m, storePrevScripts(tx, m))
}

// ancestors of a transaction spending inputs, skipping the ones in skip (a transaction being
// replaced is not an ancestor of its replacement).
func (g *pendingGraph) ancestors(inputs []wire.OutPoint, skip map[chainhash.Hash]bool) []chainhash.Hash {
	var out []chainhash.Hash
	seen := map[chainhash.Hash]bool{}
	queue := make([]chainhash.Hash, 0, len(inputs))
	for _, op := range inputs {
		queue = append(queue, op.Hash)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] || skip[id] {
			continue
		}
		seen[id] = true
		m, ok := g.msgs[id]
		if !ok {
			continue // confirmed, or not the wallet's
		}
		out = append(out, id)
		for _, in := range m.TxIn {
			queue = append(queue, in.PreviousOutPoint.Hash)
		}
	}
	return out
}

// descendants of id (itself excluded), leaving out the ones in skip and everything below them.
func (g *pendingGraph) descendants(id chainhash.Hash, skip map[chainhash.Hash]bool) []chainhash.Hash {
	var out []chainhash.Hash
	seen := map[chainhash.Hash]bool{id: true}
	queue := append([]chainhash.Hash(nil), g.children[id]...)
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] || skip[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
		queue = append(queue, g.children[c]...)
	}
	return out
}

// UnconfirmedAncestry returns the wallet's pending transactions a transaction spending inputs
// would depend on, with their size and fee, skipping (and not descending through) replaces.
func (w *Wallet) UnconfirmedAncestry(inputs []wire.OutPoint, replaces ...chainhash.Hash) (Ancestry, error) {
	var a Ancestry
	err := w.st.View(func(tx *store.Txn) error {
		g, err := loadPendingGraph(tx)
		if err != nil {
			return err
		}
		a = g.ancestry(tx, inputs, skipSet(replaces))
		return nil
	})
	return a, err
}

func (g *pendingGraph) ancestry(tx *store.Txn, inputs []wire.OutPoint, skip map[chainhash.Hash]bool) Ancestry {
	a := Ancestry{Ancestors: g.ancestors(inputs, skip), FeeKnown: true}
	for _, id := range a.Ancestors {
		a.VSize += g.vsize(tx, id)
		if f := g.recs[id].Fee; f >= 0 {
			a.Fee += f
		} else {
			a.FeeKnown = false
		}
	}
	return a
}

func skipSet(ids []chainhash.Hash) map[chainhash.Hash]bool {
	m := map[chainhash.Hash]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// CheckUnconfirmedChain refuses a planned transaction (its inputs and its size) that nodes
// would not relay because of its unconfirmed chain: more than MaxUnconfirmedAncestors
// ancestors (itself counted) or MaxUnconfirmedChainVSize of them, or an ancestor that would
// get more than MaxUnconfirmedDescendants descendants or that size. replaces names a
// transaction the new one replaces (a fee bump, an abandon): it leaves the mempool with all its
// descendants, so it counts for neither. The error wraps ErrChainTooLong and says to wait.
// Only chains the store knows are counted: a foreign parent's own unconfirmed ancestors are
// not the wallet's to see.
func (w *Wallet) CheckUnconfirmedChain(inputs []wire.OutPoint, vsize int64, replaces ...chainhash.Hash) error {
	return w.st.View(func(tx *store.Txn) error {
		g, err := loadPendingGraph(tx)
		if err != nil {
			return err
		}
		return g.check(tx, inputs, vsize, skipSet(replaces))
	})
}

func (g *pendingGraph) check(tx *store.Txn, inputs []wire.OutPoint, vsize int64, skip map[chainhash.Hash]bool) error {
	anc := g.ancestry(tx, inputs, skip)
	if n := len(anc.Ancestors) + 1; n > MaxUnconfirmedAncestors {
		return fmt.Errorf("%w: it would be the %dth in a chain of unconfirmed transactions, and nodes relay at most %d: "+
			"wait for a confirmation and try again", ErrChainTooLong, n, MaxUnconfirmedAncestors)
	}
	if s := anc.VSize + vsize; s > MaxUnconfirmedChainVSize {
		return fmt.Errorf("%w: it and its unconfirmed ancestors would weigh %s vB, and nodes relay at most %s: "+
			"wait for a confirmation and try again", ErrChainTooLong, groupNum(s), groupNum(MaxUnconfirmedChainVSize))
	}
	for _, a := range anc.Ancestors {
		desc := g.descendants(a, skip)
		if n := len(desc) + 2; n > MaxUnconfirmedDescendants {
			return fmt.Errorf("%w: unconfirmed %s would have %d descendants with it, and nodes relay at most %d: "+
				"wait for a confirmation and try again", ErrChainTooLong, a, n, MaxUnconfirmedDescendants)
		}
		s := g.vsize(tx, a) + vsize
		for _, d := range desc {
			s += g.vsize(tx, d)
		}
		if s > MaxUnconfirmedChainVSize {
			return fmt.Errorf("%w: unconfirmed %s and its descendants would weigh %s vB, and nodes relay at most %s: "+
				"wait for a confirmation and try again", ErrChainTooLong, a, groupNum(s), groupNum(MaxUnconfirmedChainVSize))
		}
	}
	return nil
}

// CheckPlanChain is CheckUnconfirmedChain for a plan (its inputs, its estimated size, and the
// transaction it replaces if it is a fee bump).
func (w *Wallet) CheckPlanChain(p *Plan) error {
	ins := make([]wire.OutPoint, len(p.Built.Tx.TxIn))
	for i, in := range p.Built.Tx.TxIn {
		ins[i] = in.PreviousOutPoint
	}
	var rep []chainhash.Hash
	if p.replaces != (chainhash.Hash{}) {
		rep = append(rep, p.replaces)
	}
	return w.CheckUnconfirmedChain(ins, p.VSize, rep...)
}
