package wallet

import (
	"bytes"
	"errors"
	"testing"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// CheckDust names a payee below its limit by its place as given, and leaves to the plan the
// payees that merge (together they may be worth an output), fiat amounts and sweeps.
func TestCheckDust(t *testing.T) {
	other := append([]byte{0x00, 0x14}, bytes.Repeat([]byte{8}, 20)...)
	pay := func(script []byte, amt txbuilder.Amount) Payment {
		return Payment{Script: script, Type: txbuilder.P2WPKH, Amount: amt}
	}
	for _, tc := range []struct {
		name  string
		pays  []Payment
		sweep bool
		index int // -1: no error
	}{
		{"one payee below", []Payment{pay(foreignWPKH, 100)}, false, 0},
		{"the second payee below", []Payment{pay(foreignWPKH, 1000), pay(other, 293)}, false, 1},
		{"at the limit", []Payment{pay(foreignWPKH, 294)}, false, -1},
		{"two to one address merge above the limit", []Payment{pay(foreignWPKH, 200), pay(foreignWPKH, 200)}, false, -1},
		{"a sweep has no amount yet", []Payment{pay(foreignWPKH, 0)}, true, -1},
	} {
		err := CheckDust(tc.pays, tc.sweep)
		var de *txbuilder.DustError
		if tc.index < 0 && err != nil || tc.index >= 0 && (!errors.As(err, &de) || de.Index != tc.index) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
