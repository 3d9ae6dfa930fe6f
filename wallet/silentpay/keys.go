package silentpay

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Purpose is the BIP43 purpose of silent payment keys.
const Purpose uint32 = 352

// DeriveKeys derives the scan and spend private keys of a silent payment account from a
// master private key, at BIP352's paths
//
//	scan:  m/352'/coin'/account'/1'/0
//	spend: m/352'/coin'/account'/0'/0
//
// with coin 0 on mainnet and 1 on test networks. The hardened steps make it safe to hand the
// scan key to an online scanner without exposing the spend key or the seed.
func DeriveKeys(master *hdkeychain.ExtendedKey, net *chaincfg.Params,
	account uint32) (scan, spend *btcec.PrivateKey, err error) {
	switch {
	case master == nil || net == nil:
		return nil, nil, errors.New("silent payment keys: need a master key and a network")
	case !master.IsPrivate():
		return nil, nil, fmt.Errorf("silent payment keys: %w", keys.ErrWatchOnly)
	case master.Depth() != 0:
		return nil, nil, errors.New("silent payment keys: need the master key (depth 0)")
	case account >= keys.Hardened:
		return nil, nil, fmt.Errorf("silent payment keys: account number %d is too large", account)
	}
	base := []uint32{Purpose + keys.Hardened, keys.CoinType(net) + keys.Hardened,
		account + keys.Hardened}
	if scan, err = privAt(master, append(base, 1+keys.Hardened, 0)); err != nil {
		return nil, nil, err
	}
	if spend, err = privAt(master, append(base, 0+keys.Hardened, 0)); err != nil {
		scan.Zero()
		return nil, nil, err
	}
	return scan, spend, nil
}

// privAt derives the private key at path from master, zeroing every intermediate key.
func privAt(master *hdkeychain.ExtendedKey, path []uint32) (*btcec.PrivateKey, error) {
	cur := master
	for _, i := range path {
		next, err := cur.Derive(i)
		if cur != master {
			cur.Zero()
		}
		if err != nil {
			return nil, fmt.Errorf("silent payment key %s: %w", formatPath(path), err)
		}
		cur = next
	}
	defer cur.Zero()
	priv, err := cur.ECPrivKey()
	if err != nil {
		return nil, fmt.Errorf("silent payment key %s: %w", formatPath(path), err)
	}
	return priv, nil // a copy: zeroing cur leaves it intact
}

func formatPath(path []uint32) string {
	s := "m"
	for _, i := range path {
		if i >= keys.Hardened {
			s += fmt.Sprintf("/%dh", i-keys.Hardened)
		} else {
			s += fmt.Sprintf("/%d", i)
		}
	}
	return s
}

// SpendPrivKey is d = b_spend + tweak, the private key of an output Scanner found, where tweak
// is Found.Tweak. Sign with it as with any taproot key-path key: BIP340 signing takes care of
// the output key's y parity.
func SpendPrivKey(spendPriv *btcec.PrivateKey, tweak *btcec.ModNScalar) (*btcec.PrivateKey, error) {
	if spendPriv == nil || tweak == nil {
		return nil, fmt.Errorf("spend key: %w: missing key or tweak", ErrInvalidKey)
	}
	var d btcec.ModNScalar
	d.Add2(&spendPriv.Key, tweak)
	if d.IsZero() {
		return nil, fmt.Errorf("spend key: %w: tweaked key is zero", ErrInvalidKey)
	}
	return btcec.PrivKeyFromScalar(&d), nil
}

// OutputScript is the P2TR output script OP_1 <32-byte x-only key> paying an output key from
// CreateOutputs.
func OutputScript(outputKey *btcec.PublicKey) []byte {
	return keys.P2TRScript(schnorr.SerializePubKey(outputKey))
}
