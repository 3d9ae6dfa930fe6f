package txbuilder

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/btcsuite/btcd/wire/v2"
)

// Transaction defaults satchel shares with Bitcoin Core.
const (
	// TxVersion 2 enables relative lock times (BIP68), as every current wallet does.
	TxVersion = 2
	// SequenceRBF signals replaceability (BIP125) while keeping lock time enforced.
	SequenceRBF = wire.MaxTxInSequenceNum - 2
)

// ErrChangeScript means the change output has no script, or a script the caller did not vouch for.
var ErrChangeScript = errors.New("change output needs the wallet's change script")

// BuildRequest turns a selection into an unsigned transaction.
type BuildRequest struct {
	Selection Selection
	Payees    []Payee
	// ChangeScript is where change goes; required when the selection has change. The caller must
	// have checked that it is the wallet's own next change address.
	ChangeScript []byte
	// LockTime is the current tip height: like Core, it stops miners from profitably re-mining
	// the last block (anti fee sniping).
	LockTime uint32
	// Rand shuffles inputs and outputs so their order tells an observer nothing.
	Rand *rand.Rand
}

// Built is an unsigned transaction and where its parts ended up.
type Built struct {
	Tx *wire.MsgTx
	// Inputs are the coins in the transaction's input order.
	Inputs []Coin
	// PayeeIndex[i] is the output index of payee i.
	PayeeIndex []int
	// ChangeIndex is the change output's index, or -1.
	ChangeIndex int
}

// Build makes the unsigned transaction: version 2, every input signalling RBF, inputs and
// outputs in random order, lock time at the tip. It checks that the amounts add up to the
// selection's fee exactly.
func Build(req BuildRequest) (*Built, error) {
	sel := req.Selection
	if len(sel.Inputs) == 0 {
		return nil, fmt.Errorf("build: %w: no inputs", ErrInvalidRequest)
	}
	if len(req.Payees) == 0 {
		return nil, fmt.Errorf("build: %w", ErrNoPayees)
	}
	if sel.Change > 0 && len(req.ChangeScript) == 0 {
		return nil, fmt.Errorf("build: %w", ErrChangeScript)
	}
	if req.Rand == nil {
		return nil, fmt.Errorf("build: %w: no random source", ErrInvalidRequest)
	}
	var in, out Amount
	for _, c := range sel.Inputs {
		in += c.Value
	}
	for i, p := range req.Payees {
		if p.Value < p.DustLimit() {
			return nil, &DustError{Index: i, Value: p.Value, Min: p.DustLimit(), Type: p.Type}
		}
		out += p.Value
	}
	out += sel.Change
	if in-out != sel.Fee {
		return nil, fmt.Errorf("build: %w: inputs %d - outputs %d != fee %d", ErrInvalidRequest, in, out, sel.Fee)
	}

	tx := wire.NewMsgTx(TxVersion)
	tx.LockTime = req.LockTime
	inputs := append([]Coin(nil), sel.Inputs...)
	req.Rand.Shuffle(len(inputs), func(i, j int) { inputs[i], inputs[j] = inputs[j], inputs[i] })
	for _, c := range inputs {
		op := c.OutPoint
		ti := wire.NewTxIn(&op, nil, nil)
		ti.Sequence = SequenceRBF
		tx.AddTxIn(ti)
	}
	// Output slots: payees 0..n-1, then change as n.
	order := make([]int, len(req.Payees))
	for i := range order {
		order[i] = i
	}
	if sel.Change > 0 {
		order = append(order, len(req.Payees))
	}
	req.Rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	b := &Built{Tx: tx, Inputs: inputs, PayeeIndex: make([]int, len(req.Payees)), ChangeIndex: -1}
	for pos, slot := range order {
		if slot == len(req.Payees) {
			tx.AddTxOut(wire.NewTxOut(int64(sel.Change), req.ChangeScript))
			b.ChangeIndex = pos
			continue
		}
		p := req.Payees[slot]
		tx.AddTxOut(wire.NewTxOut(int64(p.Value), p.PkScript))
		b.PayeeIndex[slot] = pos
	}
	return b, nil
}
