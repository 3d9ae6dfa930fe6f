package wallet

import (
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/keystore"
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
