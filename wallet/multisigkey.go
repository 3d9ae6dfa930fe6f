package wallet

import (
	"strings"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// MultisigKey is the seed's BIP48 P2WSH key in the forms cosigners exchange.
type MultisigKey struct {
	Fingerprint string `json:"fingerprint"` // of the master key
	Path        string `json:"path"`        // m/48h/COINh/0h/2h
	Xpub        string `json:"xpub"`        // xpub, or tpub on test networks
	// DescriptorKey is [fingerprint/48h/COINh/0h/2h]xpub..., the key expression a
	// wsh(sortedmulti(...)) descriptor and satchel's --cosigner take.
	DescriptorKey string `json:"descriptor_key"`
}

// ExportMultisigKey unlocks the seed and returns its BIP48 key for P2WSH multisig
// (m/48h/coin h/0h/2h), the key this wallet's seed brings to a multisig. The seed is needed
// because the path is hardened below the accounts the wallet stores.
func (w *Wallet) ExportMultisigKey(passphrase []byte, opts ...keystore.Option) (MultisigKey, error) {
	master, err := w.unlock(passphrase, opts...)
	if err != nil {
		return MultisigKey{}, err
	}
	defer master.Zero()
	return multisigKeyOf(master, w.net)
}

func multisigKeyOf(master *hdkeychain.ExtendedKey, net *chaincfg.Params) (MultisigKey, error) {
	x, err := keys.DeriveMultisigKey(master, net, 0)
	if err != nil {
		return MultisigKey{}, err
	}
	return formatMultisigKey(keys.Fingerprint(master), keys.BIP48Path(net, 0), x.String()), nil
}

// formatMultisigKey writes a cosigner key as [fingerprint/path]xpub.
func formatMultisigKey(fp uint32, path []uint32, xpub string) MultisigKey {
	p := keys.FormatPath(path)
	fps := keys.FormatFingerprint(fp)
	return MultisigKey{Fingerprint: fps, Path: p, Xpub: xpub,
		DescriptorKey: "[" + fps + strings.TrimPrefix(p, "m") + "]" + xpub}
}
