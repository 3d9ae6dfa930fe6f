package wallet

import (
	"errors"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// A transaction whose fee satchel cannot compute is neither signed nor broadcast: each input
// must say what it spends.
func TestKnownFee(t *testing.T) {
	script := []byte{0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	mk := func(values ...int64) *psbt.Packet {
		tx := wire.NewMsgTx(2)
		for i := range values {
			tx.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&chainhash.Hash{byte(i + 1)}, 0), nil, nil))
		}
		tx.AddTxOut(wire.NewTxOut(9_000, script))
		p, err := psbt.NewFromUnsignedTx(tx)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range values {
			if v >= 0 {
				p.Inputs[i].WitnessUtxo = wire.NewTxOut(v, script)
			}
		}
		return p
	}
	for _, tc := range []struct {
		name   string
		values []int64 // -1: the input states nothing
		fee    txbuilder.Amount
		err    bool
	}{
		{"every amount stated", []int64{5_000, 5_000}, 1_000, false},
		{"exact: no fee", []int64{9_000}, 0, false},
		{"one foreign input states nothing", []int64{5_000, -1}, 0, true},
		{"outputs worth more than inputs", []int64{5_000, 3_000}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fee, err := knownFee(mk(tc.values...))
			if tc.err {
				if !errors.Is(err, txbuilder.ErrPSBTRefused) {
					t.Fatalf("want a refusal, got fee %d err %v", fee, err)
				}
				return
			}
			if err != nil || fee != tc.fee {
				t.Fatalf("fee %d err %v, want %d", fee, err, tc.fee)
			}
		})
	}
}
