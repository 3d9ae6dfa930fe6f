package address

import (
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/address/v2/bech32"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// Address is a decoded address satchel may pay to.
type Address struct {
	String         string // as it should be shown: lowercase for bech32, as given for base58
	PkScript       []byte // the output script paying to it
	Type           txbuilder.ScriptType
	WitnessVersion int // 0 or 1 for segwit addresses, -1 for base58 ones
}

// segwitHRPs maps each bech32 prefix to the network it belongs to, longest first so "bcrt"
// is not read as "bc".
var segwitHRPs = []struct{ hrp, network string }{
	{"bcrt", "regtest"},
	{"bc", "mainnet"},
	{"tb", "testnet"},
}

// Decode reads an address for net. Bech32 and Bech32m addresses may be all upper case, as QR
// codes print them. tb1 addresses are valid on every test network (testnet, testnet4, signet)
// and regtest uses bcrt1; base58 test addresses (m, n, 2) are valid on all test networks and
// regtest alike, since those share the encoding.
func Decode(s string, net *chaincfg.Params) (*Address, error) {
	switch {
	case s == "":
		return nil, invalid("no address given")
	case len(s) > 100:
		return nil, invalid(fmt.Sprintf("%.20q… is too long to be an address", s))
	case strings.TrimSpace(s) != s:
		return nil, invalid(fmt.Sprintf("address %q has spaces around it", s))
	}
	lower := strings.ToLower(s)
	for _, h := range segwitHRPs {
		if strings.HasPrefix(lower, h.hrp+"1") {
			return decodeSegwitFor(s, h.hrp, h.network, net)
		}
	}
	return decodeBase58(s, net)
}

// decodeSegwitFor decodes a bech32 address whose prefix names network and checks it fits net.
func decodeSegwitFor(s, hrp, network string, net *chaincfg.Params) (*Address, error) {
	_, version, prog, err := decodeSegwit(s)
	if err != nil {
		return nil, err
	}
	norm := strings.ToLower(s)
	if hrp != net.Bech32HRPSegwit {
		return nil, &decodeError{ErrWrongNetwork, fmt.Sprintf(
			"address %s is for %s, but this wallet is on %s", norm, network, NetworkName(net))}
	}
	a := &Address{String: norm, WitnessVersion: version, PkScript: witnessScript(version, prog)}
	switch {
	case version == 0 && len(prog) == 20:
		a.Type = txbuilder.P2WPKH
	case version == 0 && len(prog) == 32:
		a.Type = txbuilder.P2WSH
	case version == 1 && len(prog) == 32:
		a.Type = txbuilder.P2TR
	case version == 1 && len(prog) == 2 && prog[0] == 0x4e && prog[1] == 0x73:
		return nil, &decodeError{ErrUnsupportedProgram, fmt.Sprintf(
			"address %s is a pay-to-anchor output (for fee bumping), not a payment address", norm)}
	case version == 1:
		return nil, &decodeError{ErrUnsupportedProgram, fmt.Sprintf(
			"address %s is a witness v1 program of %d bytes, not a taproot output; "+
				"satchel will not send to it", norm, len(prog))}
	default:
		return nil, &decodeError{ErrUnknownWitnessVersion, fmt.Sprintf(
			"address %s uses segwit version %d, which has no spending rules yet; "+
				"coins sent there could be lost, so satchel refuses", norm, version)}
	}
	return a, nil
}

// decodeSegwit checks a segwit address by BIP173 and BIP350 (valid bech32 string, witness
// version 0-16, 2-40 byte program, v0 programs of 20 or 32 bytes, Bech32 for v0 and Bech32m
// for v1+) without judging its network or whether satchel may pay to it.
func decodeSegwit(s string) (hrp string, version int, program []byte, err error) {
	hrp, data, variant, err := bech32.DecodeGeneric(s)
	if err != nil {
		var cs bech32.ErrInvalidChecksum
		var mixed bech32.ErrMixedCase
		switch {
		case errors.As(err, &cs):
			return "", 0, nil, &decodeError{ErrBadChecksum, fmt.Sprintf(
				"address %s: checksum does not match, a character is wrong", s)}
		case errors.As(err, &mixed):
			return "", 0, nil, invalid(fmt.Sprintf("address %s mixes upper and lower case", s))
		}
		// The decoder's words ("invalid separator index 4") become what a person can check.
		var sep bech32.ErrInvalidSeparatorIndex
		var length bech32.ErrInvalidLength
		var char bech32.ErrInvalidCharacter
		var nonCharset bech32.ErrNonCharsetChar
		switch {
		case errors.As(err, &sep), errors.As(err, &length):
			return "", 0, nil, invalid(fmt.Sprintf("address %s is too short or too long", s))
		case errors.As(err, &char), errors.As(err, &nonCharset):
			return "", 0, nil, invalid(fmt.Sprintf("address %s holds a character addresses never use (such as b, i, o or 1 after the 1 that ends its prefix)", s))
		}
		return "", 0, nil, invalid(fmt.Sprintf("address %s: %v", s, err))
	}
	if len(data) == 0 {
		return "", 0, nil, invalid(fmt.Sprintf("address %s has no witness version", s))
	}
	version = int(data[0])
	if version > 16 {
		return "", 0, nil, invalid(fmt.Sprintf("address %s: witness version %d is not 0-16", s, version))
	}
	program, err = bech32.ConvertBits(data[1:], 5, 8, false)
	if err != nil {
		return "", 0, nil, invalid(fmt.Sprintf("address %s: bad padding in the data", s))
	}
	switch {
	case len(program) < 2 || len(program) > 40:
		return "", 0, nil, invalid(fmt.Sprintf("address %s: a %d-byte witness program is not allowed",
			s, len(program)))
	case version == 0 && len(program) != 20 && len(program) != 32:
		return "", 0, nil, invalid(fmt.Sprintf("address %s: a version 0 program must be 20 or 32 "+
			"bytes, not %d", s, len(program)))
	case version == 0 && variant != bech32.Version0:
		return "", 0, nil, &decodeError{ErrBadChecksum, fmt.Sprintf(
			"address %s: a version 0 address must use the Bech32 checksum, not Bech32m", s)}
	case version != 0 && variant != bech32.VersionM:
		return "", 0, nil, &decodeError{ErrBadChecksum, fmt.Sprintf(
			"address %s: a version %d address must use the Bech32m checksum (BIP350), not Bech32",
			s, version)}
	}
	return hrp, version, program, nil
}

// witnessScript is OP_n <program>, the output script of a segwit address.
func witnessScript(version int, program []byte) []byte {
	op := byte(0x00)
	if version > 0 {
		op = 0x50 + byte(version)
	}
	return append([]byte{op, byte(len(program))}, program...)
}

// base58Kinds lists the base58 version bytes of the networks satchel knows.
var base58Kinds = []struct {
	id      byte
	mainnet bool
	typ     txbuilder.ScriptType
}{
	{chaincfg.MainNetParams.PubKeyHashAddrID, true, txbuilder.P2PKH},
	{chaincfg.MainNetParams.ScriptHashAddrID, true, txbuilder.P2SH},
	{chaincfg.TestNet3Params.PubKeyHashAddrID, false, txbuilder.P2PKH},
	{chaincfg.TestNet3Params.ScriptHashAddrID, false, txbuilder.P2SH},
}

func decodeBase58(s string, net *chaincfg.Params) (*Address, error) {
	payload, id, err := base58.CheckDecode(s)
	switch {
	case errors.Is(err, base58.ErrChecksum):
		return nil, &decodeError{ErrBadChecksum, fmt.Sprintf(
			"address %s: checksum does not match, a character is wrong", s)}
	case err != nil:
		return nil, invalid(fmt.Sprintf("%q is not a bitcoin address", s))
	case len(payload) != 20:
		return nil, invalid(fmt.Sprintf("%q is not a bitcoin address (wrong length)", s))
	}
	for _, k := range base58Kinds {
		if k.id != id {
			continue
		}
		if k.mainnet != isMainnet(net) {
			network := "a test network"
			if k.mainnet {
				network = "mainnet"
			}
			return nil, &decodeError{ErrWrongNetwork, fmt.Sprintf(
				"address %s is for %s, but this wallet is on %s", s, network, NetworkName(net))}
		}
		a := &Address{String: s, Type: k.typ, WitnessVersion: -1}
		if k.typ == txbuilder.P2PKH {
			a.PkScript = append(append([]byte{0x76, 0xa9, 0x14}, payload...), 0x88, 0xac)
		} else {
			a.PkScript = append(append([]byte{0xa9, 0x14}, payload...), 0x87)
		}
		return a, nil
	}
	return nil, invalid(fmt.Sprintf("%q is not a bitcoin address (unknown version byte %#02x)", s, id))
}

func invalid(msg string) error { return &decodeError{ErrInvalid, msg} }
