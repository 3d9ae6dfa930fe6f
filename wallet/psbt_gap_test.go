package wallet

import (
	"errors"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// A "change" output at one of the wallet's own addresses far past where sync looks (index
// 2^31-1) would hide the money from the wallet: signing refuses it. Change within the gap
// past the last handed-out address is still the wallet's (planPSBT syncs with a gap of 5 and
// the signing wallet has handed out no change, so sync watches change indexes 0 to 4).
func TestPSBTChangeBeyondGapRefused(t *testing.T) {
	tests := []struct {
		name   string
		index  uint32
		refuse bool
	}{
		{"within the gap", 3, false},
		{"last index watched", 4, false},
		{"just past the gap", 5, true},
		{"index 2^31-1", keys.Hardened - 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hot, _, _, p := planPSBT(t, txbuilder.P2WPKH)
			change := -1
			for i, o := range p.Outputs {
				if len(o.Bip32Derivation) > 0 {
					change = i
				}
			}
			if change < 0 {
				t.Fatal("no change output")
			}
			d, err := hot.main().keys.Derive(keys.Internal, tc.index)
			if err != nil {
				t.Fatal(err)
			}
			p.UnsignedTx.TxOut[change].PkScript = d.PkScript
			der := p.Outputs[change].Bip32Derivation[0]
			der.PubKey = d.PubKey.SerializeCompressed()
			der.Bip32Path[len(der.Bip32Path)-1] = tc.index
			_, err = hot.PlanPSBTSigning(p)
			if tc.refuse {
				if !errors.Is(err, ErrChangeNotOurs) || !errors.Is(err, txbuilder.ErrPSBTRefused) {
					t.Fatalf("change at index %d not refused: %v", tc.index, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("change at index %d refused: %v", tc.index, err)
			}
		})
	}
}
