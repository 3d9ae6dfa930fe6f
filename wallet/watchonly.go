package wallet

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/internal/clip"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// WatchOnlyOptions describe a watch-only wallet: an account's public key and nothing secret.
// Give Descriptors, or Xpub (with Type and Fingerprint).
type WatchOnlyOptions struct {
	// Dir is the wallet's folder; it must not exist yet.
	Dir string
	// Network is satchel's name for the network.
	Network string
	// Descriptors are one BIP389 multipath descriptor (KEY/<0;1>/*) or a receive (KEY/0/*)
	// and a change (KEY/1/*) descriptor, of the forms satchel's own accounts use: pkh, sh(wpkh),
	// wpkh or tr of one account-level (depth 3) extended public key.
	Descriptors []string
	// Setup, when set instead of Descriptors or Xpub, is a multisig setup file's content
	// (ReadSetup): the wallet is that multisig's coordinator.
	Setup *setupfile.Setup
	// Xpub is an account-level extended public key: xpub/tpub, or a SLIP-132 zpub/vpub (wpkh)
	// or ypub/upub (sh-wpkh), whose version names its script type.
	Xpub string
	// Type is the script type of Xpub's addresses: required for a plain xpub/tpub, and when
	// given with a SLIP-132 key it must agree with it. ScriptUnknown means "from the key".
	Type txbuilder.ScriptType
	// Fingerprint is the master key fingerprint Xpub derives from (8 hex digits), which PSBTs
	// carry so a hardware signer finds its keys; empty means unknown (00000000).
	Fingerprint string
	// Now stamps the creation time; zero means time.Now.
	Now time.Time
}

// WatchAccount checks a watch-only description and returns the account it watches, without
// writing anything. Descriptors of other shapes (multisig, script trees, private keys, paths
// other than /0/* and /1/* below an account key) are refused with the reason.
func WatchAccount(o WatchOnlyOptions) (*keys.Account, error) {
	net, err := NetworkParams(o.Network)
	if err != nil {
		return nil, err
	}
	if o.Setup != nil {
		if len(o.Descriptors) > 0 || o.Xpub != "" {
			return nil, fmt.Errorf("%w: give a setup file, descriptors or an xpub, only one", ErrBadInput)
		}
		if o.Descriptors, err = setupDescriptors(o.Setup); err != nil {
			return nil, err
		}
	}
	switch {
	case len(o.Descriptors) > 0 && o.Xpub != "":
		return nil, fmt.Errorf("%w: give descriptors or an xpub, not both", ErrBadInput)
	case len(o.Descriptors) > 0:
		if o.Fingerprint != "" {
			return nil, fmt.Errorf("%w: a descriptor carries its own key origin [fingerprint/path]; leave out the fingerprint", ErrBadInput)
		}
		if strings.HasPrefix(strings.TrimSpace(o.Descriptors[0]), "wsh(") {
			return multisigFromDescriptors(o.Descriptors, net)
		}
		return accountFromDescriptors(o.Descriptors, net)
	case o.Xpub != "":
		return accountFromXpub(o.Xpub, o.Type, o.Fingerprint, net)
	}
	return nil, fmt.Errorf("%w: a watch-only wallet needs descriptors or an account xpub", ErrBadInput)
}

func accountFromXpub(xpub string, t txbuilder.ScriptType, fpText string, net *chaincfg.Params) (*keys.Account, error) {
	_, slip, err := keys.ParseAnyExtendedKey(xpub)
	if err != nil {
		return nil, fmt.Errorf("--xpub: %w: check that it was copied whole (an xpub, tpub, zpub, vpub, ypub or upub)", err)
	}
	purpose := slip
	if t != txbuilder.ScriptUnknown {
		p, err := keys.PurposeFor(t)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
		}
		if slip != 0 && slip != p {
			return nil, fmt.Errorf("%w: the key's SLIP-132 version says %s addresses, not %s", ErrBadInput, slip.ScriptType(), t)
		}
		purpose = p
	}
	if purpose == 0 {
		return nil, fmt.Errorf("%w: an xpub or tpub does not say which addresses it makes: give --type tr, wpkh, sh-wpkh or pkh", ErrBadInput)
	}
	var fp uint32
	if fpText != "" {
		if fp, err = keys.ParseFingerprint(fpText); err != nil {
			return nil, fmt.Errorf("%w: --fingerprint %q: give the master key's fingerprint, 8 hex digits (like 73c5da0a)", ErrBadInput, shortText(fpText))
		}
	}
	a, err := keys.NewAccountFromXpub(xpub, purpose, fp, net)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	return a, nil
}

func accountFromDescriptors(texts []string, net *chaincfg.Params) (*keys.Account, error) {
	var chains [2]*descriptor.Descriptor
	for _, s := range texts {
		d, err := descriptor.Parse(s)
		if err != nil {
			return nil, err
		}
		for _, part := range d.Split() {
			c, err := watchChain(part)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", descriptor.ErrUnsupported, shortText(s), err)
			}
			if chains[c] != nil {
				return nil, fmt.Errorf("%w: two descriptors for chain /%d/*: give one receive (/0/*) and one change (/1/*) descriptor, or one with /<0;1>/*", ErrBadInput, c)
			}
			chains[c] = part
		}
	}
	if chains[0] == nil || chains[1] == nil {
		return nil, fmt.Errorf("%w: give both the receive (/0/*) and the change (/1/*) descriptor, or one with /<0;1>/*", ErrBadInput)
	}
	r, c := chains[0], chains[1]
	if r.Type != c.Type || r.Key.Extended.String() != c.Key.Extended.String() || originText(r.Key.Origin) != originText(c.Key.Origin) {
		return nil, fmt.Errorf("%w: the receive and change descriptors must use the same script type, key and origin", ErrBadInput)
	}
	purpose, err := keys.PurposeFor(r.Type)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", descriptor.ErrUnsupported, err)
	}
	k := r.Key.Extended
	var fp uint32
	if o := r.Key.Origin; o != nil {
		fp = o.Fingerprint
		want := []uint32{uint32(purpose) + keys.Hardened, keys.CoinType(net) + keys.Hardened, k.ChildIndex()}
		if len(o.Path) != 3 || o.Path[0] != want[0] || o.Path[1] != want[1] || o.Path[2] != want[2] {
			return nil, fmt.Errorf("%w: key origin %s: satchel watches accounts at m/%dh/%dh/n (the %s path on %s) whose key is that account's",
				descriptor.ErrUnsupported, originText(o), uint32(purpose), keys.CoinType(net), purpose, net.Name)
		}
	}
	a, err := keys.NewAccountFromXpub(k.String(), purpose, fp, net)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	return a, nil
}

// watchChain checks that d is KEY/0/* or KEY/1/* of a public account key, and says which.
func watchChain(d *descriptor.Descriptor) (uint32, error) {
	k := d.Key
	switch {
	case k.Extended == nil:
		return 0, errors.New("the key must be an extended public key (xpub/tpub), not a single key")
	case k.Extended.IsPrivate():
		return 0, errors.New("the descriptor holds a private key; a watch-only wallet takes the public one")
	case k.Extended.Depth() != 3:
		return 0, fmt.Errorf("the key is at depth %d; satchel watches account-level keys (depth 3)", k.Extended.Depth())
	case k.Wildcard != descriptor.UnhardenedWildcard || len(k.Path) != 1 || k.Path[0] > 1:
		return 0, errors.New("the key must end in /0/* (receive) or /1/* (change), or /<0;1>/*")
	}
	return k.Path[0], nil
}

func originText(o *descriptor.Origin) string {
	if o == nil {
		return "(none)"
	}
	s := "[" + keys.FormatFingerprint(o.Fingerprint)
	for _, i := range o.Path {
		if i >= keys.Hardened {
			s += fmt.Sprintf("/%dh", i-keys.Hardened)
		} else {
			s += fmt.Sprintf("/%d", i)
		}
	}
	return s + "]"
}

func shortText(s string) string { return clip.Text(s, 40) }

// CreateWatchOnly makes a wallet folder holding only public keys: no keystore, so nothing can
// be signed here, but receive, sync, balance, history and utxos work, and send writes an
// unsigned PSBT for another signer. Nothing is left behind when it fails.
func CreateWatchOnly(ctx context.Context, o WatchOnlyOptions) (*Created, error) {
	a, err := WatchAccount(o)
	if err != nil {
		return nil, err
	}
	work, commit, undo, err := newWalletDir(o.Dir)
	if err != nil {
		return nil, err
	}
	dir := o.Dir
	o.Dir = work
	res, err := createWatchOnly(o, a)
	if err == nil {
		err = commit()
	}
	if err != nil {
		undo()
		return nil, hideWorkDir(err, work, dir)
	}
	return res, nil
}

func createWatchOnly(o WatchOnlyOptions, a *keys.Account) (*Created, error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	st, err := store.Open(filepath.Join(o.Dir, store.FileName), store.Options{Create: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	fp := keys.FormatFingerprint(a.Fingerprint)
	meta := store.Meta{Network: o.Network, Type: a.ScriptType().String(), Fingerprint: fp, Created: now.UTC(), WatchOnly: true}
	rec := store.Account{Purpose: uint32(a.Purpose), Xpub: a.Xpub.String(), Main: true, Active: true}
	if a.Multi != nil {
		rec = multisigRecord(a)
	}
	if err := st.Update(func(tx *store.Txn) error {
		if err := tx.PutMeta(meta); err != nil {
			return err
		}
		return tx.PutAccount(rec)
	}); err != nil {
		return nil, fmt.Errorf("write %s: %w", st.Path(), err)
	}
	first, err := a.Derive(0, 0)
	if err != nil {
		return nil, err
	}
	return &Created{Network: o.Network, Type: a.ScriptType(), Fingerprint: fp,
		Receive: descriptorFor(a, 0), Change: descriptorFor(a, 1), FirstAddress: first.Address}, nil
}
