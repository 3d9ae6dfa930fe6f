package wallet

import (
	"fmt"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// DescriptorImport is one descriptor in the shape of Bitcoin Core's importdescriptors request
// (and listdescriptors answer), so `bitcoin-cli importdescriptors` takes satchel's export as is.
type DescriptorImport struct {
	Desc string `json:"desc"`
	// Timestamp is where a rescan starts, in UNIX time: the wallet's creation, or 0 for a
	// restored seed whose first use is unknown.
	Timestamp int64 `json:"timestamp"`
	Active    bool  `json:"active"`
	Internal  bool  `json:"internal"`
	// Range is the first and last index to watch (inclusive): the used ones plus the gap limit.
	Range [2]uint32 `json:"range"`
	// Next is the next index to hand out. listdescriptors writes it as next (and, since Core
	// 27, next_index); importdescriptors reads next_index.
	Next      uint32 `json:"next"`
	NextIndex uint32 `json:"next_index"`
}

// ExportDescriptorsOptions say whether to export private keys, and how to unlock them.
type ExportDescriptorsOptions struct {
	// Private puts the account's xprv (tprv on test networks) in the descriptors.
	Private    bool
	Passphrase []byte
	Keystore   []keystore.Option
}

// ExportDescriptors lists a receive and a change descriptor for every account in use, main
// account first. With Private the keystore is opened and each account's private key is checked
// against its xpub before it is written.
func (w *Wallet) ExportDescriptors(o ExportDescriptorsOptions) ([]DescriptorImport, error) {
	type chainState struct{ next, gap uint32 }
	states := map[uint32][2]chainState{}
	err := w.st.View(func(tx *store.Txn) error {
		gap := uint32(w.gapLimit(tx))
		for _, a := range w.accounts {
			if !a.rec.Active {
				continue
			}
			rec, err := w.freshAccount(tx, a.rec.Purpose)
			if err != nil {
				return err
			}
			var st [2]chainState
			for chain, next := range [2]uint32{rec.NextReceive, rec.NextChange} {
				if err := tx.ForEachAddr(rec.Purpose, uint32(chain), func(_ []byte, ad store.Addr) error {
					if ad.Used && ad.Index+1 > next {
						next = ad.Index + 1
					}
					return nil
				}); err != nil {
					return err
				}
				st[chain] = chainState{next: next, gap: gap}
			}
			states[a.rec.Purpose] = st
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export descriptors: %w", err)
	}
	var master *hdkeychain.ExtendedKey
	if o.Private {
		if master, err = w.unlock(o.Passphrase, o.Keystore...); err != nil {
			return nil, err
		}
		defer master.Zero()
	}
	ts := w.meta.Created.Unix()
	if w.meta.Restored {
		ts = 0
	}
	var out []DescriptorImport
	for _, a := range w.accounts {
		if !a.rec.Active {
			continue
		}
		if a.keys.Multi != nil {
			// A multisig's private descriptor would hold one private key among public ones,
			// which importers read in different ways: export it public only.
			if master != nil {
				return nil, fmt.Errorf("%w: a multisig wallet's descriptors are exported public only (its seed's key: satchel seed show)", ErrBadInput)
			}
			for chain, st := range states[a.rec.Purpose] {
				out = append(out, DescriptorImport{
					Desc: descriptor.ForAccount(a.keys, uint32(chain)), Timestamp: ts, Active: true, Internal: chain == 1,
					Range: [2]uint32{0, st.next + st.gap - 1}, Next: st.next, NextIndex: st.next,
				})
			}
			continue
		}
		ext := a.keys.Xpub
		if master != nil {
			priv, err := w.accountPrivKey(master, a)
			if err != nil {
				return nil, fmt.Errorf("export descriptors: %w", err)
			}
			defer priv.Zero()
			ext = priv
		}
		for chain, st := range states[a.rec.Purpose] {
			out = append(out, DescriptorImport{
				Desc: accountDescriptor(a.keys, ext, uint32(chain)), Timestamp: ts, Active: true, Internal: chain == 1,
				Range: [2]uint32{0, st.next + st.gap - 1}, Next: st.next, NextIndex: st.next,
			})
		}
	}
	return out, nil
}

// accountDescriptor writes one chain of an account with ext (its xpub or xprv) as the key.
func accountDescriptor(a *keys.Account, ext *hdkeychain.ExtendedKey, chain uint32) string {
	d := &descriptor.Descriptor{Type: a.ScriptType(), Key: descriptor.Key{
		Origin: &descriptor.Origin{Fingerprint: a.Fingerprint, Path: []uint32{
			uint32(a.Purpose) + keys.Hardened, keys.CoinType(a.Net) + keys.Hardened, a.Index + keys.Hardened}},
		Extended: ext,
		Path:     []uint32{chain},
		Wildcard: descriptor.UnhardenedWildcard,
	}}
	return d.String()
}

// AccountKey is an account's extended public key as other wallets import it.
type AccountKey struct {
	Purpose     uint32
	Key         string // xpub/tpub, or with SLIP-132 zpub/vpub (BIP84) or ypub/upub (BIP49)
	Fingerprint string // of the master key
	Path        string // the account's path, like m/84h/0h/0h
	Main        bool
}

// ExportAccountKey returns the xpub (tpub on test networks) of the account with the given
// purpose, or of the main account when purpose is 0. With slip132 the key carries its
// SLIP-0132 version instead; BIP86 and BIP44 accounts have none (keys.ErrNoSLIP132).
func (w *Wallet) ExportAccountKey(purpose uint32, slip132 bool) (AccountKey, error) {
	a := w.main()
	if purpose != 0 {
		if a = w.account(purpose); a == nil {
			return AccountKey{}, fmt.Errorf("%w: the wallet has no BIP%d account", ErrBadInput, purpose)
		}
	}
	out := AccountKey{Purpose: a.rec.Purpose, Key: a.keys.Xpub.String(), Fingerprint: w.meta.Fingerprint,
		Path: a.keys.OriginPath(), Main: a.rec.Main}
	if slip132 {
		s, err := keys.EncodeSLIP132(a.keys.Xpub, a.keys.Purpose, w.net)
		if err != nil {
			return AccountKey{}, err
		}
		out.Key = s
	}
	return out, nil
}
