package wallet

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/psbt/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/descriptor"
	"github.com/satchel-wallet/satchel/wallet/keys"
	"github.com/satchel-wallet/satchel/wallet/setupfile"
	"github.com/satchel-wallet/satchel/wallet/store"
)

// MultisigOptions make a created or restored wallet an M-of-N P2WSH sortedmulti wallet: the
// seed brings one key (its BIP48 key, m/48h/coin h/0h/2h) and Cosigners the others.
type MultisigOptions struct {
	// M is how many signatures spend.
	M int
	// Cosigners are the other members' keys, each [fingerprint/path]xpub (tpub on test
	// networks), optionally followed by /<0;1>/*, as export xpub --multisig prints them.
	Cosigners []string
	// Setup, when set, is the whole multisig as a setup file describes it (ReadSetup): M and
	// the keys come from it, M and Cosigners are ignored, and the seed's BIP48 key must be one
	// of its keys at its own path.
	Setup *setupfile.Setup
}

// parseCosigner reads one cosigner key: an account-level extended public key with its
// optional origin, and no derivation after it but /<0;1>/* (the chains satchel uses).
// Errors name the cosigner by its place, never by its text, which could be a private key.
func parseCosigner(s string, n int) (keys.Cosigner, error) {
	body := strings.TrimSuffix(strings.TrimSpace(s), "/<0;1>/*")
	name := fmt.Sprintf("--cosigner #%d", n)
	k, err := descriptor.ParseKeyExpression(body)
	if err != nil && !looksLikeKey(body) {
		// Not a key of any kind: say which key goes there and where it comes from. Shown cut
		// short, as a long paste may be something else entirely; never shown when it may be a
		// secret (seed words, a private key), which errors must not carry to a log.
		const want = "give the member's key as satchel export xpub --multisig prints it, [fingerprint/48h/COINh/0h/2h]xpub... (tpub on test networks)"
		msg := fmt.Sprintf("%s is not an extended public key (not shown: it may be a secret, such as seed words or a private key): %s", name, want)
		if !maySecret(body) {
			shown := []rune(body)
			if len(shown) > 24 {
				shown = append(shown[:24], []rune("...")...)
			}
			msg = fmt.Sprintf("%s: %q is not an extended public key: %s", name, string(shown), want)
		}
		return keys.Cosigner{}, &keyError{msg: msg, err: fmt.Errorf("%w: %w", ErrBadInput, err)}
	}
	if err != nil {
		// A key, not a descriptor, was given: "invalid descriptor" would send the reader astray.
		why := strings.ReplaceAll(err.Error(), descriptor.ErrInvalid.Error()+": ", "")
		return keys.Cosigner{}, &keyError{msg: name + ": " + why, err: fmt.Errorf("%w: %w", ErrBadInput, err)}
	}
	return cosignerOf(k, name)
}

// looksLikeKey says whether the text after a key's origin reads as an extended key (82 bytes
// in base58) or a WIF private key (37 or 38 bytes): those get the key parser's own, more
// precise, words (a checksum that does not match), or cosignerOf's (a single key), as does
// text with a letter from another alphabet (the parser points at the look-alike). A hex public
// key, or no key at all, is not what a cosigner gives.
func looksLikeKey(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
		return true
	}
	if i := strings.IndexByte(s, ']'); i >= 0 {
		s = s[i+1:]
	}
	s, _, _ = strings.Cut(s, "/")
	switch len(base58.Decode(s)) {
	case 82, 37, 38:
		return true
	}
	return false
}

// maySecret says whether text given for a public key may be a secret: words (a seed phrase),
// 64 hex digits (a private key) or an extended private key of any SLIP-132 prefix.
func maySecret(s string) bool {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return true
	}
	if i := strings.IndexByte(s, ']'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) == 64 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == "" {
		return true
	}
	return len(s) >= 4 && strings.EqualFold(s[1:4], "prv")
}

// keyError is a cosigner key that does not read, in words fit for it, keeping the causes
// (ErrBadInput, the descriptor's errors) for errors.Is.
type keyError struct {
	msg string
	err error
}

func (e *keyError) Error() string { return e.msg }
func (e *keyError) Unwrap() error { return e.err }

// cosignerOf turns a descriptor key expression (its derivation already checked or removed)
// into a cosigner.
func cosignerOf(k descriptor.Key, name string) (keys.Cosigner, error) {
	switch {
	case k.Extended == nil:
		return keys.Cosigner{}, fmt.Errorf("%w: %s: give an extended public key (xpub/tpub), not a single key", ErrBadInput, name)
	case k.Extended.IsPrivate():
		return keys.Cosigner{}, fmt.Errorf("%w: %s is a private key: give its xpub", ErrBadInput, name)
	case len(k.Path) != 0 || k.Wildcard != descriptor.NoWildcard:
		return keys.Cosigner{}, fmt.Errorf("%w: %s: write the key alone or followed by /<0;1>/*", ErrBadInput, name)
	}
	c := keys.Cosigner{Xpub: k.Extended}
	if k.Origin != nil {
		c.Fingerprint, c.Path = k.Origin.Fingerprint, slices.Clone(k.Origin.Path)
	}
	return c, nil
}

// checkCosigner refuses --cosigner #n when it is of another network, the seed's own key (own,
// nil when not known yet) or a key given before it (before[k] is --cosigner #k+1), naming it by
// its place on the command line: once sorted, "key 2" would mean nothing to the person who typed
// them.
func checkCosigner(c keys.Cosigner, n int, own *keys.Cosigner, before []keys.Cosigner, net *chaincfg.Params) error {
	mainnet := bytes.Equal(c.Xpub.Version(), chaincfg.MainNetParams.HDPublicKeyID[:])
	if mainnet != (keys.CoinType(net) == 0) {
		kind := map[bool]string{true: "mainnet (an xpub)", false: "a test network (a tpub)"}[mainnet]
		return fmt.Errorf("%w: --cosigner #%d is a key for %s, but this wallet is on %s: ask that member for their key on %s (satchel export xpub --multisig --network %s)",
			ErrBadInput, n, kind, net.Name, net.Name, net.Name)
	}
	pub, err := c.Xpub.ECPubKey()
	if err != nil {
		return fmt.Errorf("%w: --cosigner #%d: not a valid public key", ErrBadInput, n)
	}
	if own != nil {
		if other, err := own.Xpub.ECPubKey(); err == nil && pub.IsEqual(other) {
			return fmt.Errorf("%w: --cosigner #%d is this wallet's own key: give only the other members' keys (the seed's key joins by itself)", ErrBadInput, n)
		}
	}
	for j, b := range before {
		if other, err := b.Xpub.ECPubKey(); err == nil && pub.IsEqual(other) {
			return fmt.Errorf("%w: --cosigner #%d and #%d are the same key: give each member's key once", ErrBadInput, j+1, n)
		}
	}
	return nil
}

// Check reads the cosigner keys and checks them against the network and each other: all that
// needs no seed. A command calls it before it asks for a passphrase or shows new seed words, so a
// mistyped key is refused before the user has written anything down.
func (o *MultisigOptions) Check(network string) error {
	if o == nil || o.Setup != nil {
		return nil
	}
	net, err := NetworkParams(network)
	if err != nil {
		return err
	}
	_, err = readCosigners(o.Cosigners, nil, net)
	return err
}

// readCosigners parses and checks the --cosigner keys, in the order given.
func readCosigners(texts []string, own *keys.Cosigner, net *chaincfg.Params) ([]keys.Cosigner, error) {
	if n := len(texts) + 1; n > txbuilder.MaxMultisigKeys {
		return nil, fmt.Errorf("%w: %w: %d keys (the seed's and %d cosigners); at most %d: give at most %d --cosigner keys", ErrBadInput, keys.ErrMultisig, n, n-1, txbuilder.MaxMultisigKeys, txbuilder.MaxMultisigKeys-1)
	}
	var cs []keys.Cosigner
	for i, s := range texts {
		c, err := parseCosigner(s, i+1)
		if err != nil {
			return nil, err
		}
		if err := checkCosigner(c, i+1, own, cs, net); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// sortCosigners puts the keys in the order of their xpub text, so every member of the same
// multisig writes the same descriptor (and checksum) whichever key is its own.
func sortCosigners(cs []keys.Cosigner) {
	slices.SortStableFunc(cs, func(a, b keys.Cosigner) int { return strings.Compare(a.Xpub.String(), b.Xpub.String()) })
}

// multisigForSeed builds the account of a multisig that the seed's BIP48 key joins.
func multisigForSeed(master *hdkeychain.ExtendedKey, o *MultisigOptions, net *chaincfg.Params) (*keys.Account, error) {
	own, err := keys.DeriveMultisigKey(master, net, 0)
	if err != nil {
		return nil, err
	}
	local := keys.Cosigner{Fingerprint: keys.Fingerprint(master), Path: keys.BIP48Path(net, 0), Xpub: own}
	m, cs := o.M, []keys.Cosigner{local}
	if o.Setup != nil {
		m = o.Setup.Threshold
		if cs, err = setupCosigners(o.Setup, local); err != nil {
			return nil, err
		}
	} else {
		others, err := readCosigners(o.Cosigners, &local, net)
		if err != nil {
			return nil, err
		}
		cs = append(cs, others...)
	}
	sortCosigners(cs)
	idx := slices.IndexFunc(cs, func(c keys.Cosigner) bool { return c.Xpub.String() == own.String() })
	return newMultisigAccount(m, cs, idx, net)
}

// newMultisigAccount checks the key set and makes its account, errors marked ErrBadInput.
func newMultisigAccount(m int, cs []keys.Cosigner, local int, net *chaincfg.Params) (*keys.Account, error) {
	a, err := keys.NewMultisigAccount(m, cs, local, net)
	if err != nil {
		if errors.Is(err, keys.ErrMultisig) && local >= 0 && strings.Contains(err.Error(), "same key") {
			return nil, fmt.Errorf("%w: %w (is the wallet's own key also given as a --cosigner?)", ErrBadInput, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrBadInput, err)
	}
	return a, nil
}

// multisigFromDescriptors reads a coordinator's multisig: one wsh(sortedmulti(M,KEY/<0;1>/*,...))
// descriptor, or its receive (/0/*) and change (/1/*) halves.
func multisigFromDescriptors(texts []string, net *chaincfg.Params) (*keys.Account, error) {
	var chains [2]*descriptor.Descriptor
	for _, s := range texts {
		d, err := descriptor.Parse(s)
		if err != nil {
			return nil, err
		}
		if d.Multi == nil {
			return nil, fmt.Errorf("%w: mix of a multisig and a single-key descriptor", ErrBadInput)
		}
		if !d.Multi.Sorted {
			return nil, fmt.Errorf("%w: %s: satchel's multisig wallets use sortedmulti(), not multi() (whose key order each wallet must keep)", descriptor.ErrUnsupported, shortText(s))
		}
		for _, part := range d.Split() {
			c, err := multiChain(part)
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
	r, c := chains[0].Multi, chains[1].Multi
	if r.Threshold != c.Threshold || len(r.Keys) != len(c.Keys) {
		return nil, fmt.Errorf("%w: the receive and change descriptors must be the same multisig", ErrBadInput)
	}
	cs := make([]keys.Cosigner, len(r.Keys))
	for i := range r.Keys {
		rk, ck := r.Keys[i], c.Keys[i]
		if rk.Extended.String() != ck.Extended.String() || originText(rk.Origin) != originText(ck.Origin) {
			return nil, fmt.Errorf("%w: the receive and change descriptors must have the same keys", ErrBadInput)
		}
		rk.Path, rk.Wildcard = nil, descriptor.NoWildcard
		co, err := cosignerOf(rk, fmt.Sprintf("key %d", i+1))
		if err != nil {
			return nil, err
		}
		cs[i] = co
	}
	if len(cs) > txbuilder.MaxMultisigKeys {
		return nil, fmt.Errorf("%w: %d keys; satchel's multisig wallets take at most %d", descriptor.ErrUnsupported, len(cs), txbuilder.MaxMultisigKeys)
	}
	// sortedmulti gives the same addresses in any key order: write them as members do.
	sortCosigners(cs)
	return newMultisigAccount(r.Threshold, cs, -1, net)
}

// multiChain checks that every key of a split multisig descriptor is KEY/0/* or KEY/1/* of a
// public key, the same chain for all, and says which.
func multiChain(d *descriptor.Descriptor) (uint32, error) {
	chain := uint32(2)
	for i, k := range d.Multi.Keys {
		switch {
		case k.Extended == nil:
			return 0, fmt.Errorf("key %d must be an extended public key (xpub/tpub)", i+1)
		case k.Extended.IsPrivate():
			return 0, fmt.Errorf("key %d is a private key; a watch-only wallet takes the public one", i+1)
		case k.Wildcard != descriptor.UnhardenedWildcard || len(k.Path) != 1 || k.Path[0] > 1:
			return 0, fmt.Errorf("key %d must end in /0/* (receive) or /1/* (change), or /<0;1>/*", i+1)
		case chain != 2 && k.Path[0] != chain:
			return 0, errors.New("every key must be on the same chain")
		}
		chain = k.Path[0]
	}
	return chain, nil
}

// multisigRecord is the store record of a multisig account: its multipath descriptor and the
// wallet's own key (the first key's for a coordinator).
func multisigRecord(a *keys.Account) store.Account {
	return store.Account{Purpose: uint32(keys.BIP48), Xpub: a.Xpub.String(), Main: true, Active: true,
		Descriptor: descriptor.ForAccountMultipath(a)}
}

// loadMultisig makes the account of a stored multisig record; watchOnly wallets hold no key.
func loadMultisig(r store.Account, watchOnly bool, net *chaincfg.Params) (*keys.Account, error) {
	a, err := multisigFromDescriptors([]string{r.Descriptor}, net)
	if err != nil {
		return nil, err
	}
	if watchOnly {
		return a, nil
	}
	local := slices.IndexFunc(a.Multi.Cosigners, func(c keys.Cosigner) bool { return c.Xpub.String() == r.Xpub })
	if local < 0 {
		return nil, errors.New("the wallet's own key is not among the multisig's keys")
	}
	return newMultisigAccount(a.Multi.M, a.Multi.Cosigners, local, net)
}

// IsMultisig says whether the wallet's main account is a multisig.
func (w *Wallet) IsMultisig() bool { return w.main().keys.Multi != nil }

// MultisigInfo describes a multisig wallet's keys for info and decode.
type MultisigInfo struct {
	M int `json:"m"`
	N int `json:"n"`
	// Descriptor is the whole multisig as one BIP389 descriptor (/<0;1>/*) with checksum:
	// what the other members and coordinators import.
	Descriptor string         `json:"descriptor"`
	Cosigners  []CosignerInfo `json:"cosigners"`
}

// CosignerInfo is one key of a multisig.
type CosignerInfo struct {
	Fingerprint string `json:"fingerprint"`
	Path        string `json:"path,omitempty"`
	Xpub        string `json:"xpub"`
	// Local marks the wallet's own key.
	Local bool `json:"local"`
}

// Multisig describes the wallet's multisig, or returns ok false for a single-key wallet.
func (w *Wallet) Multisig() (MultisigInfo, bool) {
	ms := w.main().keys.Multi
	if ms == nil {
		return MultisigInfo{}, false
	}
	out := MultisigInfo{M: ms.M, N: len(ms.Cosigners), Descriptor: descriptor.ForAccountMultipath(w.main().keys)}
	for i, c := range ms.Cosigners {
		ci := CosignerInfo{Fingerprint: keys.FormatFingerprint(c.Fingerprint), Xpub: c.Xpub.String(), Local: i == ms.Local}
		if c.Path != nil {
			ci.Path = c.OriginPath()
		}
		out.Cosigners = append(out.Cosigners, ci)
	}
	return out, true
}

// multisigClaims lists the addresses of multisig account a that a BIP32 derivation (master
// fingerprint as the PSBT holds it, path, public key) names: a cosigner's key of known origin
// at .../chain/index whose derived key is the one given. The claim is then checked against
// the whole script (every key), so a "change" output sharing one of our keys but with a
// foreign one beside it is caught, not taken for ours.
func multisigClaims(a *account, fp uint32, path []uint32, key []byte) []derivationClaim {
	var out []derivationClaim
	for k, c := range a.keys.Multi.Cosigners {
		if c.Path == nil || c.Fingerprint == 0 || psbtFingerprint(c.Fingerprint) != fp || len(path) != len(c.Path)+2 {
			continue
		}
		if !slices.Equal(path[:len(c.Path)], c.Path) {
			continue
		}
		chain, index := path[len(c.Path)], path[len(c.Path)+1]
		if chain > keys.Internal || index >= keys.Hardened {
			continue
		}
		d, err := a.keys.Derive(chain, index)
		if err != nil || !bytes.Equal(d.MultiKeys[k].PubKey.SerializeCompressed(), key) {
			continue
		}
		out = append(out, derivationClaim{a, chain, index})
	}
	return out
}

// multisigDerivations are every cosigner's BIP32 derivation for address d of multisig
// account a, as PSBT inputs and outputs carry them (hardware signers need all n to check a
// change output).
func multisigDerivations(a *keys.Account, d *keys.Derived) []*psbt.Bip32Derivation {
	var out []*psbt.Bip32Derivation
	for k, c := range a.Multi.Cosigners {
		path := append(slices.Clone(c.Path), d.Chain, d.Index)
		out = append(out, &psbt.Bip32Derivation{PubKey: d.MultiKeys[k].PubKey.SerializeCompressed(),
			MasterKeyFingerprint: psbtFingerprint(c.Fingerprint), Bip32Path: path})
	}
	return out
}

// multisigXPubs are the cosigners' keys as a PSBT's global xpubs (BIP174 PSBT_GLOBAL_XPUB):
// what a hardware signer checks the multisig against. Keys of unknown origin are left out,
// since the field needs the path from the master.
func multisigXPubs(a *keys.Account) []psbt.XPub {
	var out []psbt.XPub
	for _, c := range a.Multi.Cosigners {
		if c.Path == nil || int(c.Xpub.Depth()) != len(c.Path) {
			continue
		}
		raw := base58.Decode(c.Xpub.String())
		if len(raw) != 82 {
			continue
		}
		out = append(out, psbt.XPub{ExtendedKey: raw[:78], MasterKeyFingerprint: psbtFingerprint(c.Fingerprint),
			Bip32Path: slices.Clone(c.Path)})
	}
	return out
}

// SignaturesMissing is the largest number of signatures any multisig input of p still needs
// (0 when each has enough, or p has no multisig input).
func SignaturesMissing(p *psbt.Packet) int {
	need := 0
	for i := range p.Inputs {
		if st, ok := txbuilder.PSBTMultisig(p, i); ok {
			need = max(need, st.Missing())
		}
	}
	return need
}

// IncompleteError is the error for a PSBT whose inputs pending still lack signatures: for
// multisig inputs it says how many more are needed, "1 more signature needed (have 1 of 2)".
func IncompleteError(p *psbt.Packet, pending []int) error {
	for _, i := range pending {
		if st, ok := txbuilder.PSBTMultisig(p, i); ok && st.Missing() > 0 {
			n := st.Missing()
			word := "signatures"
			if n == 1 {
				word = "signature"
			}
			return fmt.Errorf("%w: %d more %s needed (have %d of %d)", txbuilder.ErrPSBTIncomplete, n, word, st.Have, st.M)
		}
	}
	return fmt.Errorf("%w: %s still %s signatures", txbuilder.ErrPSBTIncomplete, txbuilder.InputList(pending), map[bool]string{true: "needs", false: "need"}[len(pending) == 1])
}
