package wallet

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
)

// The BIP129 test vectors' TOKEN for bip129-standard.dat (an encrypted descriptor record).
const bip129Token = "a54044308ceac9b7"

func readSetupTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "setupfile", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSetupAddressMatchesRecords checks the wallet's multisig derivation against the first
// addresses BSMS records claim: the golden regtest record and BIP129's own vector.
func TestSetupAddressMatchesRecords(t *testing.T) {
	token, err := setupfile.ParseBSMSToken(bip129Token)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		file    string
		token   []byte
		network string
		prefix  string
	}{
		"golden regtest record": {"2of3.bsms", nil, "regtest", "bcrt1q"},
		"BIP129 vector":         {"bip129-standard.dat", token, "mainnet", "bc1q"},
	} {
		t.Run(name, func(t *testing.T) {
			data := readSetupTestdata(t, tc.file)
			if tc.token != nil {
				if data, err = setupfile.DecryptBSMS(data, tc.token); err != nil {
					t.Fatal(err)
				}
			}
			_, s, err := setupfile.Detect(data)
			if err != nil {
				t.Fatal(err)
			}
			receive, _, err := s.Descriptors()
			if err != nil {
				t.Fatal(err)
			}
			got, err := SetupAddress(receive, s.Network)
			if err != nil || got != s.FirstAddress || !strings.HasPrefix(got, tc.prefix) {
				t.Fatalf("derived %q, %v; the record says %q", got, err, s.FirstAddress)
			}
			if _, _, err := ReadSetup(readSetupTestdata(t, tc.file), tc.token, tc.network); err != nil {
				t.Fatalf("ReadSetup: %v", err)
			}
		})
	}
}

func TestReadSetupRefused(t *testing.T) {
	golden := string(readSetupTestdata(t, "2of3.bsms"))
	lines := strings.Split(strings.TrimSpace(golden), "\n")
	// Another valid regtest address: the record's own with the keys' first one swapped in.
	other := strings.Replace(golden, lines[3], "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", 1)
	for name, tc := range map[string]struct {
		data    string
		token   []byte
		network string
		want    error
	}{
		"first address mismatch":  {other, nil, "regtest", setupfile.ErrFirstAddress},
		"another network":         {golden, nil, "mainnet", ErrWrongNetwork},
		"encrypted without token": {string(readSetupTestdata(t, "bip129-standard.dat")), nil, "mainnet", setupfile.ErrInvalid},
		"not a setup":             {"hello\n", nil, "regtest", setupfile.ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := ReadSetup([]byte(tc.data), tc.token, tc.network); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSetupAddressRefused(t *testing.T) {
	for name, tc := range map[string]struct{ desc, network string }{
		"single key": {"wpkh(tpubDDwf2gdFxFahr9RUtDQCuZmsx34CfdZ7RALAirwC2FGeLBzW1TDiEpqFeRdxLdZD7rfsbZHYwSaT6CLM3TAcYRw6xfRv4U6KCQt4Zuhvjkz/0/*)", "regtest"},
		"garbage":    {"wsh(", "regtest"},
		"network":    {"wsh(sortedmulti(1,tpubDDwf2gdFxFahr9RUtDQCuZmsx34CfdZ7RALAirwC2FGeLBzW1TDiEpqFeRdxLdZD7rfsbZHYwSaT6CLM3TAcYRw6xfRv4U6KCQt4Zuhvjkz/0/*))", "moon"},
	} {
		t.Run(name, func(t *testing.T) {
			if a, err := SetupAddress(tc.desc, tc.network); err == nil {
				t.Fatalf("derived %s", a)
			}
		})
	}
}

// FuzzReadSetup feeds any bytes to ReadSetup: whatever the setup file parsers accept goes on
// to the wallet's multisig derivation (a BSMS record's first address), which must not panic,
// and a setup read must make a coordinator's account.
func FuzzReadSetup(f *testing.F) {
	for _, name := range []string{"2of3.bsms", "2of3.caravan.json", "2of3.coldcard.txt", "2of3.descriptor", "in-sparrow.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "setupfile", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, s, err := ReadSetup(data, nil, "regtest")
		if err != nil {
			return
		}
		// What the setup files accept, a coordinator is made of.
		if _, err := WatchAccount(WatchOnlyOptions{Network: "regtest", Setup: s}); err != nil {
			t.Fatalf("a setup read makes no wallet: %v", err)
		}
	})
}

// TestSetupCosignersFindsTheSeed: a member's own key must be in the setup, with its origin.
func TestSetupCosignersFindsTheSeed(t *testing.T) {
	_, golden, err := setupfile.Detect(readSetupTestdata(t, "2of3.descriptor"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := descriptor.ParseKeyExpression(setupKeyExpr(golden.Keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	own, err := cosignerOf(key, "own")
	if err != nil {
		t.Fatal(err)
	}
	withKeys := func(f func(ks []setupfile.Key) []setupfile.Key) *setupfile.Setup {
		s := *golden
		s.Keys = f(slices.Clone(golden.Keys))
		return &s
	}
	otherFP := own
	otherFP.Fingerprint++
	for name, tc := range map[string]struct {
		s    *setupfile.Setup
		own  keys.Cosigner
		want string
	}{
		"member":              {golden, own, ""},
		"not among the keys":  {withKeys(func(ks []setupfile.Key) []setupfile.Key { return ks[1:] }), own, "is not one of the setup's 2 keys"},
		"another fingerprint": {golden, otherFP, "names another origin"},
		"no origin": {withKeys(func(ks []setupfile.Key) []setupfile.Key {
			ks[0].Fingerprint, ks[0].Path = "", ""
			return ks
		}), own, "without its origin"},
	} {
		t.Run(name, func(t *testing.T) {
			cs, err := setupCosigners(tc.s, tc.own)
			if tc.want == "" {
				if err != nil || len(cs) != len(tc.s.Keys) {
					t.Fatalf("%d cosigners, %v", len(cs), err)
				}
				return
			}
			if !errors.Is(err, ErrNotMember) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrNotMember with %q", err, tc.want)
			}
		})
	}
}
