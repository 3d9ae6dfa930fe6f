package silentpay

import (
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/address/v2/bech32"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

var (
	mainnet  = &chaincfg.MainNetParams
	testnet  = &chaincfg.TestNet3Params
	testnet4 = &chaincfg.TestNet4Params
	signet   = &chaincfg.SigNetParams
	regtest  = &chaincfg.RegressionNetParams
	allNets  = []*chaincfg.Params{mainnet, testnet, testnet4, signet, regtest}
)

// The first address of the vectors and its keys.
const (
	vecAddr  = "sp1qqgste7k9hx0qftg6qmwlkqtwuy6cycyavzmzj85c6qdfhjdpdjtdgqjuexzk6murw56suy3e0rd2cgqvycxttddwsvgxe2usfpxumr70xc9pkqwv"
	vecScan  = "0220bcfac5b99e04ad1a06ddfb016ee13582609d60b6291e98d01a9bc9a16c96d4"
	vecSpend = "025cc9856d6f8375350e123978daac200c260cb5b5ae83106cab90484dcd8fcf36"
)

// encodeRaw builds a bech32m string with any prefix, version and payload, to make addresses
// ParseAddress must refuse (or accept) that no vector has.
func encodeRaw(t testing.TB, hrp string, version byte, payload []byte, m bool) string {
	t.Helper()
	data, err := bech32.ConvertBits(payload, 8, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	enc := bech32.EncodeM
	if !m {
		enc = bech32.Encode
	}
	s, err := enc(hrp, append([]byte{version}, data...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func vecKeys(t testing.TB) []byte {
	return append(mustHex(t, vecScan), mustHex(t, vecSpend)...)
}

func TestAddressVectorsRoundTrip(t *testing.T) {
	seen := 0
	for _, c := range loadVectors(t) {
		for _, r := range c.Receiving {
			for _, s := range r.Expected.Addresses {
				a, err := ParseAddress(s, mainnet)
				if err != nil {
					t.Fatalf("%s: %v", s, err)
				}
				if a.String() != s || a.Version != 0 || !a.Mainnet {
					t.Errorf("%s: parsed to %+v, encodes as %s", s, *a, a.String())
				}
				up, err := ParseAddress(strings.ToUpper(s), mainnet)
				if err != nil || up.String() != s {
					t.Errorf("upper-case %s: %v, %v", s, up, err)
				}
				seen++
			}
		}
	}
	if seen < 30 {
		t.Errorf("only %d vector addresses checked", seen)
	}
}

func TestParseAddressKeys(t *testing.T) {
	a, err := ParseAddress(vecAddr, mainnet)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Scan.SerializeCompressed(); string(got) != string(mustHex(t, vecScan)) {
		t.Errorf("scan key %x", got)
	}
	if got := a.Spend.SerializeCompressed(); string(got) != string(mustHex(t, vecSpend)) {
		t.Errorf("spend key %x", got)
	}
}

func TestAddressNetworks(t *testing.T) {
	keys := vecKeys(t)
	tsp := encodeRaw(t, TestnetHRP, 0, keys, true)
	sprt := encodeRaw(t, RegtestHRP, 0, keys, true)
	tests := []struct {
		name, addr, enc string
		ok              []*chaincfg.Params
	}{
		{"sp only on mainnet", vecAddr, vecAddr, []*chaincfg.Params{mainnet}},
		{"tsp on every test network and regtest", tsp, tsp,
			[]*chaincfg.Params{testnet, testnet4, signet, regtest}},
		// A regtest address is written with tsp, the BIP's test-network prefix.
		{"sprt on regtest only", sprt, tsp, []*chaincfg.Params{regtest}},
	}
	for _, tt := range tests {
		for _, net := range allNets {
			a, err := ParseAddress(tt.addr, net)
			want := false
			for _, n := range tt.ok {
				want = want || n == net
			}
			switch {
			case want && err != nil:
				t.Errorf("%s: refused on %s: %v", tt.name, net.Name, err)
			case want && (a.Mainnet != (net == mainnet) || a.String() != tt.enc):
				t.Errorf("%s on %s: mainnet %v, encodes as %s", tt.name, net.Name, a.Mainnet, a)
			case !want && !errors.Is(err, ErrWrongNetwork):
				t.Errorf("%s on %s: %v, want ErrWrongNetwork", tt.name, net.Name, err)
			}
		}
	}
	a, err := ParseAddress(sprt, regtest)
	if err != nil {
		t.Fatal(err)
	}
	if got := NewAddress(a.Scan, a.Spend, regtest).String(); got != tsp {
		t.Errorf("NewAddress on regtest: %s", got)
	}
	if got := NewAddress(a.Scan, a.Spend, mainnet).String(); got != vecAddr {
		t.Errorf("NewAddress on mainnet: %s", got)
	}
	if !strings.HasPrefix(tsp, "tsp1q") || len(tsp) != 117 || len(vecAddr) != 116 {
		t.Errorf("lengths: %d %d", len(tsp), len(vecAddr))
	}
}

func TestParseAddressVersions(t *testing.T) {
	keys := vecKeys(t)
	extra := append(append([]byte{}, keys...), 0xde, 0xad, 0xbe, 0xef)
	// A version 1 address from Bitcoin Core's tests, with data beyond the two keys.
	const coreV1 = "sp1pq22l5s6l9460ww6t4tkzsy2a7zejurcmzz35pt0ffrzk5erlaykdcqugecjjnjqf7ggq39vl6wexjlm00n66z94v675n7wcux6d2krr68t02m0h0s8cwhy"
	tests := []struct {
		name    string
		addr    string
		version byte
		err     error
	}{
		{"v0 with exactly two keys", encodeRaw(t, "sp", 0, keys, true), 0, nil},
		{"v0 with extra data refused", encodeRaw(t, "sp", 0, extra, true), 0, ErrInvalidAddress},
		{"v0 one byte short refused", encodeRaw(t, "sp", 0, keys[:65], true), 0, ErrInvalidAddress},
		{"v1 with extra data reads the keys", encodeRaw(t, "sp", 1, extra, true), 1, nil},
		{"Core's v1 example", coreV1, 1, nil},
		{"v30 reads the keys", encodeRaw(t, "sp", 30, extra, true), 30, nil},
		{"v1 shorter than two keys refused", encodeRaw(t, "sp", 1, keys[:60], true), 0, ErrInvalidAddress},
		{"v31 refused", encodeRaw(t, "sp", 31, keys, true), 0, ErrUnsupportedVersion},
		{"bech32 (not bech32m) checksum refused", encodeRaw(t, "sp", 0, keys, false), 0, ErrInvalidAddress},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.addr, mainnet)
		if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.err)
			continue
		}
		if err == nil && a.Version != tt.version {
			t.Errorf("%s: version %d", tt.name, a.Version)
		}
		if err == nil && tt.version > 0 {
			// Only the keys survive a round trip; the version is kept.
			b, err := ParseAddress(a.String(), mainnet)
			if err != nil || b.Version != tt.version || !b.Scan.IsEqual(a.Scan) || !b.Spend.IsEqual(a.Spend) {
				t.Errorf("%s: re-encoded %s parses to %v, %v", tt.name, a.String(), b, err)
			}
		}
	}
}

func TestParseAddressRefuses(t *testing.T) {
	keys := vecKeys(t)
	offCurve := append([]byte{0x02}, make([]byte, 32)...)
	uncompressedPrefix := append([]byte{0x04}, keys[1:33]...)
	typo := []byte(vecAddr)
	if typo[20] == 'q' {
		typo[20] = 'p'
	} else {
		typo[20] = 'q'
	}
	tests := []struct {
		name, addr string
		err        error
	}{
		{"empty", "", ErrInvalidAddress},
		{"typo breaks the checksum", string(typo), ErrInvalidAddress},
		{"mixed case", "sP" + vecAddr[2:], ErrInvalidAddress},
		{"spaces around", " " + vecAddr, ErrInvalidAddress},
		{"segwit address", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", ErrInvalidAddress},
		{"other prefix", encodeRaw(t, "bc", 0, keys, true), ErrInvalidAddress},
		{"scan key off the curve (Core's example)", "sp1qqgqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqf26rn7", ErrInvalidAddress},
		{"spend key off the curve", encodeRaw(t, "sp", 0, append(keys[:33:33], offCurve...), true), ErrInvalidAddress},
		{"key with 04 prefix", encodeRaw(t, "sp", 0, append(uncompressedPrefix, keys[33:]...), true), ErrInvalidAddress},
		{"longer than 1023 characters", encodeRaw(t, "sp", 1, append(keys, make([]byte, 600)...), true), ErrInvalidAddress},
	}
	for _, tt := range tests {
		if _, err := ParseAddress(tt.addr, mainnet); !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		}
	}
	// 1023 characters is still allowed.
	long := encodeRaw(t, "sp", 1, append(keys, make([]byte, 567)...), true)
	if len(long) != MaxAddressLength {
		t.Fatalf("test address is %d characters", len(long))
	}
	if _, err := ParseAddress(long, mainnet); err != nil {
		t.Errorf("%d-character v1 address: %v", len(long), err)
	}
	if _, err := ParseAddress(vecAddr, nil); err == nil {
		t.Error("nil network accepted")
	}
}

func TestAddressStringNeedsKeys(t *testing.T) {
	k, _ := btcec.NewPrivateKey()
	for _, a := range []*Address{nil, {}, {Scan: k.PubKey()}, {Spend: k.PubKey()},
		{Scan: k.PubKey(), Spend: k.PubKey(), Version: 31}} {
		if s := a.String(); s != "" {
			t.Errorf("%#v encodes as %q", a, s)
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, c := range loadVectors(f) {
		for _, r := range c.Receiving {
			for _, s := range r.Expected.Addresses {
				f.Add(s)
			}
		}
	}
	keys := vecKeys(f)
	f.Add(encodeRaw(f, TestnetHRP, 0, keys, true))
	f.Add(encodeRaw(f, RegtestHRP, 0, keys, true))
	f.Add(encodeRaw(f, "sp", 1, append(keys, 1, 2, 3), true))
	f.Add(encodeRaw(f, "sp", 31, keys, true))
	f.Add("sp1qqgqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqf26rn7")
	f.Fuzz(func(t *testing.T, s string) {
		for _, net := range allNets {
			a, err := ParseAddress(s, net)
			if err != nil {
				if !errors.Is(err, ErrInvalidAddress) && !errors.Is(err, ErrWrongNetwork) &&
					!errors.Is(err, ErrUnsupportedVersion) {
					t.Fatalf("ParseAddress(%q, %s): unclassified error %v", s, net.Name, err)
				}
				continue
			}
			enc := a.String()
			b, err := ParseAddress(enc, net)
			if err != nil || b.Version != a.Version || b.Mainnet != a.Mainnet ||
				!b.Scan.IsEqual(a.Scan) || !b.Spend.IsEqual(a.Spend) || b.String() != enc {
				t.Fatalf("ParseAddress(%q) = %+v, but %s parses to %v, %v", s, *a, enc, b, err)
			}
			// A version 0 address in sp or tsp is written back exactly, in lower case.
			lower := strings.ToLower(s)
			if a.Version == 0 && !strings.HasPrefix(lower, RegtestHRP+"1") && enc != lower {
				t.Fatalf("ParseAddress(%q) re-encodes as %s", s, enc)
			}
		}
	})
}
