package descriptor

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// MaxWSHMultiKeys is the most keys BIP383 allows in wsh(multi()): 20, CHECKMULTISIG's own
// limit. satchel's wallets stop at txbuilder.MaxMultisigKeys (15); the parser reads what the
// BIP allows, so a wider descriptor is refused by the wallet with that reason, not as invalid.
const MaxWSHMultiKeys = 20

// Multi is the multisig part of a wsh(multi(...)) or wsh(sortedmulti(...)) descriptor.
type Multi struct {
	Threshold int
	Keys      []Key
	// Sorted is set for sortedmulti: keys go into the script in lexicographic order of their
	// derived compressed form (BIP67), not in the order written.
	Sorted bool
}

// parseWSH reads the inside of wsh(): satchel handles multi() and sortedmulti() there.
func parseWSH(arg string) (*Descriptor, error) {
	inner, innerArg, err := splitCall(arg)
	if err != nil {
		return nil, fmt.Errorf("wsh() takes a script: %w", err)
	}
	switch inner {
	case "multi", "sortedmulti":
		m, err := parseMulti(innerArg)
		if err != nil {
			return nil, fmt.Errorf("wsh(%s()): %w", inner, err)
		}
		m.Sorted = inner == "sortedmulti"
		t := txbuilder.P2WSHMultisig(m.Threshold, len(m.Keys))
		if t == txbuilder.ScriptUnknown {
			t = txbuilder.P2WSH // more keys than satchel's wallets take, still a valid descriptor
		}
		return &Descriptor{Type: t, Multi: m}, nil
	case "pk", "pkh", "multi_a", "sortedmulti_a", "sh", "wsh", "wpkh", "tr":
		if slices.Contains(unsupportedFuncs, inner) || inner == "pkh" {
			return nil, fmt.Errorf("%w: wsh(%s(...)) (satchel supports wsh(multi()) and wsh(sortedmulti()))", ErrUnsupported, inner)
		}
		return nil, invalidf("wsh(%s(...)) is not allowed", inner)
	}
	if slices.Contains(unsupportedFuncs, inner) {
		return nil, fmt.Errorf("%w: wsh(%s(...)) (satchel supports wsh(multi()) and wsh(sortedmulti()))", ErrUnsupported, inner)
	}
	return nil, invalidf("unknown script function %q in wsh()", short(inner))
}

// parseMulti reads "k,KEY_1,...,KEY_n".
func parseMulti(arg string) (*Multi, error) {
	if strings.ContainsAny(arg, "(){}") {
		return nil, invalidf("multi() takes a threshold and key expressions")
	}
	parts := strings.Split(arg, ",")
	if len(parts) < 2 {
		return nil, invalidf("multi() needs a threshold and at least one key")
	}
	th := parts[0]
	if th == "" || strings.Trim(th, "0123456789") != "" || (len(th) > 1 && th[0] == '0') {
		return nil, invalidf("threshold %q is not a number", short(th))
	}
	k, err := strconv.Atoi(th)
	n := len(parts) - 1
	switch {
	case err != nil || k < 1:
		return nil, invalidf("threshold %q must be at least 1", short(th))
	case n > MaxWSHMultiKeys:
		return nil, invalidf("%d keys in wsh(multi()); at most %d", n, MaxWSHMultiKeys)
	case k > n:
		return nil, invalidf("threshold %d is larger than the %d keys", k, n)
	}
	m := &Multi{Threshold: k}
	multiLen := 0
	for i, s := range parts[1:] {
		key, err := parseKey(s, keyContext{})
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if key.Multi != nil {
			// BIP389: every multipath step of a descriptor has as many values.
			if multiLen != 0 && len(key.Multi) != multiLen {
				return nil, invalidf("key %d: multipath steps of different lengths", i+1)
			}
			multiLen = len(key.Multi)
		}
		m.Keys = append(m.Keys, key)
	}
	return m, nil
}

// String writes the multisig as "sortedmulti(k,KEY,...)" (or multi).
func (m *Multi) String() string {
	var b strings.Builder
	if m.Sorted {
		b.WriteString("sortedmulti(")
	} else {
		b.WriteString("multi(")
	}
	b.WriteString(strconv.Itoa(m.Threshold))
	for i := range m.Keys {
		b.WriteString(",")
		b.WriteString(m.Keys[i].String())
	}
	b.WriteString(")")
	return b.String()
}

// multiLen is the number of values of the multisig's multipath steps, 0 when it has none.
func (m *Multi) multiLen() int {
	for _, k := range m.Keys {
		if k.Multi != nil {
			return len(k.Multi)
		}
	}
	return 0
}

// split gives the multisig with every multipath step replaced by its value number i.
func (m *Multi) split(i int) *Multi {
	out := &Multi{Threshold: m.Threshold, Sorted: m.Sorted, Keys: make([]Key, len(m.Keys))}
	for j, k := range m.Keys {
		if k.Multi != nil {
			k.Path = slices.Clone(k.Path)
			k.Path[k.MultiAt] = k.Multi[i]
			k.Multi, k.MultiAt = nil, 0
		}
		out.Keys[j] = k
	}
	return out
}

// WitnessScriptAt is the CHECKMULTISIG script of a wsh(multi()) descriptor at child index
// (every ranged key at the same index, BIP383), keys sorted first for sortedmulti.
func (d *Descriptor) WitnessScriptAt(index uint32) ([]byte, error) {
	if d.Multi == nil {
		return nil, fmt.Errorf("%w: not a wsh(multi()) descriptor", ErrInvalid)
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
	if d.caches == nil { // built by hand: derive without caching
		d.caches = make([]*parentCache, len(d.Multi.Keys))
		for i := range d.caches {
			d.caches[i] = &parentCache{}
		}
	}
	ser := make([][]byte, len(d.Multi.Keys))
	for i := range d.Multi.Keys {
		k := &d.Multi.Keys[i]
		var parent *hdkeychain.ExtendedKey
		if k.Extended != nil {
			c := d.caches[i]
			c.once.Do(func() { c.key, c.err = k.fixedParent() })
			if c.err != nil {
				return nil, fmt.Errorf("key %d: %w", i+1, c.err)
			}
			parent = c.key
		}
		pub, err := k.pubKeyAt(parent, index)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		ser[i] = pub.SerializeCompressed()
	}
	if d.Multi.Sorted {
		slices.SortFunc(ser, bytes.Compare)
	}
	return multisigScript(d.Multi.Threshold, ser), nil
}

// multisigScript is <k> <key>... <n> OP_CHECKMULTISIG, numbers above 16 pushed as one byte
// (BIP383 allows up to 20 keys in wsh).
func multisigScript(k int, ser [][]byte) []byte {
	num := func(s []byte, v int) []byte {
		if v <= 16 {
			return append(s, 0x50+byte(v)) // OP_1 .. OP_16
		}
		return append(s, 1, byte(v))
	}
	s := num(nil, k)
	for _, p := range ser {
		s = append(s, byte(len(p)))
		s = append(s, p...)
	}
	s = num(s, len(ser))
	return append(s, 0xae) // OP_CHECKMULTISIG
}

// p2wshOf is the P2WSH output paying to script.
func p2wshOf(script []byte) []byte {
	h := sha256.Sum256(script)
	return keys.P2WSHScript(h[:])
}

// PubKeysAt derives every key of a wsh(multi()) descriptor at index, in the order written.
func (d *Descriptor) PubKeysAt(index uint32) ([]*btcec.PublicKey, error) {
	if d.Multi == nil {
		return nil, fmt.Errorf("%w: not a wsh(multi()) descriptor", ErrInvalid)
	}
	if d.IsMultipath() {
		return nil, ErrMultipath
	}
	out := make([]*btcec.PublicKey, len(d.Multi.Keys))
	for i := range d.Multi.Keys {
		pub, err := d.Multi.Keys[i].pubKeyAt(nil, index)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		out[i] = pub
	}
	return out, nil
}

// ParseKeyExpression reads one key expression as a multisig cosigner is given:
// [fingerprint/path]xpub, optionally followed by a derivation (/<0;1>/*).
func ParseKeyExpression(s string) (Key, error) {
	if err := notASCII(s); err != nil {
		return Key{}, err
	}
	return parseKey(s, keyContext{})
}
