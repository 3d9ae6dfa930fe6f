package wallet

import (
	"encoding/json"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// balanceSummary is the part of the balance that only changes when transactions change, kept
// in the store so an offline balance reads one record (and the frozen coins), not every coin.
type balanceSummary struct {
	Confirmed   int64 `json:"confirmed"`
	Unconfirmed int64 `json:"unconfirmed"`
	Immature    int64 `json:"immature"`
	// Spendable is what send may use at the tip height SpendableTip, frozen coins included:
	// freezing changes no transaction, so it does not rewrite the summary, and Balance takes the
	// frozen coins (a handful) off when it reads. SpendableTip is nil in a summary written before
	// it existed; Balance then adds the coins up itself.
	Spendable    int64  `json:"spendable_with_frozen,omitempty"`
	SpendableTip *int32 `json:"spendable_tip,omitempty"`
}

const summaryKey = "balance-summary"

func putSummary(tx *store.Txn, s balanceSummary) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.PutSetting(summaryKey, string(raw))
}

func readSummary(tx *store.Txn) balanceSummary {
	var s balanceSummary
	if v := tx.Setting(summaryKey); v != "" {
		_ = json.Unmarshal([]byte(v), &s)
	}
	return s
}
