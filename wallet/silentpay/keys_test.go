package silentpay

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func masterFor(t testing.TB, mnemonic string, net *chaincfg.Params) *hdkeychain.ExtendedKey {
	t.Helper()
	m, err := keys.Master(keys.SeedFromMnemonic([]byte(mnemonic), nil), net)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// BIP352 has no derivation vectors. These values are the ones independent wallets agree on
// for the BIP's paths (BlueWallet's and BlindBit's tests, and others that cross-check with
// Sparrow): the keys and address of "abandon ... about" and of "zoo ... glue", account 0.
func TestDeriveKeysCrossWalletValues(t *testing.T) {
	tests := []struct {
		name, mnemonic, scan, spend, address, change string
	}{
		{"abandon", abandon,
			"78e7fd7d2b7a2c1456709d147021a122d2dccaafeada040cc1002083e2833b09",
			"c88567742d5019d7ccc81f6e82cef8ef01997a6a3761cc9166036b580549539b",
			"sp1qqfqnnv8czppwysafq3uwgwvsc638hc8rx3hscuddh0xa2yd746s7xqh6yy9ncjnqhqxazct0fzh98w7lpkm5fvlepqec2yy0sxlq4j6ccc3h6t0g",
			"sp1qqfqnnv8czppwysafq3uwgwvsc638hc8rx3hscuddh0xa2yd746s7xqc7cztt86v30fp7s8rdq99v4vxl5vs4r6naeha9dgwu38c2aszwlqdmad77"},
		{"zoo", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo glue", "", "",
			"sp1qqvchcnrcqpdutxhpf57ptn3wajj0ymqxwzu9g6vj9uxx3wuvlykhyqh99hyh33y5593802pzw5rtw040zrw9f8re52tgcwngc5974w5evuufdy0m",
			""},
	}
	for _, tt := range tests {
		scan, spend, err := DeriveKeys(masterFor(t, tt.mnemonic, mainnet), mainnet, 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.scan != "" && (scalarHex(&scan.Key) != tt.scan || scalarHex(&spend.Key) != tt.spend) {
			t.Errorf("%s: keys %s / %s", tt.name, scalarHex(&scan.Key), scalarHex(&spend.Key))
		}
		if got := NewAddress(scan.PubKey(), spend.PubKey(), mainnet).String(); got != tt.address {
			t.Errorf("%s: address %s", tt.name, got)
		}
		if tt.change != "" {
			b0, err := LabelledSpendKey(spend.PubKey(), scan, ChangeLabel)
			if err != nil {
				t.Fatal(err)
			}
			if got := NewAddress(scan.PubKey(), b0, mainnet).String(); got != tt.change {
				t.Errorf("%s: change address %s", tt.name, got)
			}
		}
	}
}

// On test networks the coin type is 1, and the account number is its own hardened step.
func TestDeriveKeysPaths(t *testing.T) {
	for _, tt := range []struct {
		net     *chaincfg.Params
		account uint32
	}{{mainnet, 0}, {mainnet, 5}, {testnet, 0}, {signet, 2}, {regtest, 0}} {
		m := masterFor(t, abandon, tt.net)
		scan, spend, err := DeriveKeys(m, tt.net, tt.account)
		if err != nil {
			t.Fatal(err)
		}
		base := []uint32{352 + keys.Hardened, keys.CoinType(tt.net) + keys.Hardened, tt.account + keys.Hardened}
		wantScan, _ := privAt(m, append(base, 1+keys.Hardened, 0))
		wantSpend, _ := privAt(m, append(base, keys.Hardened, 0))
		if !scan.Key.Equals(&wantScan.Key) || !spend.Key.Equals(&wantSpend.Key) || scan.Key.Equals(&spend.Key) {
			t.Errorf("%s account %d: keys do not follow the BIP352 paths", tt.net.Name, tt.account)
		}
	}
	mainScan, _, _ := DeriveKeys(masterFor(t, abandon, mainnet), mainnet, 0)
	testScan, _, _ := DeriveKeys(masterFor(t, abandon, testnet), testnet, 0)
	if mainScan.Key.Equals(&testScan.Key) {
		t.Error("testnet uses the mainnet coin type")
	}
}

func TestDeriveKeysRefuses(t *testing.T) {
	m := masterFor(t, abandon, mainnet)
	pub, _ := m.Neuter()
	child, _ := m.Derive(keys.Hardened)
	tests := []struct {
		name    string
		master  *hdkeychain.ExtendedKey
		net     *chaincfg.Params
		account uint32
		class   error
	}{
		{"watch-only key", pub, mainnet, 0, keys.ErrWatchOnly},
		{"not the master", child, mainnet, 0, nil},
		{"hardened account number", m, mainnet, keys.Hardened, nil},
		{"no network", m, nil, 0, nil},
		{"no key", nil, mainnet, 0, nil},
	}
	for _, tt := range tests {
		_, _, err := DeriveKeys(tt.master, tt.net, tt.account)
		if err == nil || (tt.class != nil && !errors.Is(err, tt.class)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestSpendPrivKeyRefusesZero(t *testing.T) {
	k := privKey(t, "0000000000000000000000000000000000000000000000000000000000000001")
	neg := k.Key
	neg.Negate()
	if _, err := SpendPrivKey(k, &neg); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("b_spend + (-b_spend): %v", err)
	}
	if _, err := SpendPrivKey(nil, &neg); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("nil key: %v", err)
	}
}

func TestOutputScript(t *testing.T) {
	pub, err := ParseAddress(vecAddr, mainnet)
	if err != nil {
		t.Fatal(err)
	}
	got := hex.EncodeToString(OutputScript(pub.Spend))
	if want := "5120" + vecSpend[2:]; got != want {
		t.Errorf("script %s, want %s", got, want)
	}
}
