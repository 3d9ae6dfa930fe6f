package chain

import "strings"

// maxRefusalText bounds the server's text kept in a BroadcastError: ElectrumX appends the
// whole transaction to some refusals.
const maxRefusalText = 1000

// rejectRules map the reject texts of Bitcoin Core and btcd, as their RPCs return them and as
// Esplora (Electrs) and Electrum servers (ElectrumX, Fulcrum) relay them, and the reasons of
// BIP61 reject messages from peers, to causes: the one table every backend uses. The first
// matching rule wins, so the order matters: "dust" also comes with "non-standard"
// (btcd: "is not standard: ... payment is dust"); "insufficient fee, rejecting replacement"
// is a conflict a higher fee resolves, hence a fee problem; btcd calls a spend of an output
// already spent in the chain an orphan of "unknown or fully-spent" outputs, which for a
// wallet whose inputs came from its own history means a conflict.
var rejectRules = []struct {
	cause   BroadcastCause
	needles []string
}{
	{CauseAlreadyInChain, []string{
		"txn-already-in-mempool", "txn-already-known", "already in block chain",
		"already have transaction", "transaction already exists", "outputs already in utxo set",
		"already in the mempool",
	}},
	{CauseDust, []string{"dust"}},
	{CauseFeeTooLow, []string{
		"min relay fee not met", "mempool min fee not met", "min-fee-not-met", "insufficient fee",
		"insufficient priority", "under the required amount", "due to low fees",
		"insufficient absolute fee", "mempool full", "fee is too low",
	}},
	{CauseConflict, []string{
		"txn-mempool-conflict", "bad-txns-inputs-missingorspent", "missingorspent",
		"already spent", "double spend", "fully-spent", "missing-inputs", "missing inputs",
		"conflict", "evicts more transactions",
	}},
	{CauseNonStandard, []string{"non-standard", "nonstandard", "not standard"}},
}

// RejectCause classifies a server's or node's reject text the same way for every backend.
func RejectCause(msg string) BroadcastCause {
	m := strings.ToLower(msg)
	for _, r := range rejectRules {
		for _, n := range r.needles {
			if strings.Contains(m, n) {
				return r.cause
			}
		}
	}
	return CauseOther
}

// Refusal turns a reject text into the *BroadcastError every backend's Broadcast returns, keeping the text (trimmed
// and cut to a sane length).
func Refusal(msg string) *BroadcastError {
	text := strings.TrimSpace(msg)
	if len(text) > maxRefusalText {
		text = text[:maxRefusalText] + "..."
	}
	return &BroadcastError{Cause: RejectCause(msg), Message: text}
}
