package wallet

import (
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// A server reports a pending transaction spending the wallet's coin to an address of its
// choosing (no valid signature needed: the txid commits to none). Its fee is "known" since every
// input is the wallet's, but the wallet never signed it: bumping it would pay the server's payee.
func TestBumpRefusesATransactionAServerInvented(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	funding := chaintest.Pay(1, out(100_000, script(t, w, 0, 0)))
	c.Mine(1, funding)
	fh := funding.TxHash()
	invented := wire.NewMsgTx(2)
	in := wire.NewTxIn(wire.NewOutPoint(&fh, 0), nil, wire.TxWitness{{1}, {2}})
	in.Sequence = wire.MaxTxInSequenceNum - 2
	invented.AddTxIn(in)
	invented.AddTxOut(out(99_000, foreignWPKH))
	c.AddMempool(invented)
	mustSync(t, w, c, 0)
	_, err := w.PlanBump(BumpRequest{TxID: invented.TxHash(), FeeRate: txbuilder.SatPerVB(20), RelayFee: txbuilder.SatPerVB(1)})
	if !errors.Is(err, ErrNotReplaceable) || !strings.Contains(err.Error(), "not sent by this wallet") {
		t.Fatalf("PlanBump of a server's invention: %v", err)
	}
}
