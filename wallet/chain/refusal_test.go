package chain_test

import (
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// The reject texts every backend meets, in the words their servers use: Bitcoin Core's JSON
// error as Esplora (Electrs) relays it in its 400 body, the daemon's text as ElectrumX wraps
// it, and btcd v0.26.2's own (mempool/mempool.go, mempool/policy.go, rpcserver.go) as
// sendrawtransaction returns them.
func TestRejectCause(t *testing.T) {
	const id = "6c3a5c0c2b1a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e"
	for _, tc := range []struct {
		name string
		msg  string
		want chain.BroadcastCause
	}{
		// Esplora relays bitcoind's JSON error in its 400 body.
		{"esplora: mempool conflict", `sendrawtransaction RPC error: {"code":-26,"message":"txn-mempool-conflict"}`, chain.CauseConflict},
		{"esplora: already in the chain", `sendrawtransaction RPC error: {"code":-27,"message":"Transaction already in block chain"}`, chain.CauseAlreadyInChain},
		{"esplora: min relay fee", `sendrawtransaction RPC error: {"code":-26,"message":"min relay fee not met, 100 < 141"}`, chain.CauseFeeTooLow},
		{"esplora: mempool min fee", `sendrawtransaction RPC error: {"code":-26,"message":"mempool min fee not met, 500 < 900"}`, chain.CauseFeeTooLow},
		{"esplora: dust", `sendrawtransaction RPC error: {"code":-26,"message":"dust"}`, chain.CauseDust},
		{"esplora: inputs missing or spent", `sendrawtransaction RPC error: {"code":-25,"message":"bad-txns-inputs-missingorspent"}`, chain.CauseConflict},
		{"esplora: already known", `sendrawtransaction RPC error: {"code":-26,"message":"txn-already-known"}`, chain.CauseAlreadyInChain},
		{"esplora: replacement fee too low", `sendrawtransaction RPC error: {"code":-26,"message":"insufficient fee, rejecting replacement 1234; new feerate 0.00001 <= old feerate 0.00002"}`, chain.CauseFeeTooLow},
		{"esplora: bad script", `sendrawtransaction RPC error: {"code":-26,"message":"scriptpubkey"}`, chain.CauseOther},
		{"esplora: bad signature", `sendrawtransaction RPC error: {"code":-26,"message":"non-mandatory-script-verify-flag (Signature must be zero for failed CHECK(MULTI)SIG operation)"}`, chain.CauseOther},
		// ElectrumX wraps the daemon's text.
		{"electrumx: mempool conflict", "the transaction was rejected by network rules.\n\ntxn-mempool-conflict\n[0200...]", chain.CauseConflict},
		{"electrumx: outputs in the utxo set", "the transaction was rejected by network rules.\n\nTransaction outputs already in utxo set", chain.CauseAlreadyInChain},
		// btcd's texts, as relayed by a server.
		{"btcd relayed: under the required fee", "rejected transaction 1234: transaction 1234 has 1000 fees which is under the required amount of 2000", chain.CauseFeeTooLow},
		{"btcd relayed: spent in the mempool", "output 1234:0 already spent by transaction 5678 in the memory pool", chain.CauseConflict},
		{"btcd relayed: dust", "transaction 1234 is not standard: transaction output 0: payment of 100 is dust", chain.CauseDust},
		{"btcd relayed: version", "transaction 1234 is not standard: version 9", chain.CauseNonStandard},
		{"btcd relayed: already have", "already have transaction 1234", chain.CauseAlreadyInChain},
		{"new words", "something new", chain.CauseOther},
		// btcd's sendrawtransaction.
		{"btcd: already in the mempool", "TX rejected: already have transaction in mempool " + id,
			chain.CauseAlreadyInChain},
		{"btcd: already confirmed", "TX rejected: transaction already exists in blockchain",
			chain.CauseAlreadyInChain},
		{"btcd: dust, which is also non-standard", "TX rejected: transaction " + id +
			" is not standard: transaction output 0: payment is dust: 293", chain.CauseDust},
		{"btcd: no fee at all", "TX rejected: transaction " + id +
			" has 0 fees which is under the required amount of 141", chain.CauseFeeTooLow},
		{"btcd: free and low priority", "TX rejected: transaction " + id +
			" has insufficient priority (0 <= 5.76e+07)", chain.CauseFeeTooLow},
		{"btcd: rate limited", "TX rejected: transaction " + id +
			" has been rejected by the rate limiter due to low fees", chain.CauseFeeTooLow},
		{"btcd: replacement below the old rate", "TX rejected: " + id +
			": replacement transaction has an insufficient fee rate: needs more than 2000, has 1000",
			chain.CauseFeeTooLow},
		{"btcd: replacement below the old fee", "TX rejected: " + id +
			": replacement transaction has an insufficient absolute fee: needs 400, has 300",
			chain.CauseFeeTooLow},
		{"btcd: core's wording", "min relay fee not met, 100 < 141", chain.CauseFeeTooLow},
		{"btcd: conflict in the mempool", "TX rejected: output already spent in mempool: output=" +
			id + ":0, tx=" + id, chain.CauseConflict},
		{"btcd: input spent in the chain", "TX rejected: orphan transaction " + id +
			" references outputs of unknown or fully-spent transaction " + id, chain.CauseConflict},
		{"btcd: replacement evicting too much", "TX rejected: " + id +
			": replacement transaction evicts more transactions than permitted: max is 100",
			chain.CauseConflict},
		{"btcd: bad version", "TX rejected: transaction " + id +
			" is not standard: transaction version 4 is not in the valid range of 1-3",
			chain.CauseNonStandard},
		{"btcd: non-standard input", "TX rejected: transaction " + id +
			" has a non-standard input: transaction input #0 has a non-standard script form",
			chain.CauseNonStandard},
		{"btcd: lone coinbase", "TX rejected: transaction is an individual coinbase " + id,
			chain.CauseOther},
		{"btcd: bad signature", "TX rejected: failed to validate input " + id +
			":0 which references output " + id + ":0 - signature not empty on failed checksig",
			chain.CauseOther},
		{"btcd: undecodable", "TX decode failed: unexpected EOF", chain.CauseOther},
		{"empty", "", chain.CauseOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := chain.RejectCause(tc.msg); got != tc.want {
				t.Fatalf("RejectCause(%q) = %s, want %s", tc.msg, got, tc.want)
			}
		})
	}
}

func TestRefusalKeepsTheServersWords(t *testing.T) {
	e := chain.Refusal("  min relay fee not met\n")
	if e.Cause != chain.CauseFeeTooLow || e.Message != "min relay fee not met" {
		t.Fatalf("got %+v", e)
	}
	long := chain.Refusal("txn-mempool-conflict " + strings.Repeat("ab", 5000))
	if len(long.Message) > 1010 || !strings.HasPrefix(long.Message, "txn-mempool-conflict") {
		t.Fatalf("long refusal kept %d bytes", len(long.Message))
	}
}
