package uri

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
)

// URI is a parsed bitcoin: URI.
type URI struct {
	Address       string           // the address in the URI body; empty when it has none
	Amount        txbuilder.Amount // 0 when the URI gives no amount
	Label         string
	Message       string
	SilentPayment string // the sp= silent payment address (BIP352), if any
	Lightning     bool   // a lightning= (BOLT11) or lno= (BOLT12) instruction is present
	// SegwitAddresses are the addresses given in the parameter named for the network's
	// bech32 prefix (bc=, tb=, bcrt=), in order: BIP321's way to offer extra addresses.
	SegwitAddresses []string
	// Params holds every parameter by lowercased key, with the first value when repeated.
	Params map[string]string
	// Pairs holds every parameter in order, keys as written and values percent-decoded.
	Pairs []Param
}

// Param is one query parameter.
type Param struct{ Key, Value string }

// understood lists the parameters satchel implements, so their req- form is accepted.
var understood = map[string]bool{"amount": true, "label": true, "message": true}

// unique lists the parameters that may appear only once (BIP321; pop counts with req-pop).
var unique = map[string]bool{"amount": true, "label": true, "message": true, "pop": true}

// instructions lists the BIP321 payment-instruction keys that make an empty address body valid.
var instructions = map[string]bool{"lightning": true, "lno": true, "pay": true, "sp": true,
	"bc": true, "tb": true, "bcrt": true}

// segwitKeys are the bech32 prefixes whose parameters carry on-chain addresses.
var segwitKeys = map[string]bool{"bc": true, "tb": true, "bcrt": true}

// Parse reads a bitcoin: URI. validate checks each on-chain address the URI offers; when nil,
// address.Decode(addr, net) does. Test vectors with deliberately invalid addresses pass a
// stub. Labels and messages must be valid UTF-8 without control characters, so they can be
// shown safely.
func Parse(s string, net *chaincfg.Params, validate func(addr string) error) (*URI, error) {
	if validate == nil {
		if net == nil {
			return nil, fmt.Errorf("parse URI: %w: no network to check addresses against", ErrInvalid)
		}
		validate = func(a string) error { _, err := address.Decode(a, net); return err }
	}
	const scheme = "bitcoin:"
	if len(s) < len(scheme) || !strings.EqualFold(s[:len(scheme)], scheme) {
		return nil, fmt.Errorf("%w: it must start with %q", ErrNotBitcoinURI, scheme)
	}
	if strings.ContainsAny(s, "# \t\r\n") {
		return nil, fmt.Errorf("%w: spaces and # are not allowed in a URI", ErrInvalid)
	}
	body, query, _ := strings.Cut(s[len(scheme):], "?")
	u := &URI{Address: body, Params: map[string]string{}}
	seen := map[string]bool{}
	hasInstruction := false
	if query != "" {
		for _, part := range strings.Split(query, "&") {
			if part == "" {
				continue // "?&a=b" and a trailing "&" carry nothing
			}
			rawKey, rawVal, _ := strings.Cut(part, "=")
			key, err1 := url.PathUnescape(rawKey)
			val, err2 := url.PathUnescape(rawVal)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%w: bad percent-encoding in %q", ErrInvalid, short(part))
			}
			if key == "" {
				return nil, fmt.Errorf("%w: a parameter has no name", ErrInvalid)
			}
			u.Pairs = append(u.Pairs, Param{key, val})
			lower := strings.ToLower(key)
			if _, ok := u.Params[lower]; !ok {
				u.Params[lower] = val
			}
			name, required := strings.CutPrefix(lower, "req-")
			if unique[name] {
				if seen[name] {
					return nil, fmt.Errorf("%w: %s appears more than once, so it could say two things: ask the payee for the URI again", ErrDuplicate, name)
				}
				seen[name] = true
			}
			if required && !understood[name] {
				return nil, fmt.Errorf("%w: %q (the URI is refused rather than paid without it)",
					ErrUnknownRequired, short(key))
			}
			hasInstruction = hasInstruction || instructions[name]
			if err := u.apply(name, val, net, validate); err != nil {
				return nil, err
			}
		}
	}
	if u.Address != "" {
		if err := validate(u.Address); err != nil {
			return nil, fmt.Errorf("URI address: %w", err)
		}
	} else if !hasInstruction {
		return nil, fmt.Errorf("%w: copy the whole URI, with the address that follows \"bitcoin:\" in it", ErrNoPaymentTarget)
	}
	return u, nil
}

// apply records one parameter satchel understands.
func (u *URI) apply(name, val string, net *chaincfg.Params, validate func(string) error) error {
	switch {
	case name == "amount":
		a, err := parseBTC(val)
		if err != nil {
			return fmt.Errorf("%w: amount=%s: %w", ErrInvalid, short(val), err)
		}
		u.Amount = a
	case name == "label":
		if err := checkText(val); err != nil {
			return fmt.Errorf("%w: label %w", ErrInvalid, err)
		}
		u.Label = val
	case name == "message":
		if err := checkText(val); err != nil {
			return fmt.Errorf("%w: message %w", ErrInvalid, err)
		}
		u.Message = val
	case name == "sp":
		if u.SilentPayment == "" {
			u.SilentPayment = val
		}
	case name == "lightning" || name == "lno":
		u.Lightning = true
	case segwitKeys[name]:
		if !strings.HasPrefix(strings.ToLower(val), name+"1") {
			return fmt.Errorf("%w: the %s= parameter must hold a %s1 address, not %q",
				ErrInvalid, name, name, short(val))
		}
		if net != nil && name == net.Bech32HRPSegwit {
			if err := validate(val); err != nil {
				return fmt.Errorf("URI %s= address: %w", name, err)
			}
			u.SegwitAddresses = append(u.SegwitAddresses, val)
		}
	}
	return nil
}

// parseBTC reads a BIP21 amount: decimal BTC, at most 8 decimals. BIP21's grammar allows a
// bare ".5" or "5.", which are read as 0.5 and 5.
func parseBTC(v string) (txbuilder.Amount, error) {
	if v == "" || strings.Trim(v, "0123456789.") != "" {
		return 0, &amountError{"not a decimal BTC amount (write it like 0.00002100)"}
	}
	if strings.HasPrefix(v, ".") {
		v = "0" + v
	}
	v = strings.TrimSuffix(v, ".")
	a, err := txbuilder.ParseAmount(v + "btc")
	if err != nil {
		// The amount parser's words name the unit it was given ("0btc"), which is not what
		// the URI says: its reason alone follows the parameter.
		if _, why, ok := strings.Cut(err.Error(), "\": "); ok {
			return 0, &amountError{why}
		}
		return 0, err
	}
	return a, nil
}

// checkText refuses text that could not be shown to a user as is.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("contains a control character")
		}
		if clip.Hides(r) {
			return fmt.Errorf("contains an invisible or text-direction character (%U)", r)
		}
	}
	return nil
}

func short(s string) string { return clip.Text(s, 40) }

// amountError is a URI amount that does not read, in the parser's words without its unit; it
// is a bad amount like any other.
type amountError struct{ why string }

func (e *amountError) Error() string { return e.why }
func (e *amountError) Unwrap() error { return txbuilder.ErrBadAmount }
