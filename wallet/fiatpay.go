package wallet

import (
	"fmt"
	"time"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/fiat"
)

// ConvertPayments sets the satoshi amount of every payment typed in a currency from the price
// p, rounding half up, and returns the conversions for the plan to show before consent. A
// price that is stale, absurd or lacks the currency converts nothing (fiat.ErrBadPrice).
// Payments in satoshis are left exactly as they are.
func ConvertPayments(pays []Payment, p fiat.Price, now time.Time) ([]fiat.Quote, error) {
	var quotes []fiat.Quote
	for i := range pays {
		if pays[i].Fiat == nil {
			continue
		}
		q, err := p.Convert(*pays[i].Fiat, now)
		if err != nil {
			return nil, fmt.Errorf("%s to %s: %w", pays[i].Fiat, pays[i].Address, err)
		}
		pays[i].Amount = txbuilder.Amount(q.Sat)
		quotes = append(quotes, q)
	}
	return quotes, nil
}

// NeedsPrice says whether any payment is typed in a currency.
func NeedsPrice(pays []Payment) bool {
	for _, p := range pays {
		if p.Fiat != nil {
			return true
		}
	}
	return false
}
