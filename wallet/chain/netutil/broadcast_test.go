package netutil_test

import (
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestRejectCause(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want chain.BroadcastCause
	}{
		// Esplora relays bitcoind's JSON error in its 400 body.
		{`sendrawtransaction RPC error: {"code":-26,"message":"txn-mempool-conflict"}`, chain.CauseConflict},
		{`sendrawtransaction RPC error: {"code":-27,"message":"Transaction already in block chain"}`, chain.CauseAlreadyInChain},
		{`sendrawtransaction RPC error: {"code":-26,"message":"min relay fee not met, 100 < 141"}`, chain.CauseFeeTooLow},
		{`sendrawtransaction RPC error: {"code":-26,"message":"mempool min fee not met, 500 < 900"}`, chain.CauseFeeTooLow},
		{`sendrawtransaction RPC error: {"code":-26,"message":"dust"}`, chain.CauseDust},
		{`sendrawtransaction RPC error: {"code":-25,"message":"bad-txns-inputs-missingorspent"}`, chain.CauseConflict},
		{`sendrawtransaction RPC error: {"code":-26,"message":"txn-already-known"}`, chain.CauseAlreadyInChain},
		{`sendrawtransaction RPC error: {"code":-26,"message":"insufficient fee, rejecting replacement 1234; new feerate 0.00001 <= old feerate 0.00002"}`, chain.CauseFeeTooLow},
		{`sendrawtransaction RPC error: {"code":-26,"message":"scriptpubkey"}`, chain.CauseOther},
		{`sendrawtransaction RPC error: {"code":-26,"message":"non-mandatory-script-verify-flag (Signature must be zero for failed CHECK(MULTI)SIG operation)"}`, chain.CauseOther},
		// ElectrumX wraps the daemon's text.
		{"the transaction was rejected by network rules.\n\ntxn-mempool-conflict\n[0200...]", chain.CauseConflict},
		{"the transaction was rejected by network rules.\n\nTransaction outputs already in utxo set", chain.CauseAlreadyInChain},
		// btcd's texts.
		{"rejected transaction 1234: transaction 1234 has 1000 fees which is under the required amount of 2000", chain.CauseFeeTooLow},
		{"output 1234:0 already spent by transaction 5678 in the memory pool", chain.CauseConflict},
		{"transaction 1234 is not standard: transaction output 0: payment of 100 is dust", chain.CauseDust},
		{"transaction 1234 is not standard: version 9", chain.CauseNonStandard},
		{"already have transaction 1234", chain.CauseAlreadyInChain},
		{"something new", chain.CauseOther},
	} {
		if got := netutil.RejectCause(tc.msg); got != tc.want {
			t.Errorf("RejectCause(%q) = %s, want %s", tc.msg, got, tc.want)
		}
	}
}

func TestRefusalKeepsTheServersWords(t *testing.T) {
	e := netutil.Refusal("  min relay fee not met\n")
	if e.Cause != chain.CauseFeeTooLow || e.Message != "min relay fee not met" {
		t.Fatalf("got %+v", e)
	}
	long := netutil.Refusal("txn-mempool-conflict " + strings.Repeat("ab", 5000))
	if len(long.Message) > 1010 || !strings.HasPrefix(long.Message, "txn-mempool-conflict") {
		t.Fatalf("long refusal kept %d bytes", len(long.Message))
	}
}
