package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/fiat"
)

// Spending caps live in wallet.db, not in config.toml, and go through config get/set/unset
// under the keys limit.per-payment, limit.daily and limit.allow. Raising or removing a cap, or
// allowing a destination, needs the passphrase; tightening does not.

func isLimitKey(key string) bool { return strings.HasPrefix(key, "limit.") }

var limitKeys = []string{"limit.allow", "limit.daily", "limit.per-payment"}

// limitGet prints a cap's value ("" when unset).
func limitGet(l wallet.Limits, key string) (string, error) {
	switch key {
	case "limit.per-payment":
		return capText(l.PerPayment, l.PerPaymentFiat), nil
	case "limit.daily":
		return capText(l.Daily, l.DailyFiat), nil
	case "limit.allow":
		return strings.Join(l.Allow, " "), nil
	}
	return "", usagef("unknown_config_key", fmt.Sprintf("unknown config key %q: limits are %s", key, strings.Join(limitKeys, ", ")))
}

// capText is a cap as config get prints it: satoshis, or the currency amount ("20.00 USD").
func capText(v int64, f *fiat.Amount) string {
	if f != nil {
		return f.String()
	}
	return capString(v)
}

func capString(v int64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

// limitSet applies "config set KEY VALUE..." (or unset with no values) to l.
func limitSet(w *wallet.Wallet, l wallet.Limits, key string, values []string, unset bool) (wallet.Limits, error) {
	// A cap is satoshis or a currency amount (20usd), never both.
	parseCap := func() (int64, *fiat.Amount, error) {
		if unset {
			return 0, nil, nil
		}
		if len(values) != 1 {
			return 0, nil, usagef("bad_config_value", fmt.Sprintf("config %s takes one amount", key))
		}
		v, f, err := parsePayAmount(values[0])
		if err != nil {
			return 0, nil, usagef("bad_config_value", fmt.Sprintf("config %s: %v", key, err))
		}
		return int64(v), f, nil
	}
	var err error
	switch key {
	case "limit.per-payment":
		l.PerPayment, l.PerPaymentFiat, err = parseCap()
	case "limit.daily":
		l.Daily, l.DailyFiat, err = parseCap()
	case "limit.allow":
		l.Allow = nil
		for _, v := range values {
			if _, err := decodeAddress(v, w); err != nil {
				return l, usagef("bad_config_value", fmt.Sprintf("config limit.allow: %v", err))
			}
			l.Allow = append(l.Allow, v)
		}
	default:
		_, err = limitGet(l, key)
	}
	return l, err
}

// changeLimit runs config set/unset for a limit key: it asks for the passphrase when the change
// loosens the caps, and checks it against the keystore.
func (a *App) changeLimit(key string, values []string, unset bool) error {
	w, err := a.openWallet(true)
	if err != nil {
		return err
	}
	defer w.Close()
	old, err := w.Limits()
	if err != nil {
		return err
	}
	l, err := limitSet(w, old, key, values, unset)
	if err != nil {
		return err
	}
	// A watch-only wallet has no passphrase to ask, and spends nothing by itself: the wallet
	// that signs its PSBTs checks its own caps. So its caps move freely.
	if l.Loosens(old) && !w.Meta().WatchOnly {
		pass, err := a.checkPassphrase(w)
		if err != nil {
			return err
		}
		wipe(pass)
	}
	if err := w.SetLimits(l); err != nil {
		return err
	}
	if a.flags.json {
		if unset {
			// null, as config unset of any other key, not "": the cap is gone, not empty.
			return a.printJSON(map[string]any{"key": key, "value": nil})
		}
		v, _ := limitGet(l, key)
		return a.printConfigValue(key, v)
	}
	return nil
}

// showLimit runs config get for a limit key.
func (a *App) showLimit(key string) (string, error) {
	w, err := a.openWallet(true)
	if err != nil {
		return "", err
	}
	defer w.Close()
	l, err := w.Limits()
	if err != nil {
		return "", err
	}
	return limitGet(l, key)
}
