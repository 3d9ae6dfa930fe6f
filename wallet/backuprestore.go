package wallet

import (
	"context"
	"fmt"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"maps"
	"path/filepath"
	"slices"

	"github.com/satchel-wallet/satchel/internal/atomicfile"
	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// RestoreBackupOptions describe a wallet to bring back from a backup file.
type RestoreBackupOptions struct {
	// Dir is the wallet's folder; it must not exist yet.
	Dir string
	// Network must be the backup's network.
	Network string
	Backup  *Backup
	// Passphrase opens the backup's keystore (the wallet passphrase it was made with).
	Passphrase []byte
	// Keystore passes options (the KDF cost limit) to the keystore.
	Keystore []keystore.Option
}

// RestoreBackup writes a wallet folder from a backup: the keystore byte for byte, a new store
// with the backup's accounts, labels and frozen coins, and its settings files. The keystore
// must open with the passphrase and its seed must give every account's xpub; otherwise (a
// wrong passphrase is keystore.ErrWrongPassphrase) nothing is left behind.
func RestoreBackup(ctx context.Context, o RestoreBackupOptions) (*Created, error) {
	b := o.Backup
	if b == nil {
		return nil, fmt.Errorf("%w: no backup", ErrBadInput)
	}
	if _, err := NetworkParams(o.Network); err != nil {
		return nil, err
	}
	if b.Wallet.Network != o.Network {
		return nil, fmt.Errorf("%w: the backup is of a %s wallet, not %s (use --network %s)", ErrWrongNetwork,
			b.Wallet.Network, o.Network, b.Wallet.Network)
	}
	if err := b.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	work, commit, undo, err := newWalletDir(o.Dir)
	if err != nil {
		return nil, err
	}
	dir := o.Dir
	o.Dir = work
	res, err := restoreBackup(ctx, o)
	if err == nil {
		err = commit()
	}
	if err != nil {
		undo()
		return nil, hideWorkDir(err, work, dir)
	}
	return res, nil
}

func restoreBackup(ctx context.Context, o RestoreBackupOptions) (*Created, error) {
	b := o.Backup
	net, err := NetworkParams(o.Network)
	if err != nil {
		return nil, err
	}
	accts, err := b.accounts()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBackup, err)
	}
	var spKeys *store.SilentKeys
	if !b.Wallet.WatchOnly {
		ks := filepath.Join(o.Dir, KeystoreFile)
		if err := atomicfile.CreateExclusive(ks, b.Keystore, 0o600); err != nil {
			return nil, err
		}
		sec, info, err := keystore.Open(ks, o.Passphrase, o.Keystore...)
		if err != nil {
			return nil, err
		}
		seed, err := seedMatching(sec, b.Wallet.Fingerprint, net)
		sec.Wipe()
		if err != nil {
			return nil, err
		}
		// Nothing of the file but the keystore is used before its authentication code holds.
		if err := b.verifyMAC(seed); err != nil {
			wipe(seed)
			return nil, err
		}
		master, err := keys.Master(seed, net)
		wipe(seed)
		if err != nil {
			return nil, err
		}
		defer master.Zero()
		fp := keys.FormatFingerprint(keys.Fingerprint(master))
		if fp != b.Wallet.Fingerprint || info.Fingerprint != fp || info.Network != b.Wallet.Network {
			return nil, fmt.Errorf("%w: the keystore's seed (fingerprint %s, %s) is not the backed-up wallet's (%s, %s)",
				ErrBadBackup, fp, info.Network, b.Wallet.Fingerprint, b.Wallet.Network)
		}
		for _, a := range accts {
			derive := func() (*hdkeychain.ExtendedKey, error) {
				d, err := keys.DeriveAccount(master, a.keys.Purpose, net, a.keys.Index)
				if err != nil {
					return nil, err
				}
				return d.Xpub, nil
			}
			if a.keys.Multi != nil { // the seed's key of a multisig is its BIP48 key
				derive = func() (*hdkeychain.ExtendedKey, error) { return keys.DeriveMultisigKey(master, net, 0) }
			}
			x, err := derive()
			if err != nil {
				return nil, err
			}
			if x.String() != a.keys.Xpub.String() {
				return nil, fmt.Errorf("%w: account %d's xpub does not come from the keystore's seed", ErrBadBackup, a.rec.Purpose)
			}
		}
		if b.Silent != nil {
			if spKeys, err = silentKeysFrom(master, net); err != nil {
				return nil, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(o.Dir, store.FileName), store.Options{Create: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	err = st.Update(func(tx *store.Txn) error {
		if err := tx.PutMeta(b.Wallet); err != nil {
			return err
		}
		for _, a := range accts {
			if err := tx.PutAccount(a.rec); err != nil {
				return err
			}
			// Record the addresses already handed out, as the original store had them, so
			// they are watched and recognised before the first sync.
			for chain, next := range [2]uint32{a.rec.NextReceive, a.rec.NextChange} {
				for i := uint32(0); i < next; i++ {
					d, err := a.keys.Derive(uint32(chain), i)
					if err != nil {
						continue // an invalid child (odds below 2^-127): BIP32 skips it
					}
					if err := tx.PutAddr(d.PkScript, store.Addr{Purpose: a.rec.Purpose, Chain: uint32(chain), Index: i}); err != nil {
						return err
					}
				}
			}
		}
		if err := putLabelsInOrder(tx, b.Labels); err != nil {
			return err
		}
		for _, op := range b.Frozen {
			if err := tx.SetFrozen(op, true); err != nil {
				return err
			}
		}
		return restoreSilent(tx, spKeys, b.Silent)
	})
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", st.Path(), err)
	}
	for name, content := range b.Files {
		if err := atomicfile.CreateExclusive(filepath.Join(o.Dir, name), []byte(content), 0o600); err != nil {
			return nil, err
		}
	}
	main := accts[0].keys
	first, err := main.Derive(0, 0)
	if err != nil {
		return nil, err
	}
	return &Created{Network: o.Network, Type: main.ScriptType(), Fingerprint: b.Wallet.Fingerprint,
		Receive: descriptorFor(main, 0), Change: descriptorFor(main, 1), FirstAddress: first.Address}, nil
}

// labelSetter is the part of a store transaction putLabelsInOrder writes through.
type labelSetter interface {
	SetLabel(key, text string) error
}

// putLabelsInOrder writes a backup's labels in key order, cleaned. bbolt splits pages only at
// commit, so keys put in a map's random order into a new, empty bucket each moved half of one
// growing page (500,000 labels: two and a half minutes); in order, each is appended.
func putLabelsInOrder(tx labelSetter, labels map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		// A backup file is a file from outside: its labels get no control characters in.
		v, _ := CleanLabel(labels[k])
		if err := tx.SetLabel(k, v); err != nil {
			return err
		}
	}
	return nil
}
