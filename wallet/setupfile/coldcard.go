package setupfile

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// Coldcard writes the setup as a Coldcard multisig setup file, the text file Coldcard,
// Sparrow, Passport and Keystone import:
//
//	Name: ...
//	Policy: 2 of 3
//	Format: P2WSH
//
//	Derivation: m/48'/1'/0'/2'
//	0F056943: tpub...
//
// Each key gets its own Derivation line (Coldcard and Sparrow read a Derivation line as the
// path of the keys after it), so keys on different paths need nothing special. Every key
// needs a known origin: Coldcard finds its own key by fingerprint and path.
func (s *Setup) Coldcard() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# Multisig setup file (written by satchel)\n#\n")
	fmt.Fprintf(&b, "Name: %s\nPolicy: %d of %d\nFormat: P2WSH\n", s.defaultName(), s.Threshold, len(s.Keys))
	for i, k := range s.Keys {
		if !k.HasOrigin() {
			return nil, invalidf("key %d has no fingerprint and path: a Coldcard file needs both for every key", i+1)
		}
		fmt.Fprintf(&b, "\nDerivation: %s\n%s: %s\n", k.Path, strings.ToUpper(k.Fingerprint), k.Xpub)
	}
	return b.Bytes(), nil
}

// ParseColdcard reads a Coldcard multisig setup file: "Name:", "Policy: M of N" (or M/N),
// "Format: P2WSH", and one "XFP: xpub" line per key, each taking the path of the last
// "Derivation:" line before it. Lines starting with # are comments. Keys may be SLIP-132
// Zpub/Vpub, which older Coldcard firmware writes for P2WSH; they are read as xpub/tpub.
// The network is Mainnet for xpubs and Testnet for tpubs, since the file does not say.
func ParseColdcard(data []byte) (*Setup, error) {
	if len(data) > MaxFileSize {
		return nil, invalidf("the Coldcard file is larger than %d KiB", MaxFileSize>>10)
	}
	s := &Setup{ScriptType: ScriptP2WSH}
	var (
		path, format string
		m, n         int
		sawPolicy    bool
		sawName      bool
	)
	text := strings.TrimPrefix(string(data), "\ufeff")
	for i, line := range strings.Split(text, "\n") {
		no := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, invalidf("line %d is not \"Label: value\" or \"XFP: xpub\"", no)
		}
		label, value = strings.TrimSpace(label), strings.TrimSpace(value)
		switch strings.ToLower(label) {
		case "name":
			if sawName {
				return nil, invalidf("line %d: a second Name line", no)
			}
			s.Name, sawName = value, true
		case "policy":
			if sawPolicy {
				return nil, invalidf("line %d: a second Policy line", no)
			}
			var err error
			if m, n, err = parsePolicy(value); err != nil {
				return nil, fmt.Errorf("line %d: %w", no, err)
			}
			sawPolicy = true
		case "derivation":
			p, err := normPath(value)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", no, err)
			}
			path = p
		case "format":
			if format != "" {
				return nil, invalidf("line %d: a second Format line", no)
			}
			format = strings.ToUpper(value)
			switch format {
			case "P2WSH":
			case "P2SH", "P2SH-P2WSH", "P2WSH-P2SH", "P2TR":
				return nil, unsupportedf("line %d: Format %s: only P2WSH multisig is supported", no, format)
			default:
				return nil, invalidf("line %d: Format %q is not P2WSH, P2SH-P2WSH or P2SH", no, clip.Text(value, 40))
			}
		default:
			fp, err := parseFingerprint(label)
			if err != nil {
				return nil, invalidf("line %d: %q is neither Name, Policy, Derivation, Format nor a key's 8-digit fingerprint", no, clip.Text(label, 40))
			}
			if path == "" {
				return nil, invalidf("line %d: key %s comes before any Derivation line, so its path is unknown", no, strings.ToUpper(fp))
			}
			if len(s.Keys) == MaxKeys {
				return nil, invalidf("more than %d keys: a P2WSH multisig takes at most %d", MaxKeys, MaxKeys)
			}
			x, err := fromSLIP132(value)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", no, err)
			}
			s.Keys = append(s.Keys, Key{Fingerprint: fp, Path: path, Xpub: x})
		}
	}
	switch {
	case !sawPolicy:
		return nil, invalidf("no \"Policy: M of N\" line")
	case format == "":
		return nil, unsupportedf("no \"Format:\" line: Coldcard reads that as P2SH, which satchel does not support (add \"Format: P2WSH\" if the wallet is P2WSH)")
	case len(s.Keys) == 0:
		return nil, invalidf("no \"XFP: xpub\" key lines")
	case n != len(s.Keys):
		return nil, invalidf("Policy says %d of %d but %s listed", m, n, map[bool]string{true: "1 key is", false: fmt.Sprint(len(s.Keys)) + " keys are"}[len(s.Keys) == 1])
	}
	s.Threshold = m
	s.Network = networkOfKey(s.Keys[0].Xpub)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// parsePolicy reads "M of N" or "M/N".
func parsePolicy(v string) (m, n int, err error) {
	a, b, ok := strings.Cut(strings.ToLower(v), "of")
	if !ok {
		a, b, ok = strings.Cut(v, "/")
	}
	if ok {
		m, err1 := strconv.Atoi(strings.TrimSpace(a))
		n, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 == nil && err2 == nil && m >= 1 && n >= 1 && m <= MaxKeys && n <= MaxKeys {
			return m, n, nil
		}
	}
	return 0, 0, invalidf("Policy %q is not \"M of N\" with M and N from 1 to %d", clip.Text(v, 40), MaxKeys)
}

// SLIP-132 versions for P2WSH multisig public keys (Zpub mainnet, Vpub test networks).
var (
	versionZpub = [4]byte{0x02, 0xaa, 0x7e, 0xd3}
	versionVpub = [4]byte{0x02, 0x57, 0x54, 0x83}
)

// fromSLIP132 rewrites a Zpub/Vpub as the xpub/tpub of the same key; other keys pass as they
// are (Validate checks them).
func fromSLIP132(s string) (string, error) {
	if !strings.HasPrefix(s, "Zpub") && !strings.HasPrefix(s, "Vpub") {
		return s, nil
	}
	raw := base58.Decode(s)
	if len(raw) != 82 || !bytes.Equal(chainhash.DoubleHashB(raw[:78])[:4], raw[78:]) {
		return "", invalidf("%s... is not a valid extended key (a character is wrong)", short(s))
	}
	var v [4]byte
	copy(v[:], raw[:4])
	switch v {
	case versionZpub:
		copy(raw[:4], chaincfg.MainNetParams.HDPublicKeyID[:])
	case versionVpub:
		copy(raw[:4], chaincfg.TestNet3Params.HDPublicKeyID[:])
	default:
		return "", invalidf("%s... has an unknown version %x", short(s), v)
	}
	copy(raw[78:], chainhash.DoubleHashB(raw[:78])[:4])
	return base58.Encode(raw), nil
}
