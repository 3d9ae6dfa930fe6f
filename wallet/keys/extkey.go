package keys

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
)

// ErrBadExtendedKey marks an xpub/xprv/tpub/tprv string that is not a valid BIP32 key.
var ErrBadExtendedKey = errors.New("invalid extended key")

// keyVersion describes one accepted 4-byte BIP32 serialisation version.
type keyVersion struct {
	private bool
	mainnet bool
	// canonical is the xpub/xprv or tpub/tprv version the key is rewritten to. It equals the
	// version itself for the BIP32 versions; a SLIP-132 alias (zpub, vpub, ypub, upub, ...)
	// would map to its canonical version here and set purpose.
	canonical [4]byte
	// purpose is the script type a SLIP-132 version implies, or 0 when the version says none.
	purpose Purpose
}

// keyVersions lists the BIP32 serialisation versions every parser accepts.
var keyVersions = map[[4]byte]keyVersion{
	chaincfg.MainNetParams.HDPrivateKeyID:  {private: true, mainnet: true, canonical: chaincfg.MainNetParams.HDPrivateKeyID},
	chaincfg.MainNetParams.HDPublicKeyID:   {private: false, mainnet: true, canonical: chaincfg.MainNetParams.HDPublicKeyID},
	chaincfg.TestNet3Params.HDPrivateKeyID: {private: true, mainnet: false, canonical: chaincfg.TestNet3Params.HDPrivateKeyID},
	chaincfg.TestNet3Params.HDPublicKeyID:  {private: false, mainnet: false, canonical: chaincfg.TestNet3Params.HDPublicKeyID},
}

// slip132Versions are the SLIP-0132 versions of Bitcoin's single-key accounts: the same key
// material as an xpub/tpub (or xprv/tprv) under version bytes that also name the script type.
// Only ParseAnyExtendedKey and NewAccountFromXpub read them: descriptors (BIP380) and BIP32
// itself know only xpub and tpub, and Bitcoin Core refuses a zpub in a descriptor.
var slip132Versions = map[[4]byte]keyVersion{
	{0x04, 0xb2, 0x47, 0x46}: {private: false, mainnet: true, canonical: chaincfg.MainNetParams.HDPublicKeyID, purpose: BIP84},   // zpub
	{0x04, 0xb2, 0x43, 0x0c}: {private: true, mainnet: true, canonical: chaincfg.MainNetParams.HDPrivateKeyID, purpose: BIP84},   // zprv
	{0x04, 0x9d, 0x7c, 0xb2}: {private: false, mainnet: true, canonical: chaincfg.MainNetParams.HDPublicKeyID, purpose: BIP49},   // ypub
	{0x04, 0x9d, 0x78, 0x78}: {private: true, mainnet: true, canonical: chaincfg.MainNetParams.HDPrivateKeyID, purpose: BIP49},   // yprv
	{0x04, 0x5f, 0x1c, 0xf6}: {private: false, mainnet: false, canonical: chaincfg.TestNet3Params.HDPublicKeyID, purpose: BIP84}, // vpub
	{0x04, 0x5f, 0x18, 0xbc}: {private: true, mainnet: false, canonical: chaincfg.TestNet3Params.HDPrivateKeyID, purpose: BIP84}, // vprv
	{0x04, 0x4a, 0x52, 0x62}: {private: false, mainnet: false, canonical: chaincfg.TestNet3Params.HDPublicKeyID, purpose: BIP49}, // upub
	{0x04, 0x4a, 0x4e, 0x28}: {private: true, mainnet: false, canonical: chaincfg.TestNet3Params.HDPrivateKeyID, purpose: BIP49}, // uprv
}

// ErrNoSLIP132 means a SLIP-132 serialisation was asked for a purpose SLIP-0132 gives no
// version to: BIP86 taproot has none, and BIP44's is the plain xpub/tpub.
var ErrNoSLIP132 = errors.New("no SLIP-132 version for this account type")

// EncodeSLIP132 serialises an extended key with the SLIP-0132 version of purpose on net:
// zpub/zprv (mainnet) or vpub/vprv (test networks) for BIP84, ypub/yprv or upub/uprv for
// BIP49. Some wallets (Electrum, Sparrow, BlueWallet) read the script type from that prefix.
// BIP86 and BIP44 give ErrNoSLIP132: use the xpub/tpub (and a descriptor) for them.
func EncodeSLIP132(key *hdkeychain.ExtendedKey, purpose Purpose, net *chaincfg.Params) (string, error) {
	mainnet := CoinType(net) == 0
	for v, kv := range slip132Versions {
		if kv.purpose == purpose && kv.mainnet == mainnet && kv.private == key.IsPrivate() {
			k, err := key.CloneWithVersion(v[:])
			if err != nil {
				return "", fmt.Errorf("encode SLIP-132: %w", err)
			}
			return k.String(), nil
		}
	}
	return "", fmt.Errorf("%w: %s (SLIP-0132 has versions for BIP84 and BIP49 only)", ErrNoSLIP132, purpose)
}

// ParseAnyExtendedKey is ParseExtendedKey that also reads the SLIP-0132 versions (zpub, ypub,
// vpub, upub and their private forms), for keys pasted from wallets that write them. The key
// comes back with its canonical xpub/xprv or tpub/tprv version, and purpose is the account
// type the version names (0 for xpub/tpub, which name none).
func ParseAnyExtendedKey(s string) (*hdkeychain.ExtendedKey, Purpose, error) {
	k, kv, err := parseExtendedKeyVersions(s, true)
	if err != nil {
		return nil, 0, err
	}
	return k, kv.purpose, nil
}

// ParseExtendedKey reads a serialised BIP32 key and checks everything BIP32 requires, which
// hdkeychain.NewKeyFromString alone does not: a known version, a private/public key that
// matches the version, and a depth-0 key with no parent fingerprint or child number.
func ParseExtendedKey(s string) (*hdkeychain.ExtendedKey, error) {
	k, _, err := parseExtendedKey(s)
	return k, err
}

func parseExtendedKey(s string) (*hdkeychain.ExtendedKey, keyVersion, error) {
	return parseExtendedKeyVersions(s, false)
}

// parseExtendedKeyVersions parses s, accepting the SLIP-132 versions when slip132 is set.
func parseExtendedKeyVersions(s string, slip132 bool) (*hdkeychain.ExtendedKey, keyVersion, error) {
	bad := func(why string) (*hdkeychain.ExtendedKey, keyVersion, error) {
		return nil, keyVersion{}, fmt.Errorf("%w: %s", ErrBadExtendedKey, why)
	}
	raw := base58.Decode(s)
	if len(raw) != 82 {
		return bad("wrong length or not base58")
	}
	payload, sum := raw[:78], raw[78:]
	if !bytes.Equal(chainhash.DoubleHashB(payload)[:4], sum) {
		return bad("checksum does not match (a character is wrong)")
	}
	var version [4]byte
	copy(version[:], payload[:4])
	kv, ok := keyVersions[version]
	if !ok && slip132 {
		kv, ok = slip132Versions[version]
	}
	if !ok {
		if _, isSLIP := slip132Versions[version]; isSLIP {
			return bad(fmt.Sprintf("version %x is a SLIP-132 key (zpub, ypub, vpub, upub): write it as an xpub or tpub here", version))
		}
		if slip132 {
			return bad(fmt.Sprintf("unknown version %x (satchel reads xpub, tpub, zpub, vpub, ypub, upub and their private forms)", version))
		}
		return bad(fmt.Sprintf("unknown version %x (satchel reads xpub, xprv, tpub, tprv)", version))
	}
	depth := payload[4]
	parentFP := binary.BigEndian.Uint32(payload[5:9])
	childNum := binary.BigEndian.Uint32(payload[9:13])
	keyData := payload[45:78]
	if depth == 0 && parentFP != 0 {
		return bad("a depth-0 key has a parent fingerprint")
	}
	if depth == 0 && childNum != 0 {
		return bad("a depth-0 key has a child number")
	}
	switch {
	case kv.private && keyData[0] != 0x00:
		return bad("private key version with public key data")
	case !kv.private && keyData[0] != 0x02 && keyData[0] != 0x03:
		return bad("public key version without a compressed public key")
	}
	if kv.canonical != version {
		copy(payload[:4], kv.canonical[:])
		s = base58.Encode(append(payload, chainhash.DoubleHashB(payload)[:4]...))
	}
	k, err := hdkeychain.NewKeyFromString(s)
	if err != nil {
		return bad(err.Error())
	}
	return k, kv, nil
}
