package wallet

import (
	"context"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// forgetful is a backend that has none of the transactions it is asked for by id, as the p2p
// light client for a transaction in a block it never downloaded.
type forgetful struct{ chain.Backend }

func (forgetful) Transactions(_ context.Context, ids []chainhash.Hash) ([]*wire.MsgTx, error) {
	return make([]*wire.MsgTx, len(ids)), nil
}

// A stranger's parent whose inputs the backend cannot give: refused with
// ErrParentInputsUnknown, priced from the user's word when given; when the backend can count
// the fee, a different word is refused.
func TestCPFPParentFee(t *testing.T) {
	w := newWallet(t, txbuilder.P2WPKH, false)
	c := chaintest.New()
	funding := chaintest.Pay(1, out(200_000, foreignWPKH))
	c.Mine(1, funding)
	parent := spendWPKH(funding.TxHash(), 0, out(50_000, script(t, w, 0, 0)), out(149_800, foreignWPKH)) // 200 sat fee
	c.AddMempool(parent)
	mustSync(t, w, c, 0)
	fee := func(v txbuilder.Amount) *txbuilder.Amount { return &v }
	for _, tc := range []struct {
		name      string
		be        chain.Backend
		parentFee *txbuilder.Amount
		wantFee   txbuilder.Amount
		wantErr   error
	}{
		{"counted from the backend", c, nil, 200, nil},
		{"counted, and the same word", c, fee(200), 200, nil},
		{"counted, and another word", c, fee(300), 0, ErrBadInput},
		{"inputs unknown, no word", forgetful{c}, nil, 0, ErrParentInputsUnknown},
		{"inputs unknown, the user's word", forgetful{c}, fee(250), 250, nil},
		{"a negative word", forgetful{c}, fee(-1), 0, ErrBadInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cp, err := w.PlanCPFPFor(context.Background(), tc.be, CPFPRequest{Parent: parent.TxHash(),
				FeeRate: txbuilder.SatPerVB(5), ParentFee: tc.parentFee})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cp.ParentFee != tc.wantFee {
				t.Fatalf("parent fee %d, want %d", cp.ParentFee, tc.wantFee)
			}
			pkg := cp.ParentVSize + cp.VSize
			if paid := cp.ParentFee + cp.Selection.Fee; paid < txbuilder.SatPerVB(5).FeeForVSize(pkg) {
				t.Fatalf("package of %d vB pays %d sat, below 5 sat/vB", pkg, paid)
			}
		})
	}
}
