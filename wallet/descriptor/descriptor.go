package descriptor

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Descriptor is a parsed single-key descriptor. Treat a parsed Descriptor as read-only:
// ScriptAt caches the key after the fixed part of the path, so changing Key afterwards
// would mix old and new derivations. Build a new one (or Parse again) instead.
type Descriptor struct {
	Type txbuilder.ScriptType // P2PKH, P2SHP2WPKH, P2WPKH or P2TR; P2WSHMultisig for wsh(multi())
	Key  Key
	// Multi, when set, makes this a wsh(multi()) or wsh(sortedmulti()) descriptor; Key is then
	// unused.
	Multi *Multi

	cache  *parentCache
	caches []*parentCache // one per key of Multi
}

// parentCache holds the key after the fixed derivation path of a ranged descriptor, so
// scanning many indexes does one derivation each.
type parentCache struct {
	once sync.Once
	key  *hdkeychain.ExtendedKey
	err  error
}

// unsupportedFuncs are descriptor functions from BIP380-390 that satchel knows of but does
// not handle.
var unsupportedFuncs = []string{"pk", "multi", "sortedmulti", "multi_a", "sortedmulti_a",
	"raw", "rawtr", "addr", "combo", "musig", "sp"}

// Parse reads a descriptor. The "#checksum" suffix is optional, but if present it must match.
func Parse(s string) (*Descriptor, error) {
	payload, sum, hasSum := strings.Cut(s, "#")
	if hasSum {
		if err := verifyChecksum(payload, sum); err != nil {
			return nil, err
		}
	} else if _, err := Checksum(payload); err != nil {
		return nil, err // a character outside the descriptor alphabet
	}
	d, err := parseScript(payload)
	if err != nil {
		return nil, err
	}
	d.cache = &parentCache{}
	d.initCaches()
	return d, nil
}

// initCaches gives each key of a multisig its own parent cache.
func (d *Descriptor) initCaches() {
	if d.Multi == nil {
		return
	}
	d.caches = make([]*parentCache, len(d.Multi.Keys))
	for i := range d.caches {
		d.caches[i] = &parentCache{}
	}
}

func parseScript(s string) (*Descriptor, error) {
	name, arg, err := splitCall(s)
	if err != nil {
		return nil, err
	}
	switch name {
	case "pkh":
		return withKey(txbuilder.P2PKH, arg, keyContext{uncompressed: true})
	case "wpkh":
		return withKey(txbuilder.P2WPKH, arg, keyContext{})
	case "tr":
		if strings.Contains(arg, ",") {
			return nil, fmt.Errorf("%w: tr() with a script tree (satchel uses key-path-only tr(KEY))",
				ErrUnsupported)
		}
		return withKey(txbuilder.P2TR, arg, keyContext{xonly: true})
	case "wsh":
		return parseWSH(arg)
	case "sh":
		inner, innerArg, err := splitCall(arg)
		if err != nil {
			return nil, fmt.Errorf("sh() takes a script: %w", err)
		}
		switch {
		case inner == "wpkh":
			return withKey(txbuilder.P2SHP2WPKH, innerArg, keyContext{})
		case inner == "pkh" || inner == "wsh" || slices.Contains(unsupportedFuncs, inner):
			return nil, fmt.Errorf("%w: sh(%s(...)) (satchel supports sh(wpkh(KEY)))", ErrUnsupported, inner)
		}
		return nil, invalidf("sh(%s(...)) is not allowed", short(inner))
	}
	if slices.Contains(unsupportedFuncs, name) {
		return nil, fmt.Errorf("%w: %s() (satchel supports pkh, sh(wpkh), wpkh and tr with one key, and wsh(sortedmulti()))",
			ErrUnsupported, name)
	}
	return nil, invalidf("unknown script function %q", short(name))
}

// splitCall splits "name(arg)" into name and arg, requiring the closing parenthesis last.
func splitCall(s string) (name, arg string, err error) {
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") {
		return "", "", invalidf("%q is not of the form name(...)", short(s))
	}
	return s[:open], s[open+1 : len(s)-1], nil
}

func withKey(t txbuilder.ScriptType, arg string, ctx keyContext) (*Descriptor, error) {
	if strings.ContainsAny(arg, "(){},") {
		return nil, invalidf("%s() takes exactly one key expression", t)
	}
	k, err := parseKey(arg, ctx)
	if err != nil {
		return nil, err
	}
	return &Descriptor{Type: t, Key: k}, nil
}

// String writes the descriptor canonically (h for hardened, lowercase hex) with its checksum.
// Private keys (xprv, WIF) are written as they were given.
func (d *Descriptor) String() string {
	var body string
	if d.Multi != nil {
		body = "wsh(" + d.Multi.String() + ")"
		sum, err := Checksum(body)
		if err != nil { // cannot happen, as below
			return body
		}
		return body + "#" + sum
	}
	k := d.Key.String()
	switch d.Type {
	case txbuilder.P2PKH:
		body = "pkh(" + k + ")"
	case txbuilder.P2WPKH:
		body = "wpkh(" + k + ")"
	case txbuilder.P2SHP2WPKH:
		body = "sh(wpkh(" + k + "))"
	case txbuilder.P2TR:
		body = "tr(" + k + ")"
	default:
		body = "unknown(" + k + ")"
	}
	sum, err := Checksum(body)
	if err != nil { // cannot happen: every part written above is in the alphabet
		return body
	}
	return body + "#" + sum
}

// IsRange reports whether the descriptor ends in a wildcard and so describes many scripts.
func (d *Descriptor) IsRange() bool {
	if d.Multi != nil {
		for _, k := range d.Multi.Keys {
			if k.Wildcard != NoWildcard {
				return true
			}
		}
		return false
	}
	return d.Key.Wildcard != NoWildcard
}

// IsMultipath reports whether the descriptor has a <a;b> step (see Split).
func (d *Descriptor) IsMultipath() bool {
	if d.Multi != nil {
		return d.Multi.multiLen() > 0
	}
	return d.Key.Multi != nil
}

// Split expands a BIP389 multipath descriptor into one descriptor per value, in order: for
// the usual /<0;1>/* the receive descriptor, then the change one. Any other descriptor comes
// back alone.
func (d *Descriptor) Split() []*Descriptor {
	if d.Multi != nil {
		n := d.Multi.multiLen()
		if n == 0 {
			return []*Descriptor{d}
		}
		out := make([]*Descriptor, n)
		for i := range out {
			out[i] = &Descriptor{Type: d.Type, Multi: d.Multi.split(i), cache: &parentCache{}}
			out[i].initCaches()
		}
		return out
	}
	if d.Key.Multi == nil {
		return []*Descriptor{d}
	}
	out := make([]*Descriptor, len(d.Key.Multi))
	for i, v := range d.Key.Multi {
		k := d.Key
		k.Path = slices.Clone(d.Key.Path)
		k.Path[k.MultiAt] = v
		k.Multi, k.MultiAt = nil, 0
		out[i] = &Descriptor{Type: d.Type, Key: k, cache: &parentCache{}}
	}
	return out
}

// ScriptAt is the output script at child index for a ranged descriptor; a descriptor that is
// not ranged has one script, at index 0. Multipath descriptors must be Split first.
func (d *Descriptor) ScriptAt(index uint32) ([]byte, error) {
	if d.Multi != nil {
		ws, err := d.WitnessScriptAt(index)
		if err != nil {
			return nil, err
		}
		return p2wshOf(ws), nil
	}
	if d.IsMultipath() {
		return nil, ErrMultipath
	}
	if !d.IsRange() && index != 0 {
		return nil, fmt.Errorf("descriptor is not ranged: only index 0 exists, not %d", index)
	}
	if index >= keys.Hardened {
		return nil, fmt.Errorf("index %d is out of range (below 2^31)", index)
	}
	var parent *hdkeychain.ExtendedKey
	if d.Key.Extended != nil {
		c := d.cache
		if c == nil { // a Descriptor built by hand: derive without caching
			c = &parentCache{}
		}
		c.once.Do(func() { c.key, c.err = d.Key.fixedParent() })
		if c.err != nil {
			return nil, c.err
		}
		parent = c.key
	}
	pub, err := d.Key.pubKeyAt(parent, index)
	if err != nil {
		return nil, err
	}
	if d.Type == txbuilder.P2PKH && d.Key.Uncompressed {
		return keys.P2PKHScript(address.Hash160(pub.SerializeUncompressed())), nil
	}
	s, err := keys.ScriptFor(d.Type, pub, nil)
	if err != nil {
		return nil, err
	}
	return s.PkScript, nil
}
