package keys

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// Hardened is the offset BIP32 adds to an index to mark it hardened.
const Hardened = hdkeychain.HardenedKeyStart

// Chains of an account, per BIP44.
const (
	External uint32 = 0 // receive addresses
	Internal uint32 = 1 // change addresses
)

// ErrWatchOnly marks an operation that needs a private key on an account that has none.
var ErrWatchOnly = errors.New("watch-only account has no private keys")

// Account is one BIP44-style account, m/purpose'/coin'/account', held as its public key so it
// can hand out addresses without the seed. The chain-level keys (account/0 and account/1) are
// derived once and cached, which makes each address one public derivation.
type Account struct {
	Purpose     Purpose
	Net         *chaincfg.Params
	Fingerprint uint32                  // of the master key, for descriptors and PSBTs
	Index       uint32                  // account number, without the hardened offset
	Xpub        *hdkeychain.ExtendedKey // neutered m/purpose'/coin'/account'
	// Multi, when set, makes this a P2WSH sortedmulti account: addresses use every cosigner's
	// key, and Xpub and Fingerprint are the wallet's own key (the first cosigner's for a
	// coordinator with none).
	Multi *Multisig

	// chains caches the External and Internal chain keys, derived on first use: opening a
	// wallet to read its balance derives nothing, and the first public derivation of a
	// process costs about 10 ms (secp256k1 decompresses its table of base point multiples).
	chains  [2]*hdkeychain.ExtendedKey
	chainMu *sync.Mutex
}

// Derived is one address of an account with everything needed to watch for it and spend it.
type Derived struct {
	Chain, Index uint32
	PubKey       *btcec.PublicKey // the BIP32 key at the path (the taproot internal key for tr)
	PkScript     []byte
	Address      string
	Type         txbuilder.ScriptType
	// OutputKey is the BIP86-tweaked taproot output key (tr only): the key in PkScript.
	OutputKey *btcec.PublicKey
	// RedeemScript is the P2WPKH program a P2SH-P2WPKH input pushes (sh-wpkh only).
	RedeemScript []byte
	// WitnessScript is the CHECKMULTISIG script a P2WSH multisig output commits to, and
	// MultiKeys every cosigner's key at this path, in cosigner order (multisig only; PubKey is
	// then the wallet's own key, nil for a coordinator).
	WitnessScript []byte
	MultiKeys     []MultiKeyAt
}

// DeriveAccount derives account number account of the given purpose from a master private key.
func DeriveAccount(master *hdkeychain.ExtendedKey, purpose Purpose, net *chaincfg.Params,
	account uint32) (*Account, error) {
	if err := purpose.check(); err != nil {
		return nil, fmt.Errorf("derive account: %w", err)
	}
	if account >= Hardened {
		return nil, fmt.Errorf("derive account: account number %d is too large", account)
	}
	path := []uint32{uint32(purpose) + Hardened, CoinType(net) + Hardened, account + Hardened}
	xpub, err := publicKeyAt(master, path, net)
	if err != nil {
		return nil, fmt.Errorf("derive account: %w", err)
	}
	return newAccount(purpose, net, Fingerprint(master), account, xpub)
}

// publicKeyAt derives the key at path from a master private key and returns it neutered, with
// net's xpub/tpub version whatever the master was made for. The key is serialised and parsed
// back: Neuter and CloneWithVersion share byte slices with the private key, which is zeroed
// here and would otherwise be wiped from under the returned key.
func publicKeyAt(master *hdkeychain.ExtendedKey, path []uint32, net *chaincfg.Params) (*hdkeychain.ExtendedKey, error) {
	if !master.IsPrivate() || master.Depth() != 0 {
		return nil, errors.New("need the master private key (depth 0)")
	}
	priv, err := derivePath(master, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", formatPath(path), err)
	}
	defer priv.Zero()
	pub, err := priv.Neuter()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", formatPath(path), err)
	}
	pub, err = pub.CloneWithVersion(net.HDPublicKeyID[:])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", formatPath(path), err)
	}
	return hdkeychain.NewKeyFromString(pub.String())
}

// NewAccountFromXpub makes a watch-only account from an account-level (depth 3) xpub or tpub,
// such as one exported by another wallet, with the master fingerprint it came from (0 when
// unknown). The account number is read from the key. The key's network must match net:
// an xpub is for mainnet, a tpub for any test network. SLIP-132 keys (zpub/vpub for BIP84,
// ypub/upub for BIP49) are read too, and their version must name purpose.
func NewAccountFromXpub(xpub string, purpose Purpose, fingerprint uint32,
	net *chaincfg.Params) (*Account, error) {
	if err := purpose.check(); err != nil {
		return nil, fmt.Errorf("watch-only account: %w", err)
	}
	k, kv, err := parseExtendedKeyVersions(xpub, true)
	if err != nil {
		return nil, fmt.Errorf("watch-only account: %w", err)
	}
	if k.IsPrivate() {
		return nil, errors.New("watch-only account: this is a private key; give the account xpub")
	}
	if kv.mainnet != (CoinType(net) == 0) {
		return nil, fmt.Errorf("watch-only account: key is for %s, wallet is on %s",
			map[bool]string{true: "mainnet", false: "a test network"}[kv.mainnet], net.Name)
	}
	if kv.purpose != 0 && kv.purpose != purpose {
		return nil, fmt.Errorf("watch-only account: key version says %s, not %s", kv.purpose, purpose)
	}
	if k.Depth() != 3 || k.ChildIndex() < Hardened {
		return nil, fmt.Errorf("watch-only account: key is at depth %d, child %d; want an "+
			"account key m/%d'/%d'/n' (depth 3, hardened)", k.Depth(), k.ChildIndex(),
			uint32(purpose), CoinType(net))
	}
	k, err = k.CloneWithVersion(net.HDPublicKeyID[:])
	if err != nil {
		return nil, fmt.Errorf("watch-only account: %w", err)
	}
	return newAccount(purpose, net, fingerprint, k.ChildIndex()-Hardened, k)
}

func newAccount(purpose Purpose, net *chaincfg.Params, fp, index uint32,
	xpub *hdkeychain.ExtendedKey) (*Account, error) {
	return &Account{Purpose: purpose, Net: net, Fingerprint: fp, Index: index, Xpub: xpub, chainMu: &sync.Mutex{}}, nil
}

// ScriptType is the script type of the account's addresses.
func (a *Account) ScriptType() txbuilder.ScriptType {
	if a.Multi != nil {
		return txbuilder.P2WSHMultisig(a.Multi.M, len(a.Multi.Cosigners))
	}
	return a.Purpose.ScriptType()
}

// OriginPath is the account's own path, like "m/86h/0h/0h".
func (a *Account) OriginPath() string {
	if a.Multi != nil {
		if c := a.Multi.Cosigners[max(a.Multi.Local, 0)]; c.Path != nil {
			return formatPath(c.Path)
		}
		return "m/" + keysUnknownOrigin
	}
	return formatPath([]uint32{uint32(a.Purpose) + Hardened, CoinType(a.Net) + Hardened,
		a.Index + Hardened})
}

// Path is the full path of an address, like "m/86h/0h/0h/0/5", as PSBTs and users see it.
func (a *Account) Path(chain, index uint32) string {
	return a.OriginPath() + "/" + formatIndex(chain) + "/" + formatIndex(index)
}

// chainKey is the key of a chain (account/chain), cached for External and Internal.
func (a *Account) chainKey(chain uint32) (*hdkeychain.ExtendedKey, error) {
	if chain >= uint32(len(a.chains)) || a.chainMu == nil {
		return a.Xpub.Derive(chain)
	}
	a.chainMu.Lock()
	defer a.chainMu.Unlock()
	if a.chains[chain] == nil {
		k, err := a.Xpub.Derive(chain)
		if err != nil {
			return nil, err
		}
		a.chains[chain] = k
	}
	return a.chains[chain], nil
}

// Derive gives the address at chain/index. The chain key is cached for External and Internal,
// so this is a single public derivation plus the script work.
func (a *Account) Derive(chain, index uint32) (*Derived, error) {
	if chain >= Hardened || index >= Hardened {
		return nil, fmt.Errorf("derive %s: addresses use unhardened chain and index", a.Path(chain, index))
	}
	if a.Multi != nil {
		return a.deriveMulti(chain, index)
	}
	ck, err := a.chainKey(chain)
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", a.Path(chain, index), err)
	}
	child, err := ck.Derive(index)
	if err != nil {
		// ErrInvalidChild has odds below 2^-127; the caller skips the index (BIP32).
		return nil, fmt.Errorf("derive %s: %w", a.Path(chain, index), err)
	}
	pub, err := child.ECPubKey()
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", a.Path(chain, index), err)
	}
	d, err := ScriptFor(a.ScriptType(), pub, a.Net)
	if err != nil {
		return nil, fmt.Errorf("derive %s: %w", a.Path(chain, index), err)
	}
	d.Chain, d.Index = chain, index
	return d, nil
}

// PrivKey derives the private key for one address from the master key. For tr it is the
// untweaked internal key: signers apply the BIP86 tweak (txscript does so when signing a
// key-path spend). Intermediate keys are zeroed.
func PrivKey(master *hdkeychain.ExtendedKey, purpose Purpose, net *chaincfg.Params,
	account, chain, index uint32) (*btcec.PrivateKey, error) {
	if err := purpose.check(); err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	if !master.IsPrivate() {
		return nil, fmt.Errorf("private key: %w", ErrWatchOnly)
	}
	if account >= Hardened || chain >= Hardened || index >= Hardened {
		return nil, errors.New("private key: account, chain and index must be below 2^31")
	}
	path := []uint32{uint32(purpose) + Hardened, CoinType(net) + Hardened, account + Hardened,
		chain, index}
	k, err := derivePath(master, path)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", formatPath(path), err)
	}
	defer k.Zero()
	priv, err := k.ECPrivKey()
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", formatPath(path), err)
	}
	return priv, nil
}

// derivePath walks path from k, zeroing every intermediate key but the last.
func derivePath(k *hdkeychain.ExtendedKey, path []uint32) (*hdkeychain.ExtendedKey, error) {
	cur := k
	for _, i := range path {
		next, err := cur.Derive(i)
		if cur != k {
			cur.Zero()
		}
		if err != nil {
			return nil, err
		}
		cur = next
	}
	return cur, nil
}

// formatPath writes a path from the master as "m/84h/0h/0h".
func formatPath(path []uint32) string {
	var b strings.Builder
	b.WriteString("m")
	for _, i := range path {
		b.WriteString("/")
		b.WriteString(formatIndex(i))
	}
	return b.String()
}

// formatIndex writes one path step, "5" or "84h".
func formatIndex(i uint32) string {
	if i >= Hardened {
		return fmt.Sprintf("%dh", i-Hardened)
	}
	return fmt.Sprintf("%d", i)
}
