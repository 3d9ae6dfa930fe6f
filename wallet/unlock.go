package wallet

import (
	"fmt"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// unlock opens the keystore with passphrase and returns the master private key, after checking
// it is this wallet's. The caller zeroes it.
func (w *Wallet) unlock(passphrase []byte, opts ...keystore.Option) (*hdkeychain.ExtendedKey, error) {
	if w.meta.WatchOnly {
		return nil, fmt.Errorf("%w: this wallet holds no seed", keys.ErrWatchOnly)
	}
	sec, _, err := keystore.Open(w.KeystorePath(), passphrase, opts...)
	if err != nil {
		return nil, err
	}
	defer sec.Wipe()
	seed, err := seedMatching(sec, w.meta.Fingerprint, w.net)
	if err != nil {
		return nil, err
	}
	defer wipe(seed)
	master, err := keys.Master(seed, w.net)
	if err != nil {
		return nil, err
	}
	if fp := keys.FormatFingerprint(keys.Fingerprint(master)); fp != w.meta.Fingerprint {
		master.Zero()
		return nil, fmt.Errorf("the keystore's seed (fingerprint %s) is not this wallet's (%s)", fp, w.meta.Fingerprint)
	}
	return master, nil
}

// accountPrivKey derives an account's extended private key from the master key, serialised for
// the wallet's network (xprv or tprv), and checks it gives the account's xpub.
func (w *Wallet) accountPrivKey(master *hdkeychain.ExtendedKey, a *account) (*hdkeychain.ExtendedKey, error) {
	k := master
	for _, step := range []uint32{uint32(a.keys.Purpose) + keys.Hardened, keys.CoinType(w.net) + keys.Hardened, a.keys.Index + keys.Hardened} {
		next, err := k.Derive(step)
		if k != master {
			k.Zero()
		}
		if err != nil {
			return nil, fmt.Errorf("derive %s: %w", a.keys.OriginPath(), err)
		}
		k = next
	}
	priv, err := k.CloneWithVersion(w.net.HDPrivateKeyID[:])
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", a.keys.OriginPath(), err)
	}
	// Parse the text back so the result shares no bytes with k, which is zeroed.
	priv, err = hdkeychain.NewKeyFromString(priv.String())
	k.Zero()
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", a.keys.OriginPath(), err)
	}
	pub, err := priv.Neuter()
	if err != nil {
		return nil, err
	}
	pub, err = pub.CloneWithVersion(w.net.HDPublicKeyID[:])
	if err != nil || pub.String() != a.keys.Xpub.String() {
		priv.Zero()
		return nil, fmt.Errorf("derive %s: the seed does not give the account's xpub", a.keys.OriginPath())
	}
	return priv, nil
}
