package silentpay

import (
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/address/v2/bech32"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// Address prefixes. BIP352 names the first two; RegtestHRP is Bitcoin Core's regtest prefix,
// accepted on regtest only (satchel writes regtest addresses with TestnetHRP).
const (
	MainnetHRP = "sp"
	TestnetHRP = "tsp"
	RegtestHRP = "sprt"
)

// MaxAddressLength is the longest address ParseAddress reads. BIP352 raises bech32's 90
// character limit to 1023 so later versions can carry more data; a version 0 address is 116
// (sp) or 117 (tsp) characters.
const MaxAddressLength = 1023

// keysLen is the payload of a version 0 address: ser_P(B_scan) || ser_P(B_m).
const keysLen = 2 * btcec.PubKeyBytesLenCompressed

// Address is a silent payment address: the receiver's scan key B_scan and spend key B_m (the
// spend key, or a labelled spend key for a labelled address).
type Address struct {
	Scan, Spend *btcec.PublicKey
	// Version is the address version, 0 to 30. Versions 1-30 are future upgrades a version 0
	// sender can still pay, using only the first 66 bytes of their data.
	Version byte
	// Mainnet picks the "sp" prefix; otherwise "tsp".
	Mainnet bool
}

// NewAddress is the version 0 address for a scan key and a (possibly labelled) spend key on
// net.
func NewAddress(scan, spend *btcec.PublicKey, net *chaincfg.Params) *Address {
	return &Address{Scan: scan, Spend: spend, Mainnet: isMainnet(net)}
}

// String encodes the address in lower-case bech32m. For versions above 0 only the two keys
// are written, so data a future version carried beyond them is not kept. It is "" when a key
// is missing.
func (a *Address) String() string {
	if a == nil || a.Scan == nil || a.Spend == nil || a.Version > 30 {
		return ""
	}
	payload := make([]byte, 0, keysLen)
	payload = append(payload, a.Scan.SerializeCompressed()...)
	payload = append(payload, a.Spend.SerializeCompressed()...)
	data, err := bech32.ConvertBits(payload, 8, 5, true)
	if err != nil {
		return "" // unreachable: 8-to-5 conversion with padding cannot fail
	}
	hrp := TestnetHRP
	if a.Mainnet {
		hrp = MainnetHRP
	}
	s, err := bech32.EncodeM(hrp, append([]byte{a.Version}, data...))
	if err != nil {
		return "" // unreachable: every value is below 32
	}
	return s
}

// ParseAddress reads a silent payment address for net. The address may be all upper case,
// as QR codes print it. Mainnet takes "sp1..." and every test network "tsp1..." (regtest
// also "sprt1..."). Version 0 must carry exactly two 33-byte keys; versions 1-30 at least
// that much, of which only the keys are read; version 31 is refused with
// ErrUnsupportedVersion.
func ParseAddress(s string, net *chaincfg.Params) (*Address, error) {
	switch {
	case net == nil:
		return nil, errors.New("parse silent payment address: no network given")
	case s == "":
		return nil, fmt.Errorf("%w: empty string", ErrInvalidAddress)
	case len(s) > MaxAddressLength:
		return nil, fmt.Errorf("%w: %.20q… is %d characters, more than %d", ErrInvalidAddress,
			s, len(s), MaxAddressLength)
	}
	hrp, data, variant, err := bech32.DecodeNoLimitWithVersion(s)
	if err != nil {
		var cs bech32.ErrInvalidChecksum
		if errors.As(err, &cs) {
			return nil, fmt.Errorf("%w: %.20q…: checksum does not match, a character is wrong",
				ErrInvalidAddress, s)
		}
		return nil, fmt.Errorf("%w: %.20q…: %v", ErrInvalidAddress, s, err)
	}
	if hrp != MainnetHRP && hrp != TestnetHRP && hrp != RegtestHRP {
		return nil, fmt.Errorf("%w: prefix %q is not sp or tsp", ErrInvalidAddress, hrp)
	}
	mainnet := hrp == MainnetHRP
	if variant != bech32.VersionM {
		return nil, fmt.Errorf("%w: %.20q… uses the bech32 checksum, not bech32m", ErrInvalidAddress, s)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: %.20q… has no version", ErrInvalidAddress, s)
	}
	version := data[0]
	if version == 31 {
		return nil, fmt.Errorf("%w: %.20q… is version 31", ErrUnsupportedVersion, s)
	}
	payload, err := bech32.ConvertBits(data[1:], 5, 8, false)
	if err != nil {
		return nil, fmt.Errorf("%w: %.20q…: bad padding in the data", ErrInvalidAddress, s)
	}
	switch {
	case version == 0 && len(payload) != keysLen:
		return nil, fmt.Errorf("%w: a version 0 address carries %d bytes, not %d",
			ErrInvalidAddress, len(payload), keysLen)
	case len(payload) < keysLen:
		return nil, fmt.Errorf("%w: a version %d address carries %d bytes, fewer than %d",
			ErrInvalidAddress, version, len(payload), keysLen)
	}
	scan, err := parseCompressed(payload[:33])
	if err != nil {
		return nil, fmt.Errorf("%w: scan key: %v", ErrInvalidAddress, err)
	}
	spend, err := parseCompressed(payload[33:keysLen])
	if err != nil {
		return nil, fmt.Errorf("%w: spend key: %v", ErrInvalidAddress, err)
	}
	if mainnet != isMainnet(net) || (hrp == RegtestHRP && !isRegtest(net)) {
		return nil, fmt.Errorf("%w: %s... is for %s, but this wallet is on %s", ErrWrongNetwork,
			strings.ToLower(s[:len(hrp)+8]), hrpNetwork(hrp), net.Name)
	}
	return &Address{Scan: scan, Spend: spend, Version: version, Mainnet: mainnet}, nil
}

// parseCompressed reads a 33-byte SEC1 compressed key, refusing the other encodings
// btcec.ParsePubKey accepts.
func parseCompressed(b []byte) (*btcec.PublicKey, error) {
	if len(b) != 33 || (b[0] != 0x02 && b[0] != 0x03) {
		return nil, errors.New("not a compressed public key")
	}
	return btcec.ParsePubKey(b)
}

func hrpNetwork(hrp string) string {
	switch hrp {
	case MainnetHRP:
		return "mainnet"
	case RegtestHRP:
		return "regtest"
	}
	return "a test network"
}

func isMainnet(net *chaincfg.Params) bool {
	return net != nil && net.Net == chaincfg.MainNetParams.Net
}

func isRegtest(net *chaincfg.Params) bool {
	return net != nil && net.Net == chaincfg.RegressionNetParams.Net
}
