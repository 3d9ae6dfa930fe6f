package keys

import (
	"fmt"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// Purpose is the first, hardened level of a BIP43 path; it fixes the script type an account's
// addresses use, so it is all a restore needs to find the coins again.
type Purpose uint32

// The purposes satchel's single-signature accounts use.
const (
	BIP44 Purpose = 44 // legacy P2PKH
	BIP49 Purpose = 49 // P2WPKH nested in P2SH
	BIP84 Purpose = 84 // native segwit P2WPKH
	BIP86 Purpose = 86 // taproot key-path P2TR
)

// ScriptType is the script type the purpose's BIP assigns, or ScriptUnknown for any other.
func (p Purpose) ScriptType() txbuilder.ScriptType {
	switch p {
	case BIP44:
		return txbuilder.P2PKH
	case BIP49:
		return txbuilder.P2SHP2WPKH
	case BIP84:
		return txbuilder.P2WPKH
	case BIP86:
		return txbuilder.P2TR
	}
	return txbuilder.ScriptUnknown
}

// String names the purpose as its BIP.
func (p Purpose) String() string { return fmt.Sprintf("BIP%d", uint32(p)) }

// PurposeFor is the purpose whose accounts use script type t, so a user can pick an account
// kind by its script type ("wpkh", "tr").
func PurposeFor(t txbuilder.ScriptType) (Purpose, error) {
	for _, p := range []Purpose{BIP44, BIP49, BIP84, BIP86} {
		if p.ScriptType() == t {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no single-key account purpose for script type %s", t)
}

func (p Purpose) check() error {
	if p.ScriptType() == txbuilder.ScriptUnknown {
		return fmt.Errorf("purpose %d is not one of 44, 49, 84, 86", uint32(p))
	}
	return nil
}

// CoinType is the BIP44 coin type for a network: 0 on mainnet and 1 on every test network
// (testnet3, testnet4, signet, regtest), as SLIP-44 and Bitcoin Core use.
func CoinType(net *chaincfg.Params) uint32 {
	if net.Net == chaincfg.MainNetParams.Net {
		return 0
	}
	return 1
}
