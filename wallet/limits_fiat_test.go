package wallet

import (
	"testing"

	"github.com/satchel-wallet/satchel/wallet/fiat"
)

func TestLoosensWithFiatCaps(t *testing.T) {
	usd := func(units int64) *fiat.Amount { return &fiat.Amount{Micro: units * fiat.Micro, Currency: "USD"} }
	eur := &fiat.Amount{Micro: 20 * fiat.Micro, Currency: "EUR"}
	for _, tc := range []struct {
		name     string
		old, new Limits
		want     bool
	}{
		{"first cap in a currency tightens", Limits{}, Limits{PerPaymentFiat: usd(20)}, false},
		{"lower in the same currency tightens", Limits{PerPaymentFiat: usd(20)}, Limits{PerPaymentFiat: usd(10)}, false},
		{"higher in the same currency loosens", Limits{PerPaymentFiat: usd(20)}, Limits{PerPaymentFiat: usd(21)}, true},
		{"another currency may be worth more", Limits{PerPaymentFiat: usd(20)}, Limits{PerPaymentFiat: eur}, true},
		{"currency cap removed", Limits{DailyFiat: usd(20)}, Limits{}, true},
		{"satoshi cap to currency cap", Limits{PerPayment: 20_000}, Limits{PerPaymentFiat: usd(20)}, true},
		{"currency cap to satoshi cap", Limits{PerPaymentFiat: usd(20)}, Limits{PerPayment: 1}, true},
		{"daily in a currency, same", Limits{DailyFiat: usd(20)}, Limits{DailyFiat: usd(20)}, false},
	} {
		if got := tc.new.Loosens(tc.old); got != tc.want {
			t.Errorf("%s: Loosens = %v, want %v", tc.name, got, tc.want)
		}
	}
}
