package btcd_test

import (
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

// The messages are btcd v0.26.2's own (mempool/mempool.go, mempool/policy.go, rpcserver.go),
// as sendrawtransaction returns them.
func TestRejectCause(t *testing.T) {
	const id = "6c3a5c0c2b1a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e"
	for _, tc := range []struct {
		name string
		msg  string
		want chain.BroadcastCause
	}{
		{"already in the mempool", "TX rejected: already have transaction in mempool " + id,
			chain.CauseAlreadyInChain},
		{"already confirmed", "TX rejected: transaction already exists in blockchain",
			chain.CauseAlreadyInChain},
		{"dust, which is also non-standard", "TX rejected: transaction " + id +
			" is not standard: transaction output 0: payment is dust: 293", chain.CauseDust},
		{"no fee at all", "TX rejected: transaction " + id +
			" has 0 fees which is under the required amount of 141", chain.CauseFeeTooLow},
		{"free and low priority", "TX rejected: transaction " + id +
			" has insufficient priority (0 <= 5.76e+07)", chain.CauseFeeTooLow},
		{"rate limited", "TX rejected: transaction " + id +
			" has been rejected by the rate limiter due to low fees", chain.CauseFeeTooLow},
		{"replacement below the old rate", "TX rejected: " + id +
			": replacement transaction has an insufficient fee rate: needs more than 2000, has 1000",
			chain.CauseFeeTooLow},
		{"replacement below the old fee", "TX rejected: " + id +
			": replacement transaction has an insufficient absolute fee: needs 400, has 300",
			chain.CauseFeeTooLow},
		{"core's wording", "min relay fee not met, 100 < 141", chain.CauseFeeTooLow},
		{"conflict in the mempool", "TX rejected: output already spent in mempool: output=" +
			id + ":0, tx=" + id, chain.CauseConflict},
		{"input spent in the chain", "TX rejected: orphan transaction " + id +
			" references outputs of unknown or fully-spent transaction " + id, chain.CauseConflict},
		{"replacement evicting too much", "TX rejected: " + id +
			": replacement transaction evicts more transactions than permitted: max is 100",
			chain.CauseConflict},
		{"bad version", "TX rejected: transaction " + id +
			" is not standard: transaction version 4 is not in the valid range of 1-3",
			chain.CauseNonStandard},
		{"non-standard input", "TX rejected: transaction " + id +
			" has a non-standard input: transaction input #0 has a non-standard script form",
			chain.CauseNonStandard},
		{"lone coinbase", "TX rejected: transaction is an individual coinbase " + id,
			chain.CauseOther},
		{"bad signature", "TX rejected: failed to validate input " + id +
			":0 which references output " + id + ":0 - signature not empty on failed checksig",
			chain.CauseOther},
		{"undecodable", "TX decode failed: unexpected EOF", chain.CauseOther},
		{"empty", "", chain.CauseOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := btcd.RejectCause(tc.msg); got != tc.want {
				t.Fatalf("RejectCause(%q) = %s, want %s", tc.msg, got, tc.want)
			}
		})
	}
}
