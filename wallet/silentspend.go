package wallet

import (
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/silentpay"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// coinType is the script type of a coin: its account's, or P2TR for a silent payment.
func (w *Wallet) coinType(c store.Coin) txbuilder.ScriptType {
	if c.Purpose == store.SilentPurpose {
		return txbuilder.P2TR
	}
	if a := w.account(c.Purpose); a != nil {
		return a.keys.ScriptType()
	}
	return keys.Purpose(c.Purpose).ScriptType()
}

// silentInput adds a silent-payment coin to the plan's inputs and says true, or says false
// for any other coin. Such a coin has no BIP32 path: it is signed with the spend key plus the
// tweak the scan found (see inputPrivKey), as its own output key, with no BIP86 tweak.
func (w *Wallet) silentInput(plan *Plan, c store.Coin) bool {
	if c.Purpose != store.SilentPurpose {
		return false
	}
	plan.Prev = append(plan.Prev, txbuilder.PrevOut{Value: txbuilder.Amount(c.Value), PkScript: c.PkScript,
		Type: txbuilder.P2TR, Untweaked: true})
	plan.paths = append(plan.paths, keyPath{c.Purpose, c.Chain, c.Index})
	plan.InputAddresses = append(plan.InputAddresses, c.Address)
	plan.InputPaths = append(plan.InputPaths, silentPath(c.Index))
	return true
}

// silentPath names a silent-payment coin where a derivation path would be shown.
func silentPath(seq uint32) string { return fmt.Sprintf("silent-payment/%d", seq) }

// inputPrivKey is the private key that signs an input spending the coin at p: derived from
// the seed, or for a silent-payment coin, the spend key plus the coin's stored tweak.
func (w *Wallet) inputPrivKey(master *hdkeychain.ExtendedKey, p keyPath) (*btcec.PrivateKey, error) {
	if p.purpose != store.SilentPurpose {
		return keys.PrivKey(master, keys.Purpose(p.purpose), w.net, 0, p.chain, p.index)
	}
	var out store.SilentOut
	var ok bool
	if err := w.st.View(func(tx *store.Txn) error {
		if script, found := tx.AddrScript(p.purpose, p.chain, p.index); found {
			out, ok = tx.SilentOut(script)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("sign: silent payment %d is no longer known (its block left the chain?): sync and try again", p.index)
	}
	_, spend, err := silentpay.DeriveKeys(master, w.net, 0)
	if err != nil {
		return nil, err
	}
	defer spend.Zero()
	var t btcec.ModNScalar
	if t.SetBytes(&out.Tweak) != 0 {
		return nil, fmt.Errorf("sign: silent payment %d has a bad stored tweak", p.index)
	}
	return silentpay.SpendPrivKey(spend, &t)
}

// coinPathType is where a coin's key comes from and its script type, for listings.
func (w *Wallet) coinPathType(c store.Coin) (string, txbuilder.ScriptType, error) {
	if c.Purpose == store.SilentPurpose {
		return silentPath(c.Index), txbuilder.P2TR, nil
	}
	a := w.account(c.Purpose)
	if a == nil {
		return "", 0, fmt.Errorf("coin %s belongs to unknown account %d", c.OutPoint, c.Purpose)
	}
	return a.keys.Path(c.Chain, c.Index), a.keys.ScriptType(), nil
}
