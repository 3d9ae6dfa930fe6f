package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/internal/jsonwhy"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/bip353"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
	"github.com/satchel-wallet/satchel/wallet/uri"
)

// maxBatch bounds a --batch file: far above any real batch, far below what could hurt.
const maxBatch = 2000

// payeeArgs gathers payees from the positional arguments, --to and --batch. sweep reports an
// AMOUNT of "all".
//
// resolve, when set, turns a BIP353 name in a batch file into its bitcoin: URI.
func payeeArgs(net *chaincfg.Params, args, to []string, batchFile string, resolve func(string) (string, error)) (pays []wallet.Payment, sweep bool, err error) {
	if len(args) > 0 {
		var amount string
		if len(args) > 1 {
			amount = args[1]
		}
		p, all, err := parsePayee(net, args[0], amount, "")
		if err != nil {
			return nil, false, err
		}
		pays, sweep = append(pays, p), all
	}
	for _, t := range to {
		dest, amount, err := splitTo(net, t)
		if err != nil {
			return nil, false, err
		}
		p, all, err := parsePayee(net, dest, amount, "")
		if err != nil {
			return nil, false, err
		}
		if all {
			return nil, false, usagef("bad_amount", "--to cannot sweep all: give an amount, or use satchel send ADDRESS all")
		}
		pays = append(pays, p)
	}
	if batchFile != "" {
		bp, err := readBatch(net, batchFile, resolve)
		if err != nil {
			return nil, false, err
		}
		pays = append(pays, bp...)
	}
	if len(pays) == 0 {
		return nil, false, usagef("no_payee", "no payee: give ADDRESS AMOUNT, a bitcoin: URI, --to ADDRESS=AMOUNT or --batch FILE")
	}
	if sweep && len(pays) > 1 {
		return nil, false, usagef("bad_amount", "\"all\" sweeps every coin to one address: it cannot be combined with other payees")
	}
	if len(pays) > maxBatch {
		return nil, false, usagef("too_many_payees", fmt.Sprintf("%s payees: at most %s in one transaction; pay them in several", groupDigits(int64(len(pays))), groupDigits(maxBatch)))
	}
	return pays, sweep, nil
}

// splitTo reads a --to value: ADDRESS=AMOUNT, URI=AMOUNT, or a bitcoin: URI alone whose own
// parameters hold the '=' signs (bitcoin:ADDR?amount=0.001).
func splitTo(net *chaincfg.Params, t string) (dest, amount string, err error) {
	i := strings.LastIndexByte(t, '=')
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(t)), "bitcoin:") {
		parses := func(s string) bool {
			_, err := uri.Parse(strings.TrimSpace(s), net, func(a string) error { _, err := address.Decode(a, net); return addressError(a, err) })
			return err == nil
		}
		// URI=AMOUNT when both halves read so (a URI's parameter values may hold '=' too,
		// so a typed amount must not pass for part of one); else the URI alone.
		if i > 0 && parses(t[:i]) && isAmountArg(t[i+1:]) {
			return t[:i], t[i+1:], nil
		}
		if parses(t) {
			return t, "", nil
		}
	}
	if i < 0 {
		return "", "", usagef("bad_payee", fmt.Sprintf("--to %q: write ADDRESS=AMOUNT, or a bitcoin: URI with an amount", clipArg(t)))
	}
	return t[:i], t[i+1:], nil
}

// clipArg shortens a user's argument for an error message.
func clipArg(s string) string { return clip.Text(s, 80) }

// parsePayee reads one destination (address or bitcoin: URI) and amount.
func parsePayee(net *chaincfg.Params, dest, amount, label string) (wallet.Payment, bool, error) {
	var p wallet.Payment
	dest = strings.TrimSpace(dest)
	if strings.HasPrefix(strings.ToLower(dest), "bitcoin:") {
		u, err := uri.Parse(dest, net, func(a string) error { _, err := address.Decode(a, net); return addressError(a, err) })
		if err != nil {
			return p, false, err
		}
		switch {
		case u.Address != "":
			dest = u.Address
		case u.SilentPayment != "":
			dest = u.SilentPayment
		default:
			return p, false, usagef("bad_uri", "the bitcoin: URI has no on-chain address or silent payment address")
		}
		if u.Lightning {
			p.Notes = append(p.Notes, "the URI's lightning instruction is ignored: paying on chain")
		}
		if u.Amount > 0 {
			// The URI's amount is what the payee asked for: a different one typed after it
			// is a mistake to stop on, never a silent override (nor "all").
			if amount != "" {
				typed, err := txbuilder.ParseAmount(amount)
				if err != nil || typed != u.Amount {
					return p, false, usagef("amount_mismatch", fmt.Sprintf(
						"the URI asks for %s but %q was given: give the URI alone, or the same amount", fmtSat(int64(u.Amount)), clipArg(amount)))
				}
			}
			amount = fmt.Sprint(int64(u.Amount))
		}
		if label == "" {
			// The payee wrote this label: keep its text, not its control characters.
			label = wallet.FitLabel(u.Label)
		}
	}
	notes := p.Notes
	if isSilentAddress(dest) {
		sp, err := silentpay.ParseAddress(dest, net)
		if err != nil {
			return p, false, silentAddressError(dest, err)
		}
		if amount == "" {
			return p, false, usagef("no_amount", "no amount for the silent payment address: give AMOUNT")
		}
		p = wallet.Payment{Address: dest, Script: append([]byte(nil), wallet.SilentPlaceholder...), Type: txbuilder.P2TR,
			Label: label, SilentPayment: sp, Notes: notes}
		if strings.EqualFold(amount, "all") {
			return p, true, nil
		}
		v, f, err := parsePayAmount(amount)
		if err != nil {
			return p, false, err
		}
		p.Amount, p.Fiat = v, f
		return p, false, nil
	}
	a, err := address.Decode(dest, net)
	if err != nil && amount == "" && dest != "" && isAmountText(dest) {
		// "send 1000": the amount alone, the address forgotten.
		return p, false, usagef("bad_address", fmt.Sprintf("%q is an amount, not an address: give the address first, then the amount", clipArg(dest)))
	}
	if err != nil {
		return p, false, addressError(dest, err)
	}
	if amount == "" {
		return p, false, usagef("no_amount", fmt.Sprintf("no amount for %s: give AMOUNT (2100, 2100sat, 0.000021btc, 5usd or all)", a.String))
	}
	p = wallet.Payment{Address: a.String, Script: a.PkScript, Type: a.Type, Label: label, Notes: notes}
	if strings.EqualFold(amount, "all") {
		return p, true, nil
	}
	v, f, err := parsePayAmount(amount)
	if err != nil {
		return p, false, err
	}
	p.Amount, p.Fiat = v, f
	return p, false, nil
}

// isSilentAddress recognises a BIP352 address by its prefix.
func isSilentAddress(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "sp1") || strings.HasPrefix(l, "tsp1") || strings.HasPrefix(l, "sprt1")
}

// readBatch reads CSV lines address,amount[,label] or JSON lines {"address","amount","label"}.
func readBatch(net *chaincfg.Params, file string, resolve func(string) (string, error)) ([]wallet.Payment, error) {
	f, err := openInput("bad_batch", "--batch", file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, 4<<20))
	var out []wallet.Payment
	line := 0
	seenData := false
	for {
		s, err := r.ReadString('\n')
		if s == "" && err != nil {
			break
		}
		line++
		s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		var addr, amount, label string
		if strings.HasPrefix(s, "{") {
			var j struct {
				Address string          `json:"address"`
				Amount  json.RawMessage `json:"amount"`
				Label   string          `json:"label"`
			}
			dec := json.NewDecoder(strings.NewReader(s))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&j); err != nil {
				return nil, usagef("bad_batch", fmt.Sprintf("%s line %d: %s", file, line, jsonwhy.Describe(err)))
			}
			addr, label = j.Address, j.Label
			amount = strings.Trim(string(j.Amount), `"`)
		} else {
			rec, err := csv.NewReader(strings.NewReader(s)).Read()
			if err != nil || len(rec) < 2 || len(rec) > 3 {
				return nil, usagef("bad_batch", fmt.Sprintf("%s line %d: want address,amount[,label]", file, line))
			}
			// A spreadsheet's header line (address,amount,label) names the columns: skip it.
			if !seenData && isBatchHeader(rec) {
				seenData = true
				continue
			}
			addr, amount = rec[0], strings.TrimSpace(rec[1])
			if len(rec) == 3 {
				label = rec[2]
			}
		}
		seenData = true
		if strings.EqualFold(amount, "all") {
			return nil, usagef("bad_batch", fmt.Sprintf("%s line %d: a batch cannot sweep all", file, line))
		}
		if err := wallet.CheckLabel(label); err != nil {
			return nil, usagef("bad_batch", fmt.Sprintf("%s line %d: %v", file, line, strings.TrimPrefix(err.Error(), wallet.ErrBadInput.Error()+": ")))
		}
		if resolve != nil && bip353.Looks(strings.TrimSpace(addr)) {
			if addr, err = resolve(addr); err != nil {
				return nil, err
			}
		}
		p, _, err := parsePayee(net, addr, amount, label)
		if err != nil {
			return nil, usagef("bad_batch", fmt.Sprintf("%s line %d: %v", file, line, err))
		}
		out = append(out, p)
		if len(out) > maxBatch {
			return nil, usagef("too_many_payees", fmt.Sprintf("%s: more than %s payees: split the file and pay them in several transactions", file, groupDigits(maxBatch)))
		}
	}
	if len(out) == 0 {
		return nil, usagef("bad_batch", fmt.Sprintf("%s holds no payees", file))
	}
	return out, nil
}

// isBatchHeader recognises a CSV header line: address and amount (and label) as column names,
// in any case. Only the first data line of a file can be one.
func isBatchHeader(rec []string) bool {
	want := []string{"address", "amount", "label"}
	for i, f := range rec {
		if !strings.EqualFold(strings.TrimSpace(f), want[i]) {
			return false
		}
	}
	return true
}

// checkLabelArg refuses a label the user typed that the wallet would not store (exit 2),
// before anything else is done.
func checkLabelArg(what, text string) error {
	if err := wallet.CheckLabel(text); err != nil {
		msg := strings.TrimPrefix(err.Error(), wallet.ErrBadInput.Error()+": ")
		return usagef("bad_label", what+": "+msg)
	}
	return nil
}

// isAmountArg says whether s reads as an AMOUNT argument: satoshis, BTC with a unit, or all.
func isAmountArg(s string) bool {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return true
	}
	return isAmountText(s)
}
