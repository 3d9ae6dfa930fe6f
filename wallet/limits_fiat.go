package wallet

import (
	"fmt"
	"time"

	"github.com/satchel-wallet/satchel/wallet/fiat"
)

// SetPrice gives the wallet the price of bitcoin its command fetched, for the caps set in a
// currency: they are converted at it on every check.
func (w *Wallet) SetPrice(p fiat.Price) { w.price = &p }

// HasFiatCaps says whether a cap is set in a currency, so the caller knows a price is needed.
func (l Limits) HasFiatCaps() bool { return l.PerPaymentFiat != nil || l.DailyFiat != nil }

// capsInSat returns l with its currency caps converted to satoshis at the wallet's price. A
// cap that cannot be converted (no price, or a stale or absurd one) refuses the payment: a cap
// that cannot be judged must not let it through.
func (w *Wallet) capsInSat(l Limits, now time.Time) (Limits, error) {
	conv := func(name string, a *fiat.Amount) (int64, error) {
		if w.price == nil {
			return 0, fmt.Errorf("%w: %s is %s and no price of bitcoin is at hand to convert it", ErrLimitExceeded, name, a)
		}
		q, err := w.price.Convert(*a, now)
		if err != nil {
			return 0, fmt.Errorf("%w: %s is %s: %v", ErrLimitExceeded, name, a, err)
		}
		return q.Sat, nil
	}
	var err error
	if l.PerPaymentFiat != nil {
		if l.PerPayment, err = conv("limit.per-payment", l.PerPaymentFiat); err != nil {
			return l, err
		}
	}
	if l.DailyFiat != nil {
		if l.Daily, err = conv("limit.daily", l.DailyFiat); err != nil {
			return l, err
		}
	}
	return l, nil
}

// fiatLooser says whether a cap slot (satoshis n or currency nf, against o or of) got looser
// where a currency is involved: removed, raised in the same currency, or moved to another
// currency or unit, whose worth against the old cap changes with the price.
func fiatLooser(n int64, nf *fiat.Amount, o int64, of *fiat.Amount) bool {
	switch {
	case nf == nil && of == nil:
		return false // satoshis only: Loosens compares them
	case of == nil:
		return o > 0 // a satoshi cap became a currency one
	case nf == nil:
		return true // a currency cap removed or turned into satoshis
	}
	return nf.Currency != of.Currency || nf.Micro > of.Micro
}
