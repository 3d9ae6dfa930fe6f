package wallet

import (
	"errors"
	"fmt"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/message"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// ErrNotOurAddress means an address that must be the wallet's own (to sign with it) is not.
var ErrNotOurAddress = errors.New("not an address of this wallet")

// OwnAddress is one of the wallet's addresses with where it comes from.
type OwnAddress struct {
	Address string
	Path    string // like m/86h/0h/0h/0/5
	Type    txbuilder.ScriptType
	purpose uint32
	chain   uint32
	index   uint32
}

// MessageAddress finds addr among the wallet's addresses and checks a message can be signed
// with it: P2WPKH and P2TR take BIP322 simple signatures, P2SH-P2WPKH (BIP49) full ones, P2PKH
// legacy ones. It needs no passphrase, so a command can refuse early.
func (w *Wallet) MessageAddress(addr string) (*OwnAddress, error) {
	a, err := address.Decode(addr, w.net)
	if err != nil {
		return nil, err
	}
	var found *OwnAddress
	err = w.st.View(func(tx *store.Txn) error {
		if ad, ok := tx.Addr(a.PkScript); ok {
			found = w.ownAddress(a.String, ad.Purpose, ad.Chain, ad.Index)
			return nil
		}
		// An address shown but not yet recorded (create's first_address, or one past the
		// last handed out within the gap): derive the handed-out range plus the gap limit.
		gap := uint32(w.gapLimit(tx))
		for _, acct := range w.accounts {
			rec, err := w.freshAccount(tx, acct.rec.Purpose)
			if err != nil {
				return err
			}
			for chain, next := range [2]uint32{rec.NextReceive, rec.NextChange} {
				for i := uint32(0); i < next+gap; i++ {
					d, err := acct.keys.Derive(uint32(chain), i)
					if err != nil {
						continue
					}
					if string(d.PkScript) == string(a.PkScript) {
						found = w.ownAddress(a.String, acct.rec.Purpose, uint32(chain), i)
						return nil
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %s (sign with an address from satchel receive)", ErrNotOurAddress, a.String)
	}
	switch found.Type {
	case txbuilder.P2WPKH, txbuilder.P2TR, txbuilder.P2PKH, txbuilder.P2SHP2WPKH:
		return found, nil
	}
	return nil, fmt.Errorf("%w: %s is a %s address; satchel signs with native segwit, taproot, "+
		"nested segwit and 1... addresses", message.ErrUnsupported, a.String, found.Type)
}

func (w *Wallet) ownAddress(addr string, purpose, chain, index uint32) *OwnAddress {
	o := &OwnAddress{Address: addr, purpose: purpose, chain: chain, index: index}
	if a := w.account(purpose); a != nil {
		o.Path, o.Type = a.keys.Path(chain, index), a.keys.ScriptType()
	}
	return o
}

// SignMessage signs msg with one of the wallet's own addresses: a BIP322 simple signature for
// P2WPKH and P2TR (for P2TR with the BIP86 internal key, tweaked), a legacy signature for P2PKH.
// The key is derived from the seed for this call only.
func (w *Wallet) SignMessage(addr string, msg, passphrase []byte, opts ...keystore.Option) (string, error) {
	own, err := w.MessageAddress(addr)
	if err != nil {
		return "", err
	}
	master, err := w.unlock(passphrase, opts...)
	if err != nil {
		return "", err
	}
	defer master.Zero()
	acct := w.account(own.purpose)
	key, err := keys.PrivKey(master, keys.Purpose(own.purpose), w.net, acct.keys.Index, own.chain, own.index)
	if err != nil {
		return "", err
	}
	defer key.Zero()
	return message.Sign(msg, own.Address, w.net, key, own.Type)
}
