package setupfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/satchel-wallet/satchel/internal/clip"
)

// caravanUnknownPath is what Caravan writes as bip32Path for a key whose origin it does not
// know.
const caravanUnknownPath = "Unknown"

// caravanConfig is Unchained's Caravan wallet configuration, the fields satchel reads and
// writes. Others (client, uuid, ledgerPolicyHmacs, a key's method) are ignored on input and
// not written: client would name a blockchain server the other coordinator may not want.
type caravanConfig struct {
	Name                 string          `json:"name"`
	AddressType          string          `json:"addressType"`
	Network              string          `json:"network"`
	Quorum               *caravanQuorum  `json:"quorum"`
	ExtendedPublicKeys   []caravanKey    `json:"extendedPublicKeys"`
	StartingAddressIndex json.RawMessage `json:"startingAddressIndex,omitempty"`
}

type caravanQuorum struct {
	RequiredSigners int `json:"requiredSigners"`
	TotalSigners    int `json:"totalSigners"`
}

type caravanKey struct {
	Name      string `json:"name"`
	Bip32Path string `json:"bip32Path"`
	Xpub      string `json:"xpub"`
	Xfp       string `json:"xfp,omitempty"`
}

// Caravan writes the setup as a Caravan wallet configuration (JSON, indented, ending in a
// newline). Keys without a known origin get bip32Path "Unknown", as Caravan writes them; a
// setup with no name is called "satchel M-of-N", and a key with none by its fingerprint.
// Testnet4 is written as "testnet", the name Caravan knows for its keys and addresses.
func (s *Setup) Caravan() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	c := caravanConfig{
		Name:                 s.defaultName(),
		AddressType:          "P2WSH",
		Network:              caravanNetwork(s.Network),
		Quorum:               &caravanQuorum{RequiredSigners: s.Threshold, TotalSigners: len(s.Keys)},
		StartingAddressIndex: json.RawMessage("0"),
	}
	for i, k := range s.Keys {
		ck := caravanKey{Name: k.Name, Bip32Path: k.Path, Xpub: k.Xpub, Xfp: k.Fingerprint}
		if !k.HasOrigin() {
			ck.Bip32Path = caravanUnknownPath
		}
		if ck.Name == "" {
			ck.Name = fmt.Sprintf("Key %d", i+1)
			if k.HasOrigin() {
				ck.Name = k.Fingerprint
			}
		}
		c.ExtendedPublicKeys = append(c.ExtendedPublicKeys, ck)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode caravan config: %w", err)
	}
	return buf.Bytes(), nil
}

// ParseCaravan reads a Caravan wallet configuration. addressType must be P2WSH and
// quorum.totalSigners the number of keys; a bip32Path of "Unknown" (or none) gives a key
// without origin.
func ParseCaravan(data []byte) (*Setup, error) {
	if len(data) > MaxFileSize {
		return nil, invalidf("the Caravan file is larger than %d KiB", MaxFileSize>>10)
	}
	var c caravanConfig
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	if err := dec.Decode(&c); err != nil {
		return nil, invalidf("not a Caravan wallet configuration: %v", jsonReason(err))
	}
	if dec.More() {
		return nil, invalidf("the Caravan file has more after its JSON object")
	}
	switch t := strings.ToUpper(c.AddressType); t {
	case "P2WSH":
	case "":
		return nil, invalidf("the Caravan file has no addressType")
	case "P2SH", "P2SH-P2WSH", "P2SH_P2WSH", "P2TR":
		return nil, unsupportedf("addressType %s: only P2WSH multisig is supported", t)
	default:
		return nil, invalidf("addressType %q is not one Caravan writes", clip.Text(c.AddressType, 40))
	}
	if c.Quorum == nil {
		return nil, invalidf("the Caravan file has no quorum")
	}
	if c.Quorum.TotalSigners != len(c.ExtendedPublicKeys) {
		return nil, invalidf("quorum.totalSigners is %d but %d extendedPublicKeys are listed",
			c.Quorum.TotalSigners, len(c.ExtendedPublicKeys))
	}
	s := &Setup{Name: c.Name, Threshold: c.Quorum.RequiredSigners, ScriptType: ScriptP2WSH}
	switch n := strings.ToLower(c.Network); n {
	case Mainnet, Testnet, Testnet4, Signet, Regtest:
		s.Network = n
	case "":
		return nil, invalidf("the Caravan file has no network")
	default:
		return nil, invalidf("network %q: Caravan's networks are mainnet, testnet, signet and regtest", clip.Text(c.Network, 40))
	}
	for i, ck := range c.ExtendedPublicKeys {
		k := Key{Name: ck.Name, Xpub: strings.TrimSpace(ck.Xpub)}
		if ck.Bip32Path != "" && ck.Bip32Path != caravanUnknownPath {
			var err error
			if k.Path, err = normPath(ck.Bip32Path); err != nil {
				return nil, fmt.Errorf("key %d: %w", i+1, err)
			}
			if ck.Xfp == "" {
				return nil, invalidf("key %d has bip32Path %s but no xfp (master fingerprint)", i+1, clip.Text(ck.Bip32Path, 40))
			}
			if k.Fingerprint, err = parseFingerprint(ck.Xfp); err != nil {
				return nil, fmt.Errorf("key %d: %w", i+1, err)
			}
		}
		s.Keys = append(s.Keys, k)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// caravanNetwork is the network name Caravan knows: it has no testnet4, whose keys and
// addresses are testnet's.
func caravanNetwork(n string) string {
	if n == Testnet4 {
		return Testnet
	}
	return n
}

// jsonReason shortens a decoding error to its reason, in words, without quoting the input.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early (cut short?): check that the file was copied whole"
	case errors.As(err, &se):
		return fmt.Sprintf("JSON syntax error at byte %d: check that the file was copied whole", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s should be %s", te.Field, jsonKind(te.Type.Kind()))
	}
	return "it does not read as JSON"
}

// jsonKind names a Go kind as a JSON value, for a person: "a number", not "a int".
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "text in quotes"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	case reflect.Struct, reflect.Map:
		return "an object {...}"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	if k >= reflect.Int && k <= reflect.Uint64 {
		return "a whole number"
	}
	return "another kind of value"
}
