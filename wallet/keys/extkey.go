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

// keyVersions lists the serialisation versions ParseExtendedKey accepts. SLIP-132 versions are
// the hook for a later change: add them here with their canonical version and purpose, and
// NewAccountFromXpub will check the implied purpose.
var keyVersions = map[[4]byte]keyVersion{
	chaincfg.MainNetParams.HDPrivateKeyID:  {private: true, mainnet: true, canonical: chaincfg.MainNetParams.HDPrivateKeyID},
	chaincfg.MainNetParams.HDPublicKeyID:   {private: false, mainnet: true, canonical: chaincfg.MainNetParams.HDPublicKeyID},
	chaincfg.TestNet3Params.HDPrivateKeyID: {private: true, mainnet: false, canonical: chaincfg.TestNet3Params.HDPrivateKeyID},
	chaincfg.TestNet3Params.HDPublicKeyID:  {private: false, mainnet: false, canonical: chaincfg.TestNet3Params.HDPublicKeyID},
}

// ParseExtendedKey reads a serialised BIP32 key and checks everything BIP32 requires, which
// hdkeychain.NewKeyFromString alone does not: a known version, a private/public key that
// matches the version, and a depth-0 key with no parent fingerprint or child number.
func ParseExtendedKey(s string) (*hdkeychain.ExtendedKey, error) {
	k, _, err := parseExtendedKey(s)
	return k, err
}

func parseExtendedKey(s string) (*hdkeychain.ExtendedKey, keyVersion, error) {
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
	if !ok {
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
