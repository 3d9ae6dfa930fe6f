package netutil

import (
	"strings"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// maxRefusalText bounds the server's text kept in a BroadcastError: ElectrumX appends the
// whole transaction to some refusals.
const maxRefusalText = 1000

// rejectRules map reject texts of Bitcoin Core and btcd (relayed by Esplora and Electrum
// servers) to causes. The first matching rule wins, so the order matters: "dust" also comes
// with "non-standard"; "insufficient fee, rejecting replacement" is a conflict a higher fee
// resolves, hence a fee problem.
var rejectRules = []struct {
	cause   chain.BroadcastCause
	needles []string
}{
	{chain.CauseAlreadyInChain, []string{
		"txn-already-in-mempool", "txn-already-known", "already in block chain",
		"already have transaction", "transaction already exists", "outputs already in utxo set",
		"already in the mempool",
	}},
	{chain.CauseDust, []string{"dust"}},
	{chain.CauseFeeTooLow, []string{
		"min relay fee not met", "mempool min fee not met", "min-fee-not-met", "insufficient fee",
		"insufficient priority", "under the required amount", "due to low fees",
		"insufficient absolute fee", "mempool full", "fee is too low",
	}},
	{chain.CauseConflict, []string{
		"txn-mempool-conflict", "bad-txns-inputs-missingorspent", "missingorspent",
		"already spent", "double spend", "fully-spent", "missing-inputs", "missing inputs",
		"conflict",
	}},
	{chain.CauseNonStandard, []string{"non-standard", "nonstandard", "not standard"}},
}

// RejectCause classifies a server's reject text the same way for every backend.
func RejectCause(msg string) chain.BroadcastCause {
	m := strings.ToLower(msg)
	for _, r := range rejectRules {
		for _, n := range r.needles {
			if strings.Contains(m, n) {
				return r.cause
			}
		}
	}
	return chain.CauseOther
}

// Refusal turns a server's reject text into a *chain.BroadcastError, keeping the text (trimmed
// and cut to a sane length).
func Refusal(msg string) *chain.BroadcastError {
	text := strings.TrimSpace(msg)
	if len(text) > maxRefusalText {
		text = text[:maxRefusalText] + "..."
	}
	return &chain.BroadcastError{Cause: RejectCause(msg), Message: text}
}
