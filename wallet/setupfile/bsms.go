package setupfile

import (
	"fmt"
	"strings"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// BIP129 descriptor record constants.
const (
	bsmsVersion        = "BSMS 1.0"
	bsmsRestrictions   = "/0/*,/1/*"
	bsmsNoRestrictions = "No path restrictions"
)

// AddressFunc derives the address at index 0 of a ranged descriptor (given with its
// checksum, keys ending in /0/*) on network (Mainnet, Testnet, Signet or Regtest). The wallet
// supplies its own multisig derivation, so the address in a BSMS record is the one the wallet
// will hand out.
type AddressFunc func(descriptor, network string) (string, error)

// BSMS writes the setup as a BIP129 descriptor record (unencrypted, TOKEN 0x00):
//
//	BSMS 1.0
//	wsh(sortedmulti(M,[fp/48'/0'/0'/2']xpub.../**,...))
//	/0/*,/1/*
//	bc1q...   (the first receive address)
//
// as BIP129's test vectors write it (apostrophes, no checksum on the template). derive
// computes the first address; without one the record cannot be written (ErrNoDerivation).
func (s *Setup) BSMS(derive AddressFunc) ([]byte, error) {
	tmpl, err := s.descriptorWith(suffixTemplate, "'", false)
	if err != nil {
		return nil, err
	}
	addr, err := s.firstAddress(derive)
	if err != nil {
		return nil, err
	}
	return []byte(bsmsVersion + "\n" + tmpl + "\n" + bsmsRestrictions + "\n" + addr + "\n"), nil
}

// firstAddress derives the first receive address of the setup.
func (s *Setup) firstAddress(derive AddressFunc) (string, error) {
	if derive == nil {
		return "", fmt.Errorf("%w: a BSMS record's first address needs the wallet's multisig derivation", ErrNoDerivation)
	}
	receive, _, err := s.Descriptors()
	if err != nil {
		return "", err
	}
	addr, err := derive(receive, s.Network)
	if err != nil {
		return "", fmt.Errorf("derive the first address: %w", err)
	}
	return addr, nil
}

// ParseBSMS reads an unencrypted BIP129 descriptor record: "BSMS 1.0", a wsh(sortedmulti(...))
// descriptor template with /** and the path restrictions "/0/*,/1/*" (or a multipath
// descriptor with "No path restrictions"), and the first address. The network comes from the
// address (bc1, tb1, bcrt1). The address is kept in FirstAddress, unchecked: call
// VerifyFirstAddress (or use Import) before trusting the record.
func ParseBSMS(data []byte) (*Setup, error) {
	if len(data) > MaxFileSize {
		return nil, invalidf("the BSMS record is larger than %d KiB", MaxFileSize>>10)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	if len(lines) == 0 || lines[0] != bsmsVersion {
		if len(lines) > 0 && strings.HasPrefix(lines[0], "BSMS ") {
			return nil, unsupportedf("%q: satchel reads BSMS 1.0 records", clip.Text(lines[0], 40))
		}
		if len(lines) > 0 && isHex(lines[0]) {
			return nil, unsupportedf("an encrypted BSMS record: decrypt it with its TOKEN first")
		}
		return nil, invalidf("a BSMS record starts with the line %q", bsmsVersion)
	}
	if len(lines) == 5 || len(lines) >= 3 && strings.HasPrefix(lines[2], "[") {
		return nil, invalidf("this is a BSMS key record (one signer's key), not a descriptor record")
	}
	if len(lines) != 4 {
		return nil, invalidf("a BSMS descriptor record has 4 lines (version, descriptor, path restrictions, first address), this one %d", len(lines))
	}
	s, suffix, err := parseOne(lines[1])
	if err != nil {
		return nil, fmt.Errorf("line 2: %w", err)
	}
	switch restr := strings.ReplaceAll(lines[2], " ", ""); {
	case suffix == suffixTemplate && restr == bsmsRestrictions:
	case suffix == suffixTemplate && lines[2] == bsmsNoRestrictions:
		return nil, invalidf("line 3: a /** template needs its path restrictions (%s), not %q", bsmsRestrictions, bsmsNoRestrictions)
	case suffix == suffixTemplate:
		return nil, unsupportedf("path restrictions %q: satchel handles %q (receive and change)", clip.Text(lines[2], 40), bsmsRestrictions)
	case lines[2] == bsmsNoRestrictions && suffix == suffixMultipath:
	case lines[2] == bsmsNoRestrictions:
		return nil, unsupportedf("keys ending in %s with no path restrictions: satchel needs a receive and a change chain (/** with %q, or /<0;1>/*)", suffix, bsmsRestrictions)
	default:
		return nil, invalidf("line 3 %q: path restrictions go with a /** template, %q with a full descriptor", clip.Text(lines[2], 40), bsmsNoRestrictions)
	}
	addr := strings.ToLower(lines[3])
	switch {
	case strings.HasPrefix(addr, "bc1"):
		s.Network = Mainnet
	case strings.HasPrefix(addr, "tb1"):
		s.Network = Testnet
	case strings.HasPrefix(addr, "bcrt1"):
		s.Network = Regtest
	default:
		return nil, invalidf("line 4 %q is not a bech32 address: a P2WSH wallet's first address starts bc1, tb1 or bcrt1", clip.Text(lines[3], 40))
	}
	s.FirstAddress = addr
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// VerifyFirstAddress checks the first address a BSMS record claims (FirstAddress) against
// the one derive gives for the setup's keys: ErrFirstAddress when they differ, as BIP129
// requires before a signer or coordinator keeps the record. A setup with no FirstAddress
// passes.
func (s *Setup) VerifyFirstAddress(derive AddressFunc) error {
	if s.FirstAddress == "" {
		return nil
	}
	got, err := s.firstAddress(derive)
	if err != nil {
		return err
	}
	if !strings.EqualFold(got, s.FirstAddress) {
		return fmt.Errorf("%w: the record says %s, its keys give %s: the record was altered or made for other keys",
			ErrFirstAddress, clip.Text(s.FirstAddress, 40), got)
	}
	return nil
}

func isHex(s string) bool {
	if len(s) < 32 || len(s)%2 != 0 {
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
