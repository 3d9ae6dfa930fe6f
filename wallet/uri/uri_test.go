package uri

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
)

type vectorSet struct {
	Valid []struct {
		Description string
		URI         string
		Expected    struct {
			Address   string     `json:"address"`
			Params    [][]string `json:"params"`
			Amount    string     `json:"amount"`
			AmountSat int64      `json:"amount_sat"`
			Label     string     `json:"label"`
			Message   string     `json:"message"`
		}
	}
	Invalid []struct{ Description, URI, Reason string }
}

func loadVectors(t testing.TB) map[string]vectorSet {
	t.Helper()
	b, err := os.ReadFile("../../testdata/bip21-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		BIP21  vectorSet `json:"bip21"`
		BIP321 vectorSet `json:"bip321"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return map[string]vectorSet{"bip21": v.BIP21, "bip321": v.BIP321}
}

// accept stands in for address validation: the BIP examples use deliberately invalid
// addresses (their checksums fail), so these tests check URI syntax only.
func accept(string) error { return nil }

var mainnet = &chaincfg.MainNetParams

func TestVectorsValid(t *testing.T) {
	for set, v := range loadVectors(t) {
		if len(v.Valid) == 0 {
			t.Fatalf("%s: no valid vectors", set)
		}
		for _, c := range v.Valid {
			u, err := Parse(c.URI, mainnet, accept)
			if err != nil {
				t.Errorf("%s %q: %v", set, c.Description, err)
				continue
			}
			e := c.Expected
			if u.Address != e.Address || u.Label != e.Label || u.Message != e.Message ||
				int64(u.Amount) != e.AmountSat {
				t.Errorf("%s %q: got %+v", set, c.Description, u)
			}
			if len(u.Pairs) != len(e.Params) {
				t.Errorf("%s %q: %d params, want %d", set, c.Description, len(u.Pairs), len(e.Params))
				continue
			}
			for i, p := range e.Params {
				if u.Pairs[i].Key != p[0] || u.Pairs[i].Value != p[1] {
					t.Errorf("%s %q: param %d = %v, want %v", set, c.Description, i, u.Pairs[i], p)
				}
			}
		}
	}
}

func TestVectorsInvalid(t *testing.T) {
	for set, v := range loadVectors(t) {
		for _, c := range v.Invalid {
			if u, err := Parse(c.URI, mainnet, accept); err == nil {
				t.Errorf("%s %q (%s) accepted: %+v", set, c.Description, c.Reason, u)
			}
		}
	}
}

func TestParseFields(t *testing.T) {
	u, err := Parse("bitcoin:addr?lightning=lnbc1&sp=sp1qx&bc=bc1qa&bc=bc1qb&tb=tb1qc&Label=Caf%C3%A9&amount=.5", mainnet, accept)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Lightning || u.SilentPayment != "sp1qx" || u.Label != "Café" || u.Amount != 50_000_000 {
		t.Errorf("fields: %+v", u)
	}
	if strings.Join(u.SegwitAddresses, ",") != "bc1qa,bc1qb" {
		t.Errorf("segwit addresses for mainnet: %v", u.SegwitAddresses)
	}
	if u.Params["label"] != "Café" || u.Params["bc"] != "bc1qa" {
		t.Errorf("params: %v", u.Params)
	}
	// On a test network the tb= address is the one offered.
	u, err = Parse("bitcoin:?bc=bc1qa&tb=tb1qc", &chaincfg.SigNetParams, accept)
	if err != nil || strings.Join(u.SegwitAddresses, ",") != "tb1qc" {
		t.Errorf("signet: %+v, %v", u, err)
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		class    error
	}{
		{"other scheme", "litecoin:addr", ErrNotBitcoinURI},
		{"bare address", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", ErrNotBitcoinURI},
		{"empty", "", ErrNotBitcoinURI},
		{"unknown req-", "bitcoin:addr?req-payjoin=1", ErrUnknownRequired},
		{"req-pop is not supported", "bitcoin:addr?req-pop=app%3a", ErrUnknownRequired},
		{"duplicate label across case", "bitcoin:addr?label=a&LABEL=b", ErrDuplicate},
		{"duplicate message", "bitcoin:addr?message=a&message=a", ErrDuplicate},
		{"amount and req-amount", "bitcoin:addr?amount=1&req-amount=1", ErrDuplicate},
		{"nothing to pay", "bitcoin:", ErrNoPaymentTarget},
		{"only a label", "bitcoin:?label=x", ErrNoPaymentTarget},
		{"nine decimals", "bitcoin:addr?amount=0.000000001", ErrInvalid},
		{"comma amount", "bitcoin:addr?amount=50,000.00", ErrInvalid},
		{"amount with unit", "bitcoin:addr?amount=5btc", ErrInvalid},
		{"negative amount", "bitcoin:addr?amount=-1", ErrInvalid},
		{"exponent amount", "bitcoin:addr?amount=1e3", ErrInvalid},
		{"empty amount", "bitcoin:addr?amount=", ErrInvalid},
		{"over 21 million", "bitcoin:addr?amount=21000001", ErrInvalid},
		{"bad escape", "bitcoin:addr?label=%zz", ErrInvalid},
		{"control character in label", "bitcoin:addr?label=a%1b%5B2J", ErrInvalid},
		{"text-direction override in message", "bitcoin:addr?message=pay%E2%80%AEdaolnwod", ErrInvalid},
		{"invalid UTF-8 in message", "bitcoin:addr?message=%ff", ErrInvalid},
		{"empty key", "bitcoin:addr?=x", ErrInvalid},
		{"space", "bitcoin:addr?label=a b", ErrInvalid},
		{"fragment", "bitcoin:addr#x", ErrInvalid},
		{"tb address in bc", "bitcoin:?bc=tb1qghfhmd4zh7ncpmxl3qzhmq566jk8ckq4gafnmq", ErrInvalid},
	}
	for _, tt := range tests {
		if u, err := Parse(tt.in, mainnet, accept); !errors.Is(err, tt.class) {
			t.Errorf("%s: Parse(%q) = %+v, %v; want %v", tt.name, tt.in, u, err, tt.class)
		}
	}
}

// A refusal the person can act on says what to do: a URI that repeats a parameter or names no
// address came to them broken, so they ask again or copy all of it.
func TestParseRefusalsSayWhatToDo(t *testing.T) {
	for _, tt := range []struct{ in, has string }{
		{"bitcoin:addr?amount=0.001&amount=0.002", "amount appears more than once, so it could say two things: ask the payee for the URI again"},
		{"bitcoin:", "copy the whole URI, with the address that follows \"bitcoin:\" in it"},
		{"bitcoin:?label=x", "copy the whole URI"},
	} {
		if _, err := Parse(tt.in, mainnet, accept); err == nil || !strings.Contains(err.Error(), tt.has) {
			t.Errorf("Parse(%q): %v; want it to say %q", tt.in, err, tt.has)
		}
	}
}

func TestParseValidatesWithAddressPackage(t *testing.T) {
	const good = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
	u, err := Parse("BITCOIN:"+strings.ToUpper(good)+"?amount=0.001", mainnet, nil)
	if err != nil || u.Amount != 100_000 {
		t.Fatalf("%+v, %v", u, err)
	}
	if _, err := Parse("bitcoin:"+good, &chaincfg.TestNet3Params, nil); !errors.Is(err, address.ErrWrongNetwork) {
		t.Errorf("mainnet address on testnet: %v", err)
	}
	if _, err := Parse("bitcoin:175tWpb8K1S7NmH4Zx6rewF9WQrcZv245W", mainnet, nil); !errors.Is(err, address.ErrBadChecksum) {
		t.Errorf("BIP21 example address (bad checksum): %v", err)
	}
	if _, err := Parse("bitcoin:?bc=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", mainnet, nil); !errors.Is(err, address.ErrBadChecksum) {
		t.Errorf("bad bc= address: %v", err)
	}
	if _, err := Parse("bitcoin:"+good, nil, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("no network and no validator: %v", err)
	}
}

func TestBuild(t *testing.T) {
	tests := []struct {
		addr           string
		amount         txbuilder.Amount
		label, message string
		want           string
	}{
		{"bc1qexample", 0, "", "", "bitcoin:bc1qexample"},
		{"bc1qexample", 2100, "", "", "bitcoin:bc1qexample?amount=0.000021"},
		{"bc1qexample", 2_030_000_000, "Luke-Jr", "", "bitcoin:bc1qexample?amount=20.3&label=Luke-Jr"},
		{"bc1qexample", 5_000_000_000, "Luke-Jr", "Donation for project xyz",
			"bitcoin:bc1qexample?amount=50&label=Luke-Jr&message=Donation%20for%20project%20xyz"},
		{"bc1qexample", 0, "a&b=c?d#e%f+g", "Café", "bitcoin:bc1qexample?label=a%26b%3Dc%3Fd%23e%25f%2Bg&message=Caf%C3%A9"},
	}
	for _, tt := range tests {
		got := Build(tt.addr, tt.amount, tt.label, tt.message)
		if got != tt.want {
			t.Errorf("Build = %s, want %s", got, tt.want)
		}
		u, err := Parse(got, mainnet, accept)
		if err != nil || u.Address != tt.addr || u.Amount != tt.amount || u.Label != tt.label || u.Message != tt.message {
			t.Errorf("Parse(Build) = %+v, %v", u, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, v := range loadVectors(f) {
		for _, c := range v.Valid {
			f.Add(c.URI)
		}
		for _, c := range v.Invalid {
			f.Add(c.URI)
		}
	}
	f.Add("bitcoin:addr?amount=.5&label=Caf%C3%A9&message=a%26b")
	// alnum stands in for address validation so the fuzzer explores URI syntax.
	alnum := func(a string) error {
		if a == "" || strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			return errors.New("not alphanumeric")
		}
		return nil
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s, mainnet, alnum)
		if err != nil || u.Address == "" {
			return
		}
		if u.Amount < 0 || u.Amount > txbuilder.MaxMoney {
			t.Fatalf("Parse(%q): amount %d out of range", s, u.Amount)
		}
		built := Build(u.Address, u.Amount, u.Label, u.Message)
		again, err := Parse(built, mainnet, alnum)
		if err != nil {
			t.Fatalf("Parse(%q) ok but Parse(Build) of %q fails: %v", s, built, err)
		}
		if again.Address != u.Address || again.Amount != u.Amount || again.Label != u.Label ||
			again.Message != u.Message {
			t.Fatalf("round trip of %q via %q: %+v vs %+v", s, built, u, again)
		}
	})
}
