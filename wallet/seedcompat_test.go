package wallet

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// TestSeedMatchingKeepsLegacyWallets: a wallet made before NFKD with a precomposed é
// (fingerprint bce5986c) still derives its own keys; the standard fingerprint wins otherwise.
func TestSeedMatchingKeepsLegacyWallets(t *testing.T) {
	const words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	net := &chaincfg.MainNetParams
	for _, tt := range []struct {
		name, pass, recorded, want string
	}{
		{"legacy precomposed", "\u00e9", "bce5986c", "bce5986c"},
		{"standard precomposed", "\u00e9", "ea49649a", "ea49649a"},
		{"decomposed is already standard", "e\u0301", "ea49649a", "ea49649a"},
		{"unknown fingerprint gives the standard seed", "\u00e9", "00000000", "ea49649a"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sec := &keystore.Secret{Kind: keystore.KindBIP39, Mnemonic: []byte(words), BIP39Passphrase: []byte(tt.pass)}
			seed, err := seedMatching(sec, tt.recorded, net)
			if err != nil {
				t.Fatal(err)
			}
			if got := fingerprintOfSeed(seed, net); got != tt.want {
				t.Errorf("fingerprint %s, want %s", got, tt.want)
			}
		})
	}
}

// A wallet made before satchel normalised, with é typed precomposed, still unlocks with its own
// keys (fingerprint bce5986c) rather than refusing or turning into the standard wallet.
func TestLegacyWalletStillUnlocks(t *testing.T) {
	const words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	legacy := keys.SeedFromMnemonicUnnormalised([]byte(words), []byte("\u00e9"))
	if _, err := Create(context.Background(), CreateOptions{Dir: dir, Network: "regtest", Type: txbuilder.P2WPKH,
		Seed: legacy, Passphrase: testPass, Keystore: []keystore.Option{cheapKDF}}); err != nil {
		t.Fatal(err)
	}
	// The keystore as satchel wrote it then: the words and the raw passphrase.
	ks := filepath.Join(dir, KeystoreFile)
	_, info, err := keystore.Open(ks, testPass, cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(ks); err != nil {
		t.Fatal(err)
	}
	sec := &keystore.Secret{Kind: keystore.KindBIP39, Mnemonic: []byte(words), BIP39Passphrase: []byte("\u00e9")}
	if err := keystore.Create(ks, testPass, keystore.Meta{Network: info.Network, Fingerprint: info.Fingerprint}, sec, cheapKDF); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir, "regtest", OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.meta.Fingerprint != "bce5986c" {
		t.Fatalf("legacy wallet fingerprint %s", w.meta.Fingerprint)
	}
	m, err := w.unlock(testPass, cheapKDF)
	if err != nil {
		t.Fatalf("unlock a legacy wallet: %v", err)
	}
	m.Zero()
}
