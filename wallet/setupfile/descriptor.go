package setupfile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
)

// The derivations after each key that this package reads and writes: BIP389's multipath
// receive/change pair, one chain of the two-descriptor form, and BIP129's template.
const (
	suffixMultipath = "/<0;1>/*"
	suffixReceive   = "/0/*"
	suffixChange    = "/1/*"
	suffixTemplate  = "/**"
)

// Descriptor writes the setup as one BIP389 multipath descriptor with its checksum,
// wsh(sortedmulti(M,[fp/48h/1h/0h/2h]tpub.../<0;1>/*,...))#checksum, as Bitcoin Core 29,
// Sparrow and satchel read it.
func (s *Setup) Descriptor() (string, error) {
	return s.descriptorWith(suffixMultipath, "h", true)
}

// Descriptors writes the setup as its receive (/0/*) and change (/1/*) descriptors, with
// checksums, for wallets that do not read the multipath form (Bitcoin Core before 29).
func (s *Setup) Descriptors() (receive, change string, err error) {
	if receive, err = s.descriptorWith(suffixReceive, "h", true); err != nil {
		return "", "", err
	}
	change, err = s.descriptorWith(suffixChange, "h", true)
	return receive, change, err
}

// descriptorWith writes wsh(sortedmulti(...)) with suffix after every key, hardened steps
// marked with mark, and the checksum when sum is set.
func (s *Setup) descriptorWith(suffix, mark string, sum bool) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("wsh(sortedmulti(")
	b.WriteString(strconv.Itoa(s.Threshold))
	for _, k := range s.Keys {
		b.WriteByte(',')
		if k.HasOrigin() {
			steps, err := parsePath(k.Path)
			if err != nil {
				return "", err
			}
			b.WriteByte('[')
			b.WriteString(k.Fingerprint)
			if len(steps) > 0 {
				b.WriteByte('/')
				b.WriteString(formatPath(steps, mark, false))
			}
			b.WriteByte(']')
		}
		b.WriteString(k.Xpub)
		b.WriteString(suffix)
	}
	b.WriteString("))")
	if !sum {
		return b.String(), nil
	}
	out, err := descriptor.AddChecksum(b.String())
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return out, nil
}

// ParseDescriptor reads a wsh(sortedmulti(...)) descriptor whose keys are extended public
// keys ending in /<0;1>/*, or the two-descriptor form (the /0/* receive descriptor and the
// /1/* change one, on separate lines, either order). Origins may mark hardened steps with h
// or '; a "#checksum" is optional and checked when present. The network is Mainnet for
// xpubs and Testnet for tpubs, since a descriptor does not say.
func ParseDescriptor(text string) (*Setup, error) {
	if len(text) > MaxFileSize {
		return nil, invalidf("the descriptor is longer than %d KiB", MaxFileSize>>10)
	}
	lines := nonEmptyLines(text)
	switch len(lines) {
	case 0:
		return nil, invalidf("no descriptor given")
	case 1:
		s, suffix, err := parseOne(lines[0])
		if err != nil {
			return nil, err
		}
		if suffix != suffixMultipath {
			return nil, invalidf("the keys end in %s: give both the receive (/0/*) and the change (/1/*) descriptor, or one with /<0;1>/*", suffix)
		}
		return s, s.Validate()
	case 2:
		a, sa, err := parseOne(lines[0])
		if err != nil {
			return nil, fmt.Errorf("line 1: %w", err)
		}
		b, sb, err := parseOne(lines[1])
		if err != nil {
			return nil, fmt.Errorf("line 2: %w", err)
		}
		if !(sa == suffixReceive && sb == suffixChange || sa == suffixChange && sb == suffixReceive) {
			return nil, invalidf("two descriptors must be a receive one (keys ending /0/*) and a change one (/1/*)")
		}
		if !sameSetup(a, b) {
			return nil, invalidf("the receive and change descriptors differ in more than /0/* and /1/*")
		}
		return a, a.Validate()
	default:
		return nil, invalidf("%d lines: give one descriptor, or a receive and a change descriptor", len(lines))
	}
}

// parseOne reads one descriptor and returns the suffix all its keys share.
func parseOne(line string) (*Setup, string, error) {
	body, sum, hasSum := strings.Cut(line, "#")
	if hasSum {
		want, err := descriptor.Checksum(body)
		if err != nil {
			return nil, "", fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		if sum != want {
			return nil, "", fmt.Errorf("%w: %w: #%s does not match (a character is wrong)", ErrInvalid, descriptor.ErrChecksum, clip.Text(sum, 40))
		}
	}
	return parseTemplate(body)
}

// parseTemplate reads wsh(sortedmulti(M,KEY,...)) without a checksum; KEY may end in any of
// the suffixes above, the same for every key.
func parseTemplate(body string) (*Setup, string, error) {
	const open, closing = "wsh(sortedmulti(", "))"
	if !strings.HasPrefix(body, open) || !strings.HasSuffix(body, closing) {
		return nil, "", scriptError(body)
	}
	args := strings.Split(body[len(open):len(body)-len(closing)], ",")
	if len(args) < 2 {
		return nil, "", invalidf("sortedmulti needs a threshold and at least one key")
	}
	if len(args)-1 > MaxKeys {
		return nil, "", invalidf("%d keys: a P2WSH multisig takes at most %d", len(args)-1, MaxKeys)
	}
	m, err := strconv.Atoi(args[0])
	if err != nil || len(args[0]) > 2 || strings.HasPrefix(args[0], "0") || strings.HasPrefix(args[0], "+") {
		return nil, "", invalidf("threshold %q is not a number from 1 to %d", clip.Text(args[0], 40), MaxKeys)
	}
	s := &Setup{Threshold: m, ScriptType: ScriptP2WSH}
	suffix := ""
	for i, a := range args[1:] {
		k, suf, err := parseKeyExpr(a)
		if err != nil {
			return nil, "", fmt.Errorf("key %d: %w", i+1, err)
		}
		if i == 0 {
			suffix = suf
		} else if suf != suffix {
			return nil, "", invalidf("key %d ends in %s but key 1 in %s: all keys take the same path", i+1, suf, suffix)
		}
		s.Keys = append(s.Keys, k)
	}
	s.Network = networkOfKey(s.Keys[0].Xpub)
	return s, suffix, nil
}

// scriptError says what is wrong with a descriptor that is not wsh(sortedmulti(...)).
func scriptError(body string) error {
	switch {
	case strings.HasPrefix(body, "sh(wsh("), strings.HasPrefix(body, "sh(sortedmulti("), strings.HasPrefix(body, "sh(multi("):
		return unsupportedf("P2SH and nested P2SH-P2WSH multisig: only wsh(sortedmulti(...)) is supported")
	case strings.HasPrefix(body, "wsh(multi("):
		return unsupportedf("wsh(multi(...)) keeps the keys in the given order: only wsh(sortedmulti(...)) is supported")
	case strings.HasPrefix(body, "tr("):
		return unsupportedf("taproot multisig: only wsh(sortedmulti(...)) is supported")
	case strings.HasPrefix(body, "wpkh("), strings.HasPrefix(body, "pkh("), strings.HasPrefix(body, "sh(wpkh("):
		return unsupportedf("a single-key descriptor: a multisig setup is wsh(sortedmulti(...))")
	}
	return invalidf("not a wsh(sortedmulti(M,KEY,...)) descriptor")
}

// parseKeyExpr reads [fp/path]XPUB/suffix.
func parseKeyExpr(a string) (Key, string, error) {
	var k Key
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 {
			return k, "", invalidf("the key origin has no closing ]")
		}
		fp, path, _ := strings.Cut(a[1:end], "/")
		var err error
		if k.Fingerprint, err = parseFingerprint(fp); err != nil {
			return k, "", err
		}
		k.Path = "m"
		if path != "" {
			if k.Path, err = normPath("m/" + path); err != nil {
				return k, "", err
			}
		}
		a = a[end+1:]
	}
	x, rest, _ := strings.Cut(a, "/")
	if rest == "" {
		if strings.HasPrefix(x, "0") && len(x) == 66 || len(x) == 64 {
			return k, "", unsupportedf("a bare public key: a multisig wallet needs every cosigner's extended key (xpub/tpub)")
		}
		return k, "", invalidf("the key has no /<0;1>/* after it: give the account xpub with /<0;1>/*")
	}
	k.Xpub = x
	if strings.HasPrefix(x, "xprv") || strings.HasPrefix(x, "tprv") {
		return k, "", invalidf("a private key (xprv/tprv) was given: a setup file holds public keys only")
	}
	switch suffix := "/" + rest; suffix {
	case suffixMultipath, suffixReceive, suffixChange, suffixTemplate:
		return k, suffix, nil
	default:
		if strings.Contains(rest, "'") || strings.Contains(rest, "h") {
			return k, "", invalidf("hardened steps after the xpub cannot be derived from it: the key ends in /<0;1>/*")
		}
		return k, "", unsupportedf("the key ends in /%s: only /<0;1>/* (or /0/* and /1/*) after the account xpub is supported", clip.Text(rest, 40))
	}
}

// sameSetup compares two parsed descriptors' threshold and keys.
func sameSetup(a, b *Setup) bool {
	if a.Threshold != b.Threshold || len(a.Keys) != len(b.Keys) {
		return false
	}
	for i := range a.Keys {
		if a.Keys[i] != b.Keys[i] {
			return false
		}
	}
	return true
}

// nonEmptyLines splits text into its lines without the blank ones and surrounding spaces.
func nonEmptyLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
