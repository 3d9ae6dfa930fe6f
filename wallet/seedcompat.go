package wallet

import (
	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// seedMatching is seedOf for a keystore whose master fingerprint is known (keystore.Info and
// the wallet's meta both record it). Satchel normalises the BIP39 passphrase to NFKD since
// issue 14; a wallet created before with a passphrase NFKD changes (é typed precomposed) was
// derived from the raw bytes, and its fingerprint says so. Such a wallet keeps opening with its
// own keys rather than silently turning into another wallet; every new one is standard.
func seedMatching(sec *keystore.Secret, fingerprint string, net *chaincfg.Params) ([]byte, error) {
	seed, err := seedOf(sec)
	if err != nil || sec.Kind != keystore.KindBIP39 || !keys.NFKDChanges(sec.BIP39Passphrase) {
		return seed, err
	}
	if fingerprintOfSeed(seed, net) == fingerprint {
		return seed, nil
	}
	legacy := keys.SeedFromMnemonicUnnormalised(sec.Mnemonic, sec.BIP39Passphrase)
	if fingerprintOfSeed(legacy, net) == fingerprint {
		wipe(seed)
		return legacy, nil
	}
	wipe(legacy)
	return seed, nil
}

// fingerprintOfSeed is the master fingerprint as wallet meta spells it, or "" if the seed gives
// no master key.
func fingerprintOfSeed(seed []byte, net *chaincfg.Params) string {
	m, err := keys.Master(seed, net)
	if err != nil {
		return ""
	}
	defer m.Zero()
	return keys.FormatFingerprint(keys.Fingerprint(m))
}
