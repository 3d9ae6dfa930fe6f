package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
)

// The lines a list with nothing in it prints (text only: --json prints []). Every "nothing
// here" line has one style: a sentence that starts with a capital and ends without a period,
// and where the list is empty for a newcomer, says what fills it.
const (
	emptyHistory   = "No transactions yet: satchel receive gives an address to be paid at"
	emptyCoins     = "No coins: satchel receive gives an address to be paid at"
	emptyTips      = "No tips yet: satchel tip add ADDRESS AMOUNT queues one"
	emptySchedules = "No schedules yet: satchel tip schedule ADDRESS AMOUNT --every 1w makes one"
)

// fmtSat groups digits for people: 21,000 sat. Input never accepts this form.
func fmtSat(v int64) string { return groupDigits(v) + " sat" }

// fmtBTC shows satoshis as bitcoin with all 8 decimals: 0.00021000 BTC, 1,234.50000000 BTC.
func fmtBTC(v int64) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	whole := groupDigits(int64(u / 100_000_000))
	s := fmt.Sprintf("%s.%08d BTC", whole, u%100_000_000)
	if neg {
		return "-" + s
	}
	return s
}

// groupDigits writes an integer with thousands separators: -21,000.
func groupDigits(v int64) string {
	neg := v < 0
	s := strconv.FormatUint(uint64(v), 10)
	if neg {
		s = strconv.FormatUint(uint64(-v), 10)
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// fmtAmount shows an amount in the unit the user chose (--unit, config unit): 21,000 sat or
// 0.00021000 BTC. Human output only; --json always carries integer satoshis.
func (a *App) fmtAmount(v int64) string {
	if a.flags.unit == "btc" {
		return fmtBTC(v)
	}
	return fmtSat(v)
}

// fmtSignedAmount is fmtAmount with a + on gains.
func (a *App) fmtSignedAmount(v int64) string {
	if v > 0 {
		return "+" + a.fmtAmount(v)
	}
	return a.fmtAmount(v)
}

func decodeAddress(s string, w *wallet.Wallet) (*address.Address, error) {
	a, err := address.Decode(s, w.Net())
	return a, addressError(s, err)
}

// plural picks the singular or the plural form for a count: plural(1, "coin", "coins").
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count writes a count with its noun in the right form, digits grouped: "1 coin", "1,204 coins".
func count(n int, one, many string) string { return groupDigits(int64(n)) + " " + plural(n, one, many) }

// age says how long ago something was, as a person says it: "40 seconds", "3 minutes",
// "5 hours", "41 days" (a warning gains nothing from "993h53m19s").
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return count(int(d/time.Second), "second", "seconds")
	case d < time.Hour:
		return count(int(d/time.Minute), "minute", "minutes")
	case d < 48*time.Hour:
		return count(int(d/time.Hour), "hour", "hours")
	}
	return count(int(d/(24*time.Hour)), "day", "days")
}

// addressError tells a person what is wrong with an address they typed, instead of the
// decoder's words ("invalid separator index 43"). An address for another network keeps its
// own message, which already says which network it is for. The code stays bad_address.
func addressError(s string, err error) error {
	if err == nil || errors.Is(err, address.ErrWrongNetwork) {
		return err
	}
	if strings.TrimSpace(s) == "" {
		// An unset variable in a script, most likely: say so rather than quote "".
		return &codedError{exit: exitUsage, code: "bad_address", err: errors.New("the address is empty: give a bitcoin address")}
	}
	msg := err.Error()
	why := ""
	switch {
	case strings.Contains(msg, "checksum"):
		why = "a character is wrong or missing (its checksum does not match)"
	case strings.Contains(msg, "invalid character"), strings.Contains(msg, "charset"), strings.Contains(msg, "character addresses never use"):
		why = "it holds a character addresses never use (such as b, i, o or 1 after bc1)"
	case strings.Contains(msg, "separator"), strings.Contains(msg, "length"), strings.Contains(msg, "too long"), strings.Contains(msg, "too short"):
		why = "it is too short or too long"
	case errors.Is(err, address.ErrUnknownWitnessVersion), errors.Is(err, address.ErrUnsupportedProgram):
		why = "it is a kind of address this wallet cannot pay (" + msg + ")"
	}
	out := fmt.Sprintf("not a bitcoin address: %q", clipArg(s))
	if why != "" {
		out += ": " + why
	}
	return &codedError{exit: exitUsage, code: "bad_address", err: errors.New(out + "; check for a typo")}
}

// isAddressDecodeError says whether err is wallet/address's refusal of the text itself (not
// an address of another network, which says so in its own words).
func isAddressDecodeError(err error) bool {
	return errors.Is(err, address.ErrBadChecksum) || errors.Is(err, address.ErrInvalid) ||
		errors.Is(err, address.ErrUnknownWitnessVersion) || errors.Is(err, address.ErrUnsupportedProgram)
}

// silentAddressError is addressError for a silent payment address (sp1..., tsp1...): the
// bech32 decoder's words ("invalid separator index 2") become what a person can check.
func silentAddressError(s string, err error) error {
	msg := err.Error()
	if errors.Is(err, silentpay.ErrWrongNetwork) {
		// As for other addresses: its own code, the sentinel's words not repeated.
		return usagef("wrong_network", "silent payment address "+strings.TrimPrefix(msg, silentpay.ErrWrongNetwork.Error()+": "))
	}
	if !errors.Is(err, silentpay.ErrInvalidAddress) {
		return usagef("bad_address", "silent payment address: "+msg)
	}
	why := ""
	switch {
	case strings.Contains(msg, "checksum does not match"):
		why = "a character is wrong or missing (its checksum does not match)"
	case strings.Contains(msg, "invalid character"), strings.Contains(msg, "charset"):
		why = "it holds a character addresses never use (such as b, i, o or 1 after sp1)"
	case strings.Contains(msg, "separator"), strings.Contains(msg, "length"), strings.Contains(msg, "characters, more than"):
		why = "it is too short or too long"
	case strings.Contains(msg, "mixes") || strings.Contains(msg, "mixed case"):
		why = "it mixes upper and lower case"
	}
	out := fmt.Sprintf("not a silent payment address: %q", clipArg(s))
	if why != "" {
		out += ": " + why
	}
	return usagef("bad_address", out+"; check for a typo")
}

// pctNumber is part as a percentage of whole for JSON: a number with at most two decimals,
// rounded as wallet.Share rounds the text form (7.7 for "7.70%"). Null-free: whole <= 0 gives 0.
func pctNumber(part, whole int64) json.Number {
	if whole <= 0 {
		return "0"
	}
	bp := (part*1_000_000/whole + 50) / 100 // hundredths of a percent
	s := strconv.FormatInt(bp/100, 10)
	if frac := bp % 100; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", frac), "0")
	}
	return json.Number(s)
}

// parseFeeRateFlag reads a fee-rate flag's value for every command that takes one (send,
// tip flush, bump-fee, consolidate, utxos, fees...), so that each says what is wrong with it in
// the same words: the parser's, which name the mistake ("a fee rate is never negative",
// "spaces are not allowed", "exponents are not allowed"), after the flag's name.
func parseFeeRateFlag(flag, s string) (txbuilder.FeeRate, error) {
	r, err := txbuilder.ParseFeeRate(strings.TrimSpace(s))
	if err != nil {
		return 0, usagef("bad_fee_rate", flag+": "+err.Error())
	}
	return r, nil
}

// fileError says a file could not be read without repeating its name ("read x: open x: no
// such file or directory" becomes "cannot read x: no such file or directory").
func fileError(path string, err error) error { return inputFileError("bad_file", "", path, err) }

// inputWhy is the text of a wallet error about the user's input without the "bad input: "
// of its sentinel: the exit code and JSON code say that already, and the message is read
// after a flag's name ("--every: give a count...", not "--every: bad input: give...").
func inputWhy(err error) string {
	return strings.ReplaceAll(err.Error(), wallet.ErrBadInput.Error()+": ", "")
}
