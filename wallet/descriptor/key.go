package descriptor

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Wildcard says whether a key expression ends in /* (a ranged descriptor) and how.
type Wildcard int

// Wildcard kinds.
const (
	NoWildcard Wildcard = iota
	UnhardenedWildcard
	HardenedWildcard
)

// Origin is the [fingerprint/path] prefix telling a signer which master key and path a key
// came from.
type Origin struct {
	Fingerprint uint32
	Path        []uint32 // hardened steps have keys.Hardened added
}

// Key is one key expression. Exactly one of Extended, PubKey and WIF is set.
type Key struct {
	Origin *Origin // nil when the expression has none

	Extended *hdkeychain.ExtendedKey
	// Path is the derivation after Extended. When Multi is set, Path[MultiAt] is a placeholder
	// and each value of Multi takes its place in turn (BIP389).
	Path     []uint32
	Multi    []uint32
	MultiAt  int
	Wildcard Wildcard

	PubKey *btcec.PublicKey // a hex public key
	WIF    *btcutil.WIF     // a private key in wallet import format
	// XOnly: the key was written as 64 hex digits (tr only). Uncompressed: as 130 hex digits
	// or an uncompressed WIF (pkh only).
	XOnly, Uncompressed bool
}

// keyContext says which key encodings the surrounding script allows.
type keyContext struct {
	uncompressed bool // pkh: 04... keys and uncompressed WIF
	xonly        bool // tr: 64-hex x-only keys
}

func invalidf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// parseKey reads one key expression.
func parseKey(s string, ctx keyContext) (Key, error) {
	var k Key
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return k, invalidf("key origin %q has no closing ]", s)
		}
		o, err := parseOrigin(s[1:end])
		if err != nil {
			return k, err
		}
		k.Origin = o
		s = s[end+1:]
		if strings.HasPrefix(s, "[") {
			return k, invalidf("a key has more than one origin")
		}
	}
	if strings.ContainsAny(s, "[]") {
		return k, invalidf("misplaced [ or ] in key %q", s)
	}
	if s == "" {
		return k, invalidf("key origin with no key after it")
	}
	keyText, path, hasPath := strings.Cut(s, "/")

	if isHex(keyText) {
		if hasPath {
			return k, invalidf("a hex public key cannot have a derivation path")
		}
		return k, k.parseHexKey(keyText, ctx)
	}
	if raw := base58.Decode(keyText); len(raw) == 82 {
		ext, err := keys.ParseExtendedKey(keyText)
		if err != nil {
			return k, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		k.Extended = ext
		if hasPath {
			if err := k.parsePath(path); err != nil {
				return k, err
			}
		}
		return k, nil
	}
	wif, err := btcutil.DecodeWIF(keyText)
	if err != nil {
		return k, invalidf("%q is not a public key, WIF private key or extended key", short(keyText))
	}
	if hasPath {
		return k, invalidf("a WIF private key cannot have a derivation path")
	}
	if !wif.CompressPubKey && !ctx.uncompressed {
		return k, invalidf("uncompressed keys are only allowed in pkh()")
	}
	k.WIF, k.Uncompressed = wif, !wif.CompressPubKey
	return k, nil
}

func (k *Key) parseHexKey(h string, ctx keyContext) error {
	b, _ := hex.DecodeString(h)
	var err error
	switch {
	case len(b) == 33 && (b[0] == 2 || b[0] == 3):
		k.PubKey, err = btcec.ParsePubKey(b)
	case len(b) == 65 && b[0] == 4:
		if !ctx.uncompressed {
			return invalidf("uncompressed keys are only allowed in pkh()")
		}
		k.PubKey, err = btcec.ParsePubKey(b)
		k.Uncompressed = true
	case len(b) == 32:
		if !ctx.xonly {
			return invalidf("x-only (64 hex digit) keys are only allowed in tr()")
		}
		k.PubKey, err = schnorr.ParsePubKey(b)
		k.XOnly = true
	default:
		return invalidf("%q is not a public key (want 66 hex digits starting 02 or 03)", short(h))
	}
	if err != nil {
		return invalidf("public key %s is not on the curve: %v", short(h), err)
	}
	return nil
}

// parseOrigin reads the inside of [fingerprint/path].
func parseOrigin(s string) (*Origin, error) {
	fpText, path, hasPath := strings.Cut(s, "/")
	if len(fpText) != 8 || !isHex(fpText) {
		return nil, invalidf("origin fingerprint %q must be 8 hex digits", short(fpText))
	}
	fp, err := keys.ParseFingerprint(fpText)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	o := &Origin{Fingerprint: fp}
	if hasPath {
		for _, step := range strings.Split(path, "/") {
			i, err := parseStep(step)
			if err != nil {
				return nil, fmt.Errorf("key origin: %w", err)
			}
			o.Path = append(o.Path, i)
		}
	}
	return o, nil
}

// parsePath reads the derivation steps after an extended key.
func (k *Key) parsePath(path string) error {
	steps := strings.Split(path, "/")
	for n, step := range steps {
		last := n == len(steps)-1
		switch {
		case step == "*" && last:
			k.Wildcard = UnhardenedWildcard
		case (step == "*h" || step == "*'") && last:
			k.Wildcard = HardenedWildcard
		case strings.HasPrefix(step, "*"):
			return invalidf("* may only be the last step, as *, *h or *'")
		case strings.HasPrefix(step, "<"):
			if k.Multi != nil {
				return invalidf("only one <a;b> multipath step is allowed in a key")
			}
			if !strings.HasSuffix(step, ">") {
				return invalidf("multipath step %q has no closing >", short(step))
			}
			alts := strings.Split(step[1:len(step)-1], ";")
			if len(alts) < 2 {
				return invalidf("a multipath step needs at least two values")
			}
			seen := map[uint32]bool{}
			for _, a := range alts {
				i, err := parseStep(a)
				if err != nil {
					return fmt.Errorf("multipath step: %w", err)
				}
				if seen[i] {
					return invalidf("multipath step %q repeats a value", short(step))
				}
				seen[i] = true
				k.Multi = append(k.Multi, i)
			}
			k.MultiAt = len(k.Path)
			k.Path = append(k.Path, k.Multi[0])
		default:
			i, err := parseStep(step)
			if err != nil {
				return err
			}
			k.Path = append(k.Path, i)
		}
	}
	return nil
}

// parseStep reads one path step: a decimal index below 2^31, with h or ' for hardened.
func parseStep(s string) (uint32, error) {
	var hard uint32
	if strings.HasSuffix(s, "h") || strings.HasSuffix(s, "'") {
		s, hard = s[:len(s)-1], keys.Hardened
	}
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, invalidf("path step %q is not a number (hardened steps end in h or ')", short(s))
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n >= uint64(keys.Hardened) {
		return 0, invalidf("path step %q is out of range (at most 2147483647)", short(s))
	}
	return uint32(n) + hard, nil
}

// String writes the key expression canonically: lowercase hex, h for hardened steps.
func (k *Key) String() string {
	var b strings.Builder
	if k.Origin != nil {
		b.WriteString("[")
		b.WriteString(keys.FormatFingerprint(k.Origin.Fingerprint))
		for _, i := range k.Origin.Path {
			b.WriteString("/" + formatStep(i))
		}
		b.WriteString("]")
	}
	switch {
	case k.Extended != nil:
		b.WriteString(k.Extended.String())
		for n, i := range k.Path {
			if k.Multi != nil && n == k.MultiAt {
				alts := make([]string, len(k.Multi))
				for j, m := range k.Multi {
					alts[j] = formatStep(m)
				}
				b.WriteString("/<" + strings.Join(alts, ";") + ">")
				continue
			}
			b.WriteString("/" + formatStep(i))
		}
		switch k.Wildcard {
		case UnhardenedWildcard:
			b.WriteString("/*")
		case HardenedWildcard:
			b.WriteString("/*h")
		}
	case k.WIF != nil:
		b.WriteString(k.WIF.String())
	case k.XOnly:
		b.WriteString(hex.EncodeToString(schnorr.SerializePubKey(k.PubKey)))
	case k.Uncompressed:
		b.WriteString(hex.EncodeToString(k.PubKey.SerializeUncompressed()))
	default:
		b.WriteString(hex.EncodeToString(k.PubKey.SerializeCompressed()))
	}
	return b.String()
}

func formatStep(i uint32) string {
	if i >= keys.Hardened {
		return strconv.FormatUint(uint64(i-keys.Hardened), 10) + "h"
	}
	return strconv.FormatUint(uint64(i), 10)
}

// pubKeyAt derives the public key for a child index (ignored unless the key is ranged).
// parent, when not nil, is the extended key after the fixed Path, to skip re-deriving it.
func (k *Key) pubKeyAt(parent *hdkeychain.ExtendedKey, index uint32) (*btcec.PublicKey, error) {
	switch {
	case k.WIF != nil:
		return k.WIF.PrivKey.PubKey(), nil
	case k.PubKey != nil:
		return k.PubKey, nil
	}
	ext := parent
	if ext == nil {
		var err error
		if ext, err = k.fixedParent(); err != nil {
			return nil, err
		}
	}
	if k.Wildcard != NoWildcard {
		if k.Wildcard == HardenedWildcard {
			index += keys.Hardened
		}
		child, err := derive(ext, index)
		if err != nil {
			return nil, err
		}
		ext = child
	}
	return ext.ECPubKey()
}

// fixedParent derives the key at Path (everything before the wildcard).
func (k *Key) fixedParent() (*hdkeychain.ExtendedKey, error) {
	if k.Multi != nil {
		return nil, ErrMultipath
	}
	ext := k.Extended
	for _, i := range k.Path {
		var err error
		if ext, err = derive(ext, i); err != nil {
			return nil, err
		}
	}
	return ext, nil
}

func derive(k *hdkeychain.ExtendedKey, i uint32) (*hdkeychain.ExtendedKey, error) {
	if i >= keys.Hardened && !k.IsPrivate() {
		return nil, fmt.Errorf("%w: step %s after a public key", ErrNeedPrivateKey, formatStep(i))
	}
	child, err := k.Derive(i)
	if err != nil {
		return nil, fmt.Errorf("derive step %s: %w", formatStep(i), err)
	}
	return child, nil
}

func isHex(s string) bool {
	if s == "" || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// short cuts user text for an error message.
func short(s string) string { return clip.Text(s, 24) }
