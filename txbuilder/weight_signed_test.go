package txbuilder

import (
	"fmt"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// The weight the selector estimates is never below the signed transaction's, for every input
// type alone and mixed (a legacy input in a segwit transaction carries an empty witness),
// with many keys so that 72-byte (high-R) ECDSA signatures occur, and at the input counts
// where the count prefix grows.
func TestEstimateNeverBelowSignedWeight(t *testing.T) {
	mixes := [][]ScriptType{
		{P2TR}, {P2WPKH}, {P2SHP2WPKH}, {P2PKH},
		{P2TR, P2PKH}, {P2WPKH, P2PKH}, {P2SHP2WPKH, P2PKH}, {P2PKH, P2PKH, P2TR},
		{P2TR, P2WPKH, P2SHP2WPKH, P2PKH},
	}
	out := scriptOf(P2TR, testKey(200).PubKey())
	for _, mix := range mixes {
		for _, n := range []int{len(mix), 253} {
			t.Run(fmt.Sprintf("%v/%d", mix, n), func(t *testing.T) {
				keysUsed := 40
				if n > len(mix) {
					keysUsed = 1
				}
				for seed := 0; seed < keysUsed; seed++ {
					tx := wire.NewMsgTx(2)
					var prev []PrevOut
					var ks []*btcec.PrivateKey
					var inWeight Weight
					for i := 0; i < n; i++ {
						typ := mix[i%len(mix)]
						k := testKey(byte(1 + (seed*7+i%len(mix))%250)) // never 0, an invalid key
						pk := scriptOf(typ, k.PubKey())
						p := PrevOut{Value: 10_000, PkScript: pk, Type: typ}
						if typ == P2SHP2WPKH {
							p.RedeemScript = scriptOf(P2WPKH, k.PubKey())
						}
						op := wire.OutPoint{Hash: chainhash.Hash{byte(seed), byte(i), byte(i >> 8)}, Index: uint32(i)}
						tx.AddTxIn(wire.NewTxIn(&op, nil, nil))
						prev, ks = append(prev, p), append(ks, k)
						inWeight += typ.InputWeight()
					}
					tx.AddTxOut(wire.NewTxOut(int64(n)*10_000-5_000, out))
					if err := Sign(tx, prev, func(i int) (*btcec.PrivateKey, error) { k := *ks[i]; return &k, nil }); err != nil {
						t.Fatal(err)
					}
					est := EstimateTxWeight(n, 1, inWeight, P2TR.OutputWeight())
					if real := TxWeight(tx); real > est {
						t.Fatalf("key set %d: signed weight %d above the estimate %d", seed, real, est)
					}
				}
			})
		}
	}
}
