package address

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/address/v2/bech32"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

type bech32Vectors struct {
	Valid []struct {
		Address      string `json:"address"`
		ScriptPubKey string `json:"scriptPubKey"`
	} `json:"valid"`
	Invalid []struct {
		Address string `json:"address"`
		Reason  string `json:"reason"`
	} `json:"invalid"`
	Superseded []struct {
		Address string `json:"address"`
		Reason  string `json:"reason"`
	} `json:"bip173_superseded"`
	Bech32Strings  stringVectors `json:"bech32_strings"`
	Bech32mStrings stringVectors `json:"bech32m_strings"`
}

type stringVectors struct {
	Valid   []struct{ String string } `json:"valid"`
	Invalid []struct {
		String   string `json:"string"`
		BytesHex string `json:"bytes_hex"`
		Reason   string `json:"reason"`
	} `json:"invalid"`
}

func loadBech32(t testing.TB) bech32Vectors {
	t.Helper()
	b, err := os.ReadFile("../../testdata/bech32-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v bech32Vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

var (
	mainnet  = &chaincfg.MainNetParams
	testnet  = &chaincfg.TestNet3Params
	testnet4 = &chaincfg.TestNet4Params
	signet   = &chaincfg.SigNetParams
	regtest  = &chaincfg.RegressionNetParams
	allNets  = []*chaincfg.Params{mainnet, testnet, testnet4, signet, regtest}
)

// netFor is the network whose prefix an address of the vectors carries.
func netFor(addr string) *chaincfg.Params {
	if strings.HasPrefix(strings.ToLower(addr), "tb1") {
		return testnet
	}
	return mainnet
}

func TestBech32ValidVectors(t *testing.T) {
	v := loadBech32(t)
	if len(v.Valid) != 8 {
		t.Fatalf("want 8 valid vectors, have %d", len(v.Valid))
	}
	for _, c := range v.Valid {
		_, version, prog, err := decodeSegwit(c.Address)
		if err != nil {
			t.Errorf("%s: %v", c.Address, err)
			continue
		}
		if got := hex.EncodeToString(witnessScript(version, prog)); got != c.ScriptPubKey {
			t.Errorf("%s: script %s, want %s", c.Address, got, c.ScriptPubKey)
		}
		a, err := Decode(c.Address, netFor(c.Address))
		switch {
		case version >= 2:
			if !errors.Is(err, ErrUnknownWitnessVersion) {
				t.Errorf("%s (v%d): %v, want ErrUnknownWitnessVersion", c.Address, version, err)
			}
		case version == 1 && len(prog) != 32:
			if !errors.Is(err, ErrUnsupportedProgram) {
				t.Errorf("%s (v1, %d bytes): %v, want ErrUnsupportedProgram", c.Address, len(prog), err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.Address, err)
		default:
			if hex.EncodeToString(a.PkScript) != c.ScriptPubKey || a.WitnessVersion != version ||
				a.String != strings.ToLower(c.Address) {
				t.Errorf("%s: got %+v", c.Address, a)
			}
		}
	}
}

func TestBech32InvalidVectorsRefused(t *testing.T) {
	v := loadBech32(t)
	for _, c := range v.Invalid {
		for _, net := range allNets {
			if a, err := Decode(c.Address, net); err == nil {
				t.Errorf("%s (%s) accepted on %s as %+v", c.Address, c.Reason, net.Name, a)
			}
		}
		// On its own network the refusal is about the address, not the network.
		_, err := Decode(c.Address, netFor(c.Address))
		if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrBadChecksum) {
			t.Errorf("%s (%s): %v, want ErrInvalid or ErrBadChecksum", c.Address, c.Reason, err)
		}
	}
}

func TestBIP173SupersededRefused(t *testing.T) {
	v := loadBech32(t)
	if len(v.Superseded) != 3 {
		t.Fatalf("want 3 superseded vectors, have %d", len(v.Superseded))
	}
	for _, c := range v.Superseded {
		if _, err := Decode(c.Address, mainnet); !errors.Is(err, ErrBadChecksum) {
			t.Errorf("%s: %v, want ErrBadChecksum (v1+ needs Bech32m)", c.Address, err)
		}
	}
}

// TestBech32StringVectors guards the bech32 library satchel relies on: the checksum-level
// vectors must decode with the right variant, and the invalid ones must fail.
func TestBech32StringVectors(t *testing.T) {
	v := loadBech32(t)
	for _, tc := range []struct {
		name string
		sv   stringVectors
		want bech32.Version
	}{{"bech32", v.Bech32Strings, bech32.Version0}, {"bech32m", v.Bech32mStrings, bech32.VersionM}} {
		for _, c := range tc.sv.Valid {
			if _, _, ver, err := bech32.DecodeGeneric(c.String); err != nil || ver != tc.want {
				t.Errorf("%s %q: version %v, %v", tc.name, c.String, ver, err)
			}
		}
		for _, c := range tc.sv.Invalid {
			s := c.String
			if c.BytesHex != "" {
				b, _ := hex.DecodeString(c.BytesHex)
				s = string(b)
			}
			if _, _, ver, err := bech32.DecodeGeneric(s); err == nil && ver == tc.want {
				t.Errorf("%s %q (%s) accepted", tc.name, s, c.Reason)
			}
		}
	}
}

func TestDecodeWrongNetwork(t *testing.T) {
	tests := []struct {
		addr string
		net  *chaincfg.Params
		msg  string
	}{
		{"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", mainnet,
			"address tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7 is for testnet, but this wallet is on mainnet"},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", testnet, "is for mainnet, but this wallet is on testnet"},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", regtest, "is for mainnet, but this wallet is on regtest"},
		{"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", regtest, "is for testnet, but this wallet is on regtest"},
		{"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", testnet4, "is for regtest, but this wallet is on testnet4"},
		{"2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2", mainnet, "is for a test network, but this wallet is on mainnet"},
		{"1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", signet, "is for mainnet, but this wallet is on signet"},
	}
	for _, tt := range tests {
		_, err := Decode(tt.addr, tt.net)
		if !errors.Is(err, ErrWrongNetwork) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Decode(%s, %s) = %v, want ErrWrongNetwork saying %q", tt.addr, tt.net.Name, err, tt.msg)
		}
	}
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name, addr string
		nets       []*chaincfg.Params
		typ        txbuilder.ScriptType
		script     string
		version    int
	}{
		{"mainnet p2pkh", "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", []*chaincfg.Params{mainnet},
			txbuilder.P2PKH, "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac", -1},
		{"testnet p2sh on every test network", "2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2",
			[]*chaincfg.Params{testnet, testnet4, signet, regtest},
			txbuilder.P2SH, "a914336caa13e08b96080a32b5d818d59b4ab3b3674287", -1},
		{"tb1 on testnet, testnet4 and signet", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
			[]*chaincfg.Params{testnet, testnet4, signet},
			txbuilder.P2WPKH, "0014751e76e8199196d454941c45d1b3a323f1433bd6", 0},
		{"regtest bcrt1", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", []*chaincfg.Params{regtest},
			txbuilder.P2WPKH, "0014751e76e8199196d454941c45d1b3a323f1433bd6", 0},
		{"uppercase bech32", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", []*chaincfg.Params{mainnet},
			txbuilder.P2WPKH, "0014751e76e8199196d454941c45d1b3a323f1433bd6", 0},
		{"taproot", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", []*chaincfg.Params{mainnet},
			txbuilder.P2TR, "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", 1},
	}
	for _, tt := range tests {
		for _, net := range tt.nets {
			a, err := Decode(tt.addr, net)
			if err != nil {
				t.Errorf("%s on %s: %v", tt.name, net.Name, err)
				continue
			}
			if a.Type != tt.typ || hex.EncodeToString(a.PkScript) != tt.script || a.WitnessVersion != tt.version {
				t.Errorf("%s on %s: %+v", tt.name, net.Name, a)
			}
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name, addr string
		class      error
	}{
		{"empty", "", ErrInvalid},
		{"spaces around", " bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", ErrInvalid},
		{"too long", strings.Repeat("1", 200), ErrInvalid},
		{"base58 typo", "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ", ErrBadChecksum},
		{"bech32 typo", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", ErrBadChecksum},
		{"hex public key is not an address", "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", ErrInvalid},
		{"wif is not an address", "L4rK1yDtCWekvXuE6oXD9jCYfFNV2cWRpVuPLBcCU2z8TrisoyY1", ErrInvalid},
		{"pay-to-anchor", "bc1pfeessrawgf", ErrUnsupportedProgram},
		{"v2 future segwit", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", ErrUnknownWitnessVersion},
		{"v16 future segwit", "BC1SW50QGDZ25J", ErrUnknownWitnessVersion},
		{"word", "hello", ErrInvalid},
	}
	for _, tt := range tests {
		_, err := Decode(tt.addr, mainnet)
		if !errors.Is(err, tt.class) {
			t.Errorf("%s: Decode(%q) = %v, want %v", tt.name, tt.addr, err, tt.class)
		}
	}
}

func TestUnknownWitnessVersionMessage(t *testing.T) {
	_, err := Decode("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", mainnet)
	if err == nil || !strings.Contains(err.Error(), "segwit version 2") {
		t.Fatalf("message %v does not name the version", err)
	}
}

func TestNetworks(t *testing.T) {
	n := Networks()
	want := map[string]string{"mainnet": "mainnet", "testnet": "testnet3", "testnet4": "testnet4",
		"signet": "signet", "regtest": "regtest"}
	if len(n) != len(want) {
		t.Fatalf("%d networks", len(n))
	}
	for name, pname := range want {
		if n[name] == nil || n[name].Name != pname {
			t.Errorf("%s: %v", name, n[name])
		}
		if NetworkName(n[name]) != name {
			t.Errorf("NetworkName(%s) = %s", pname, NetworkName(n[name]))
		}
	}
	n["mainnet"] = nil
	if Networks()["mainnet"] == nil {
		t.Error("Networks shares its map between calls")
	}
}

func FuzzDecode(f *testing.F) {
	v := loadBech32(f)
	for _, c := range v.Valid {
		f.Add(c.Address)
	}
	for _, c := range v.Invalid {
		f.Add(c.Address)
	}
	f.Add("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH")
	f.Add("2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2")
	f.Add("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")
	f.Fuzz(func(t *testing.T, s string) {
		for _, net := range allNets {
			a, err := Decode(s, net)
			if err != nil {
				if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrBadChecksum) &&
					!errors.Is(err, ErrWrongNetwork) && !errors.Is(err, ErrUnknownWitnessVersion) &&
					!errors.Is(err, ErrUnsupportedProgram) {
					t.Fatalf("Decode(%q, %s): unclassified error %v", s, net.Name, err)
				}
				continue
			}
			again, err := Decode(a.String, net)
			if err != nil || again.String != a.String || string(again.PkScript) != string(a.PkScript) ||
				again.Type != a.Type {
				t.Fatalf("Decode(%q) = %+v, but its String decodes to %+v, %v", s, a, again, err)
			}
			if a.Type == txbuilder.ScriptUnknown || len(a.PkScript) < 22 {
				t.Fatalf("Decode(%q) = %+v: bad type or script", s, a)
			}
		}
	})
}
