package wallet

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// KeystoreFile is the keystore's name inside a wallet folder.
const KeystoreFile = "keystore.json"

// StoreFile is the name of the wallet's database in its folder.
const StoreFile = store.FileName

// DefaultGapLimit is how many unused addresses in a row end the search for used ones (BIP44).
const DefaultGapLimit = 20

// StandardPurposes are the account paths a restored seed is searched on, in the order wallets
// most often used them.
var StandardPurposes = []keys.Purpose{keys.BIP86, keys.BIP84, keys.BIP49, keys.BIP44}

// CreateOptions describe a wallet to create or restore.
type CreateOptions struct {
	// Dir is the wallet's folder; it must not exist yet. Its parent is created 0700 if needed.
	Dir string
	// Network is satchel's name for the network: mainnet, testnet, testnet4, signet or regtest.
	Network string
	// Type is the main account's script type: txbuilder.P2TR (BIP86) or txbuilder.P2WPKH (BIP84).
	Type txbuilder.ScriptType
	// Mnemonic is a checked, normalised BIP39 mnemonic (keys.ParseMnemonic).
	Mnemonic []byte
	// Seed, instead of Mnemonic, is a raw BIP32 seed: the master secret of a SLIP-39 backup,
	// already decrypted with its passphrase. Exactly one of Mnemonic and Seed is set.
	Seed []byte
	// BIP39Passphrase is the optional "25th word" (or, with Seed, the SLIP-39 passphrase, kept
	// so that seed show can remind the user it exists).
	BIP39Passphrase []byte
	// Passphrase encrypts the keystore.
	Passphrase []byte
	// Restored makes the first sync look for funds on every standard path of the seed.
	Restored bool
	// Keystore passes options (KDF cost) to the keystore.
	Keystore []keystore.Option
	// Now stamps the creation time; zero means time.Now.
	Now time.Time
	// Multisig, when set, makes an M-of-N multisig wallet the seed is one key of; Type is
	// then ignored.
	Multisig *MultisigOptions
}

// Created describes a new wallet. It holds nothing secret.
type Created struct {
	Network      string
	Type         txbuilder.ScriptType
	Fingerprint  string
	Receive      string // receive descriptor with checksum
	Change       string // change descriptor with checksum
	FirstAddress string // receive index 0; not handed out by creating
}

// Create makes a wallet folder with an encrypted keystore and a fresh store. Nothing is left
// behind when it fails, and an existing folder is never touched.
func Create(ctx context.Context, o CreateOptions) (*Created, error) {
	net, err := NetworkParams(o.Network)
	if err != nil {
		return nil, err
	}
	purpose, err := keys.PurposeFor(o.Type)
	if o.Multisig != nil {
		purpose, err = keys.BIP48, nil
	} else if err != nil || (o.Type != txbuilder.P2TR && o.Type != txbuilder.P2WPKH) {
		return nil, fmt.Errorf("wallet type %s: %w: use tr or wpkh", o.Type, ErrBadInput)
	}
	work, commit, undo, err := newWalletDir(o.Dir)
	if err != nil {
		return nil, err
	}
	dir := o.Dir
	o.Dir = work
	res, err := create(ctx, o, net, purpose)
	if err == nil {
		err = commit()
	}
	if err != nil {
		undo()
		return nil, hideWorkDir(err, work, dir)
	}
	return res, nil
}

func create(ctx context.Context, o CreateOptions, net *chaincfg.Params, purpose keys.Purpose) (*Created, error) {
	if (len(o.Mnemonic) == 0) == (len(o.Seed) == 0) {
		return nil, fmt.Errorf("%w: give a mnemonic or a seed", ErrBadInput)
	}
	var seed []byte
	if len(o.Seed) > 0 {
		seed = append([]byte(nil), o.Seed...)
	} else {
		seed = keys.SeedFromMnemonic(o.Mnemonic, o.BIP39Passphrase)
	}
	defer wipe(seed)
	master, err := keys.Master(seed, net)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	defer master.Zero()
	fp := keys.FormatFingerprint(keys.Fingerprint(master))

	var accts []store.Account
	var main *keys.Account
	if o.Multisig != nil {
		// A multisig wallet holds the multisig account alone: the seed's single-key paths
		// are another wallet's business, and probing them would mix the two.
		if main, err = multisigForSeed(master, o.Multisig, net); err != nil {
			return nil, err
		}
		accts = append(accts, multisigRecord(main))
		o.Type = main.ScriptType()
	}
	for _, p := range StandardPurposes {
		if o.Multisig != nil {
			break
		}
		a, err := keys.DeriveAccount(master, p, net, 0)
		if err != nil {
			return nil, fmt.Errorf("derive account %d: %w", p, err)
		}
		rec := store.Account{Purpose: uint32(p), Xpub: a.Xpub.String()}
		if p == purpose {
			rec.Main, rec.Active = true, true
			main = a
		} else if o.Restored {
			rec.Probe = true
		}
		accts = append(accts, rec)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	secret := &keystore.Secret{Kind: keystore.KindBIP39, Mnemonic: o.Mnemonic, BIP39Passphrase: o.BIP39Passphrase}
	if len(o.Seed) > 0 {
		secret = &keystore.Secret{Kind: keystore.KindSeed, Seed: o.Seed, BIP39Passphrase: o.BIP39Passphrase}
	}
	ksPath := filepath.Join(o.Dir, KeystoreFile)
	if err := keystore.Create(ksPath, o.Passphrase, keystore.Meta{Network: o.Network, Fingerprint: fp}, secret, o.Keystore...); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(o.Dir, store.FileName), store.Options{Create: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	meta := store.Meta{Network: o.Network, Type: o.Type.String(), Fingerprint: fp, Created: now.UTC(), Restored: o.Restored}
	err = st.Update(func(tx *store.Txn) error {
		if err := tx.PutMeta(meta); err != nil {
			return err
		}
		for _, a := range accts {
			if err := tx.PutAccount(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", st.Path(), err)
	}
	first, err := main.Derive(0, 0)
	if err != nil {
		return nil, err
	}
	return &Created{
		Network:      o.Network,
		Type:         o.Type,
		Fingerprint:  fp,
		Receive:      descriptorFor(main, 0),
		Change:       descriptorFor(main, 1),
		FirstAddress: first.Address,
	}, nil
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
