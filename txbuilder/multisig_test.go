package txbuilder

import "testing"

func TestMultisigTypes(t *testing.T) {
	tests := []struct {
		m, n   int
		weight Weight
		name   string
	}{
		// 2-of-3: 164 + count 1 + empty 1 + 2x73 + len 1 + script 105 = 418 WU (104.5 vB).
		{2, 3, 418, "wsh-multi-2-of-3"},
		{1, 1, 164 + 1 + 1 + 73 + 1 + 37, "wsh-multi-1-of-1"},
		// 7 keys: a 241-byte script, one length byte; 8 keys: 275 bytes, three.
		{7, 7, 164 + 1 + 1 + 7*73 + 1 + 241, "wsh-multi-7-of-7"},
		{8, 8, 164 + 1 + 1 + 8*73 + 3 + 275, "wsh-multi-8-of-8"},
		{15, 15, 164 + 1 + 1 + 15*73 + 3 + 513, "wsh-multi-15-of-15"},
	}
	for _, tc := range tests {
		typ := P2WSHMultisig(tc.m, tc.n)
		m, n, ok := typ.Multisig()
		if !ok || m != tc.m || n != tc.n {
			t.Errorf("%d-of-%d: Multisig() = %d, %d, %v", tc.m, tc.n, m, n, ok)
		}
		if got := typ.InputWeight(); got != tc.weight {
			t.Errorf("%d-of-%d: input weight %d, want %d", tc.m, tc.n, got, tc.weight)
		}
		if typ.String() != tc.name || typ.OutputWeight() != P2WSH.OutputWeight() || typ.DustLimit() != 330 {
			t.Errorf("%d-of-%d: %s %d %d", tc.m, tc.n, typ, typ.OutputWeight(), typ.DustLimit())
		}
	}
	for _, bad := range [][2]int{{0, 1}, {3, 2}, {1, 16}, {16, 16}} {
		if typ := P2WSHMultisig(bad[0], bad[1]); typ != ScriptUnknown {
			t.Errorf("%v: %s, want unknown", bad, typ)
		}
	}
	for _, single := range []ScriptType{ScriptUnknown, P2PKH, P2WPKH, P2TR, P2WSH} {
		if _, _, ok := single.Multisig(); ok {
			t.Errorf("%s reads as multisig", single)
		}
	}
}
