package wallet

import (
	"encoding/json"

	"github.com/satchel-wallet/satchel/wallet/store"
)

// balanceSummary is the part of the balance that only changes when transactions change, kept
// in the store so an offline balance reads one record and the coins.
type balanceSummary struct {
	Confirmed   int64 `json:"confirmed"`
	Unconfirmed int64 `json:"unconfirmed"`
	Immature    int64 `json:"immature"`
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
