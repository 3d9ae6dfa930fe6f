package setupfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Limits on what a setup may hold. MaxKeys is the most keys a standard P2WSH CHECKMULTISIG
// script takes (policy: 15); MaxFileSize bounds what the parsers read (a 15-key file is a few
// kilobytes), MaxNameLen what a name may hold.
const (
	MaxKeys     = 15
	MaxFileSize = 256 << 10
	MaxNameLen  = 64
	maxPathLen  = 16
)

// Script types and networks a Setup names.
const (
	ScriptP2WSH = "p2wsh"

	Mainnet  = "mainnet"
	Testnet  = "testnet"
	Testnet4 = "testnet4"
	Signet   = "signet"
	Regtest  = "regtest"
)

// Format names, as Detect returns them and as satchel setup convert --to takes them.
const (
	FormatDescriptor = "descriptor"
	FormatBSMS       = "bsms"
	FormatCaravan    = "caravan"
	FormatColdcard   = "coldcard"
)

// Formats lists the format names in the order help texts show them.
var Formats = []string{FormatDescriptor, FormatBSMS, FormatCaravan, FormatColdcard}

// Setup is one k-of-n multisig wallet, independent of the file it came from: what every
// cosigner and coordinator must agree on to derive the same addresses.
type Setup struct {
	// Name is the wallet's name for people (Caravan and Coldcard files carry one; a
	// descriptor or BSMS record does not, and it is then empty).
	Name string
	// Threshold is M, the signatures a spend needs.
	Threshold int
	// Keys are the n cosigners' account keys, in the file's order (sortedmulti sorts each
	// address's public keys, so the order does not change the addresses).
	Keys []Key
	// ScriptType is ScriptP2WSH, the only one handled.
	ScriptType string
	// Network is Mainnet, Testnet, Testnet4, Signet or Regtest. Files that do not say
	// (descriptors, Coldcard files) give Mainnet for xpubs and Testnet for tpubs; see
	// AdoptNetwork.
	Network string
	// FirstAddress is the first receive address a BSMS record claims, as read and not yet
	// checked (see VerifyFirstAddress); empty for the other formats.
	FirstAddress string
}

// Key is one cosigner's account-level extended public key and where it comes from.
type Key struct {
	// Fingerprint is the master key's fingerprint, 8 lowercase hex digits, or "" when the
	// origin is unknown (a key pasted without it: hardware signers then cannot find their key).
	Fingerprint string
	// Path is the derivation from the master key to Xpub, "m/48'/1'/0'/2'" (apostrophes,
	// leading m), or "" exactly when Fingerprint is "".
	Path string
	// Xpub is the extended public key, xpub on mainnet and tpub on the test networks.
	Xpub string
	// Name is the cosigner's name where the format has one (Caravan); may be empty.
	Name string
}

// HasOrigin reports whether the key's master fingerprint and path are known.
func (k Key) HasOrigin() bool { return k.Fingerprint != "" }

func invalidf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

func unsupportedf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, a...))
}

// Validate checks what every format needs: a threshold from 1 to n, at most 15 keys, no key
// twice, every key a public xpub/tpub for the network whose depth matches its path, a
// fingerprint of 8 hex digits, and a printable name.
func (s *Setup) Validate() error {
	if s.ScriptType != ScriptP2WSH {
		return unsupportedf("script type %q: only p2wsh (wsh(sortedmulti(...))) is supported", s.ScriptType)
	}
	if err := checkName("the wallet name", s.Name); err != nil {
		return err
	}
	n := len(s.Keys)
	switch {
	case n == 0:
		return invalidf("the setup has no keys")
	case n > MaxKeys:
		return invalidf("%d keys: a P2WSH multisig takes at most %d", n, MaxKeys)
	case s.Threshold < 1 || s.Threshold > n:
		return invalidf("threshold %d with %d keys: it must be from 1 to %d", s.Threshold, n, n)
	}
	var wantVersion [4]byte
	switch s.Network {
	case Mainnet:
		wantVersion = chaincfg.MainNetParams.HDPublicKeyID
	case Testnet, Testnet4, Signet, Regtest:
		wantVersion = chaincfg.TestNet3Params.HDPublicKeyID
	default:
		return invalidf("network %q: it must be mainnet, testnet, testnet4, signet or regtest", s.Network)
	}
	seen := make(map[string]int, n)
	origins := make(map[string]int, n)
	for i, k := range s.Keys {
		if j, dup := seen[k.Xpub]; dup {
			return invalidf("key %d is key %d again: each cosigner's key appears once", i+1, j+1)
		}
		seen[k.Xpub] = i
		if k.HasOrigin() {
			// One master key and path give one xpub: two xpubs claiming the same origin
			// mean one of them is not what it says.
			o := k.Fingerprint + k.Path
			if j, dup := origins[o]; dup {
				return invalidf("keys %d and %d both claim to be %s at %s", j+1, i+1, k.Fingerprint, k.Path)
			}
			origins[o] = i
		}
		if err := k.validate(wantVersion, s.Network); err != nil {
			return fmt.Errorf("key %d: %w", i+1, err)
		}
	}
	return nil
}

func (k Key) validate(wantVersion [4]byte, network string) error {
	if err := checkName("the key name", k.Name); err != nil {
		return err
	}
	ext, err := keys.ParseExtendedKey(k.Xpub)
	if err != nil {
		// keys' message names the problem without echoing the key.
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if ext.IsPrivate() {
		return invalidf("a private key (xprv/tprv) was given: a setup file holds public keys only")
	}
	if [4]byte(ext.Version()) != wantVersion {
		want := "xpub"
		if network != Mainnet {
			want = "tpub"
		}
		return invalidf("%s... is not a %s key: %s wants %s", short(k.Xpub), network, network, want)
	}
	if (k.Fingerprint == "") != (k.Path == "") {
		return invalidf("a key origin needs both the fingerprint and the path")
	}
	if !k.HasOrigin() {
		return nil
	}
	if !isFingerprint(k.Fingerprint) {
		return invalidf("fingerprint %q is not 8 lowercase hex digits", k.Fingerprint)
	}
	steps, err := parsePath(k.Path)
	if err != nil {
		return err
	}
	if formatPath(steps, "'", true) != k.Path {
		return invalidf("path %q is not written m/48'/1'/0'/2' style", k.Path)
	}
	if int(ext.Depth()) != len(steps) {
		return invalidf("the key is at depth %d but its path %s has %d steps: the origin is not this key's",
			ext.Depth(), k.Path, len(steps))
	}
	return nil
}

// CheckName checks a wallet name as Validate does, so a command can refuse a name the user typed
// before it opens anything.
func CheckName(name string) error { return checkName("the wallet name", name) }

// checkName refuses control characters (a newline would add lines to a Coldcard file) and
// overlong names.
func checkName(what, name string) error {
	if !utf8.ValidString(name) {
		return invalidf("%s is not UTF-8", what)
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return invalidf("%s is longer than %d characters: shorten it", what, MaxNameLen)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return invalidf("%s holds a control character (%U): remove it", what, r)
		}
		if clip.Hides(r) {
			return invalidf("%s holds an invisible or text-direction character (%U): remove it", what, r)
		}
	}
	return nil
}

func isFingerprint(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// parseFingerprint reads 8 hex digits in either case and returns them lowercase.
func parseFingerprint(s string) (string, error) {
	l := strings.ToLower(s)
	if !isFingerprint(l) {
		return "", invalidf("fingerprint %q is not 8 hex digits", clip.Text(s, 40))
	}
	return l, nil
}

const hardened = 1 << 31

// parsePath reads a BIP32 path with or without the leading "m", hardened steps marked with
// ', h or H. "m" alone (or "") is the master key: no steps.
func parsePath(p string) ([]uint32, error) {
	rest := strings.TrimPrefix(strings.TrimPrefix(p, "m"), "M")
	if rest == "" {
		return nil, nil
	}
	if !strings.HasPrefix(rest, "/") && len(rest) == len(p) {
		rest = "/" + rest // an origin's path inside [fp/...] comes without m
	}
	if !strings.HasPrefix(rest, "/") {
		return nil, invalidf("path %q: steps are separated by /", clip.Text(p, 40))
	}
	parts := strings.Split(rest[1:], "/")
	if len(parts) > maxPathLen {
		return nil, invalidf("path %q has more than %d steps", clip.Text(p, 40), maxPathLen)
	}
	steps := make([]uint32, 0, len(parts))
	for _, part := range parts {
		hard := false
		if n := len(part); n > 0 && (part[n-1] == '\'' || part[n-1] == 'h' || part[n-1] == 'H') {
			hard, part = true, part[:n-1]
		}
		if part == "" || len(part) > 10 || strings.TrimLeft(part, "0123456789") != "" || (len(part) > 1 && part[0] == '0') {
			return nil, invalidf("path %q: %q is not a step number", clip.Text(p, 40), clip.Text(part, 40))
		}
		v, err := strconv.ParseUint(part, 10, 32)
		if err != nil || v >= hardened {
			return nil, invalidf("path %q: step %s is out of range", clip.Text(p, 40), part)
		}
		if hard {
			v += hardened
		}
		steps = append(steps, uint32(v))
	}
	return steps, nil
}

// formatPath writes steps with mark for hardened steps, with the leading "m" when withM.
func formatPath(steps []uint32, mark string, withM bool) string {
	var b strings.Builder
	if withM {
		b.WriteString("m")
	}
	for i, s := range steps {
		if withM || i > 0 {
			b.WriteByte('/')
		}
		if s >= hardened {
			b.WriteString(strconv.FormatUint(uint64(s-hardened), 10))
			b.WriteString(mark)
		} else {
			b.WriteString(strconv.FormatUint(uint64(s), 10))
		}
	}
	return b.String()
}

// normPath turns any accepted spelling of a path into the Key.Path form.
func normPath(p string) (string, error) {
	steps, err := parsePath(p)
	if err != nil {
		return "", err
	}
	return formatPath(steps, "'", true), nil
}

// short is the start of a key for error messages: enough to recognise it.
func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// networkOfKey says which network a key's version is for: Mainnet for xpub, Testnet for tpub
// (the test networks share tpub, so the file must say which, or Testnet is assumed).
func networkOfKey(xpub string) string {
	if strings.HasPrefix(xpub, "tpub") {
		return Testnet
	}
	return Mainnet
}

// defaultName is the name written where a format needs one and the setup has none.
func (s *Setup) defaultName() string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("satchel %d-of-%d", s.Threshold, len(s.Keys))
}

// AdoptNetwork sets the setup's network to network where the file read in format left it
// open: a descriptor or Coldcard file tells only mainnet (xpub) from the test networks
// (tpub), and a BSMS record's tb1 address does not tell testnet, testnet4 and signet apart.
// A network the file states (Caravan's, a BSMS bcrt1 or bc1 address), or one of the other
// kind of key, is kept: the file wins over a default.
func (s *Setup) AdoptNetwork(format, network string) {
	if (network == Mainnet) != (s.Network == Mainnet) {
		return
	}
	switch format {
	case FormatDescriptor, FormatColdcard:
		switch network {
		case Mainnet, Testnet, Testnet4, Signet, Regtest:
			s.Network = network
		}
	case FormatBSMS:
		if s.Network == Testnet && (network == Testnet4 || network == Signet) {
			s.Network = network
		}
	}
}
