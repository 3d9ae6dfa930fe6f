package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
	"github.com/satchel-wallet/satchel/wallet/fiat"
)

// fxState is what one command learned about the price: fetched at most once per run.
type fxState struct {
	fetched bool
	price   fiat.Price
	err     error
	// quotes are the conversions of fiat amounts the plan shows before consent.
	quotes []fiat.Quote
}

// fiatJSON is the fiat object beside satoshi fields (CONVENTIONS: plans and balances).
type fiatJSON struct {
	Currency string    `json:"currency"`
	Amount   string    `json:"amount"`
	Rate     string    `json:"rate"`
	Time     time.Time `json:"time"`
	Source   string    `json:"source"`
	// rate is Rate in micro-units, for the text lines.
	rate int64
}

// checkCurrencyFold is checkCurrency in any case (config fiat usd is USD, as amounts take 5usd).
func checkCurrencyFold(v string) error { return checkCurrency(strings.ToUpper(v)) }

// checkCurrency checks config fiat: an ISO 4217 code.
func checkCurrency(v string) error {
	if len(v) != 3 || strings.ToUpper(v) != v || strings.ContainsFunc(v, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		return errors.New("must be an ISO 4217 code of three letters, like USD or EUR")
	}
	if !fiat.KnownCurrency(v) {
		return errors.New("is not a currency code (ISO 4217): use one such as USD, EUR, GBP, CAD, CHF, AUD or JPY (the ones mempool.space prices)")
	}
	return nil
}

// checkPriceSource checks config price-source: an http(s) URL answering like mempool's
// /api/v1/prices.
func checkPriceSource(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > 2048 {
		return errors.New("must be an http(s) URL answering like https://mempool.space/api/v1/prices")
	}
	return nil
}

// parsePayAmount reads an amount typed for a payment: satoshis or bitcoin (txbuilder), or a
// fiat amount (5usd), which is converted later at the price of the moment.
func parsePayAmount(s string) (txbuilder.Amount, *fiat.Amount, error) {
	if fiat.Looks(s) {
		f, err := fiat.ParseAmount(s)
		if err != nil {
			return 0, nil, usagef("bad_amount", err.Error())
		}
		return 0, &f, nil
	}
	v, err := txbuilder.ParseAmount(s)
	if err != nil && strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Sc, r) }) >= 0 {
		// $5, 5€: a currency is written by its code after the number.
		return 0, nil, usagef("bad_amount", fmt.Sprintf("bad amount %s: write a currency by its code after the number, like 5usd or 2.50eur (or the amount in sat or btc)", quoteArg(s)))
	}
	return v, nil, err
}

// quoteArg quotes a user's argument for an error, cut short and with control characters escaped.
func quoteArg(s string) string { return strconv.Quote(clipArg(s)) }

// isAmountText says whether s reads as any amount a payment takes (sat, btc or fiat).
func isAmountText(s string) bool {
	_, _, err := parsePayAmount(s)
	return err == nil
}

// priceSource is config price-source, or the network's default (none on test networks).
func (a *App) priceSource(w *wallet.Wallet) (string, error) {
	v, err := a.setting(w, "price-source")
	if err != nil || v != "" {
		return v, err
	}
	return fiat.DefaultSources[a.flags.network], nil
}

// fetchPrice asks the price source once per command; later calls return the same answer.
func (a *App) fetchPrice(ctx context.Context, w *wallet.Wallet) (fiat.Price, error) {
	if a.fx.fetched {
		return a.fx.price, a.fx.err
	}
	a.fx.fetched = true
	if a.flags.offline {
		a.fx.err = fmt.Errorf("%w: --offline asks nothing of the network", fiat.ErrUnreachable)
		return fiat.Price{}, a.fx.err
	}
	src, err := a.priceSource(w)
	if err != nil {
		a.fx.err = err
		return fiat.Price{}, err
	}
	proxy, err := a.setting(w, "proxy")
	if err != nil {
		a.fx.err = err
		return fiat.Price{}, err
	}
	a.fx.price, a.fx.err = fiat.Client{URL: src, Proxy: proxy}.Fetch(ctx)
	return a.fx.price, a.fx.err
}

// priceErr gives the price's refusals their exit codes: no source or a stale, absurd or
// missing price is the user's to fix (exit 2); a source that does not answer is exit 5.
func priceErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fiat.ErrNoSource):
		return usagef("no_price_source", "a fiat amount needs a price: satchel config set price-source URL (a server answering like https://mempool.space/api/v1/prices)")
	case errors.Is(err, fiat.ErrBadPrice):
		return usagef("price_refused", err.Error())
	case errors.Is(err, fiat.ErrUnreachable):
		if why, ok := priceTrouble(err); ok {
			err = &wrappedMessage{msg: why + ": is it up? check satchel config set price-source URL, or give the amount in sat or btc", err: err}
		}
		return &codedError{exit: exitBackend, code: "price_unreachable", err: err}
	}
	return err
}

// offlineFiat refuses a currency amount under --offline: the two flags ask for opposite things,
// a usage mistake (exit 2) rather than a price source that did not answer (exit 5).
func offlineFiat() error {
	return usagef("offline", "a currency amount is converted at the price of the moment, which --offline does not ask for: drop --offline, or give the amount in sat or btc")
}

// priceTrouble says where and why, in a word, no connection to the price source could be made,
// as for a backend, instead of Go's "Get ...: dial tcp ..." chain.
func priceTrouble(err error) (string, bool) {
	addr, reason, ok := netutil.DialFailure(fmt.Errorf("%w: %w", chain.ErrUnreachable, err))
	if !ok || addr == "" {
		return "", false
	}
	return fmt.Sprintf("cannot reach the price source at %s (%s)", addr, reason), true
}

// convertPays converts the fiat amounts among pays at the price of the moment and keeps the
// conversions for the plan. Satoshi amounts never fetch a price.
func (a *App) convertPays(ctx context.Context, w *wallet.Wallet, pays []wallet.Payment) error {
	if !wallet.NeedsPrice(pays) {
		return nil
	}
	if a.flags.offline {
		return offlineFiat()
	}
	p, err := a.fetchPrice(ctx, w)
	if err != nil {
		return priceErr(err)
	}
	q, err := wallet.ConvertPayments(pays, p, a.Now())
	if err != nil {
		return priceErr(err)
	}
	a.fx.quotes = append(a.fx.quotes, q...)
	for i := range pays {
		if pays[i].Fiat != nil && pays[i].Amount < pays[i].Type.DustLimit() {
			return &codedError{exit: exitCannotPay, code: "below_dust", err: fmt.Errorf("%s is %s, below the dust limit of %s for a %s (nodes do not relay smaller outputs): give a larger amount",
				pays[i].Fiat, fmtSat(int64(pays[i].Amount)), fmtSat(int64(pays[i].Type.DustLimit())), pays[i].Type.AddressKind())}
		}
	}
	return nil
}

// checkPriceSource says, without asking the network, why pays cannot be converted: a currency
// amount under --offline, or no price source for this network. nil when a price may be had.
func (a *App) checkPriceSource(w *wallet.Wallet, pays []wallet.Payment) error {
	if !wallet.NeedsPrice(pays) {
		return nil
	}
	if a.flags.offline {
		return offlineFiat()
	}
	src, err := a.priceSource(w)
	if err != nil {
		return err
	}
	if src == "" {
		return priceErr(fiat.ErrNoSource)
	}
	return nil
}

// displayCurrency is config fiat ("" when unset: no fiat shown).
func (a *App) displayCurrency(w *wallet.Wallet) string {
	v, err := a.setting(w, "fiat")
	if err != nil {
		return ""
	}
	return strings.ToUpper(v)
}

// fiatValue values sat in cur at the price of the moment (fetched once). ok is false when no
// price can be trusted: the caller shows "price unavailable", never a wrong number.
func (a *App) fiatValue(ctx context.Context, w *wallet.Wallet, sat int64, cur string) (*fiatJSON, bool) {
	if cur == "" {
		return nil, false
	}
	p, err := a.fetchPrice(ctx, w)
	if err != nil {
		return nil, false
	}
	return valueAt(p, sat, cur, a.Now())
}

// valueAt values sat in cur at p, judged at now.
func valueAt(p fiat.Price, sat int64, cur string, now time.Time) (*fiatJSON, bool) {
	v, r, err := p.Value(sat, cur, now)
	if err != nil {
		return nil, false
	}
	return &fiatJSON{Currency: cur, Amount: fiat.FormatCents(v), Rate: fiat.FormatMicro(r, 0), Time: jsonTime(p.Time), Source: p.Source, rate: r}, true
}

// fiatText is the text form of a fiat value: "12.34 USD", or "price unavailable".
func fiatText(f *fiatJSON, ok bool) string {
	if !ok {
		return "price unavailable"
	}
	return f.Amount + " " + f.Currency
}

// planFiat adds to a plan the conversions of its fiat amounts and amount_sat's value, in the
// currency typed or else config fiat. Without a trustworthy price the text says "price
// unavailable" and the JSON has no fiat object; the satoshi fields never change.
func (a *App) planFiat(ctx context.Context, w *wallet.Wallet, p *planJSON) {
	cur := a.displayCurrency(w)
	if len(a.fx.quotes) > 0 {
		cur = a.fx.quotes[0].Fiat.Currency
	}
	if cur == "" {
		return
	}
	p.FiatLines = nil
	for _, q := range a.fx.quotes {
		p.FiatLines = append(p.FiatLines, q.String(a.Now()))
	}
	f, ok := a.fiatValue(ctx, w, p.Amount, cur)
	p.Fiat = f
	if !ok {
		p.FiatLines = append(p.FiatLines, "value in "+cur+": price unavailable")
	} else if len(a.fx.quotes) != 1 || a.fx.quotes[0].Sat != p.Amount {
		p.FiatLines = append(p.FiatLines, fmt.Sprintf("amount paid worth %s %s at %s %s/BTC", f.Amount, cur, fiat.FormatRate(f.rate), cur))
	}
}

// keepPrice stores with a payment satchel just made the price this command used, so history
// can show the payment's value at its time. A failure here loses a display, never money.
func (a *App) keepPrice(w *wallet.Wallet, txid fmt.Stringer) {
	if !a.fx.fetched || a.fx.err != nil {
		return
	}
	if err := w.KeepPrice(txid.String(), a.fx.price); err != nil {
		a.warn("price_not_kept", "the payment was sent, but storing its price for history failed: "+err.Error())
	}
}

// convertOne converts a single fiat amount at the price of the moment and shows the
// conversion on stderr.
func (a *App) convertOne(ctx context.Context, w *wallet.Wallet, f fiat.Amount) (txbuilder.Amount, error) {
	if a.flags.offline {
		return 0, offlineFiat()
	}
	p, err := a.fetchPrice(ctx, w)
	if err != nil {
		return 0, priceErr(err)
	}
	q, err := p.Convert(f, a.Now())
	if err != nil {
		return 0, priceErr(err)
	}
	a.warn("fiat_conversion", q.String(a.Now()))
	return txbuilder.Amount(q.Sat), nil
}

// priceForCaps fetches the price when a spending cap is set in a currency: the pipeline
// converts the cap at it. Without a trustworthy price the payment is refused, as a fiat amount
// would be.
func (a *App) priceForCaps(ctx context.Context, w *wallet.Wallet) error {
	l, err := w.Limits()
	if err != nil || !l.HasFiatCaps() {
		return err
	}
	p, err := a.fetchPrice(ctx, w)
	if err == nil {
		_, err = p.Rate(capCurrency(l), a.Now())
	}
	if err != nil {
		return priceErr(fmt.Errorf("a spending cap is set in %s: %w", capCurrency(l), err))
	}
	w.SetPrice(p)
	return nil
}

func capCurrency(l wallet.Limits) string {
	if l.PerPaymentFiat != nil {
		return l.PerPaymentFiat.Currency
	}
	return l.DailyFiat.Currency
}

// checkFiatAt checks history's --fiat-at, before the wallet is opened or synced.
func checkFiatAt(at string) error {
	if at != "" && at != "now" {
		return usagef("bad_fiat_at", fmt.Sprintf("--fiat-at %q: the only value is now (without it: the price kept with each payment)", clipArg(at)))
	}
	return nil
}

// historyFiat returns what adds config fiat's value to a history row: at the price kept with
// each payment satchel made (other rows have none: "-"), or with --fiat-at now at today's
// price for every row. Without config fiat it adds nothing.
func (a *App) historyFiat(ctx context.Context, w *wallet.Wallet, at string) (func(*historyJSON), error) {
	if err := checkFiatAt(at); err != nil {
		return nil, err
	}
	cur := a.displayCurrency(w)
	if cur == "" {
		if at != "" {
			return nil, usagef("no_fiat", "--fiat-at needs a currency: satchel config set fiat USD")
		}
		return func(*historyJSON) {}, nil
	}
	if at == "now" {
		p, err := a.fetchPrice(ctx, w)
		if err == nil {
			_, err = p.Rate(cur, a.Now())
		}
		if err != nil {
			why := err.Error()
			if w, ok := priceTrouble(err); ok {
				why = w
			} else if a.flags.offline {
				why = "--offline asks for no price"
			}
			a.warn("price_unavailable", "price unavailable: "+why)
		}
		return func(h *historyJSON) {
			var f *fiatJSON
			ok := false
			if err == nil {
				f, ok = valueAt(p, h.Amount, cur, a.Now())
			}
			h.Fiat, h.FiatText = f, fiatText(f, ok)
		}, nil
	}
	kept, err := w.KeptPrices()
	if err != nil {
		return nil, err
	}
	return func(h *historyJSON) {
		p, ok := kept[h.TxID]
		if !ok {
			h.FiatText = "-"
			return
		}
		// Judged at the price's own time: it was fresh when the payment was made.
		f, ok := valueAt(p, h.Amount, cur, p.Time)
		h.Fiat, h.FiatText = f, fiatText(f, ok)
	}, nil
}
