package keys

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// BIP48 is the purpose of multisig accounts (BIP48): m/48'/coin'/account'/script'. A
// multisig account of the wallet is stored under it; its script type comes from its keys,
// not from the purpose.
const BIP48 Purpose = 48

// BIP48P2WSH is BIP48's script-type level for native segwit multisig (P2WSH): the 2' in
// m/48'/0'/0'/2'.
const BIP48P2WSH uint32 = 2

// BIP48Path is the path of the seed's P2WSH multisig key for account on net:
// m/48h/coin h/account h/2h, with hardened steps offset by Hardened.
func BIP48Path(net *chaincfg.Params, account uint32) []uint32 {
	return []uint32{uint32(BIP48) + Hardened, CoinType(net) + Hardened, account + Hardened, BIP48P2WSH + Hardened}
}

// DeriveMultisigKey derives the seed's BIP48 P2WSH key (m/48h/coin h/account h/2h) from a
// master private key, neutered and serialised with net's xpub/tpub version: the key a
// cosigner gives the other members of a multisig.
func DeriveMultisigKey(master *hdkeychain.ExtendedKey, net *chaincfg.Params, account uint32) (*hdkeychain.ExtendedKey, error) {
	if account >= Hardened {
		return nil, fmt.Errorf("multisig key: account number %d is too large", account)
	}
	key, err := publicKeyAt(master, BIP48Path(net, account), net)
	if err != nil {
		return nil, fmt.Errorf("multisig key: %w", err)
	}
	return key, nil
}

// PrivKeyAt derives the private key at a full path from the master key (hardened steps
// offset by Hardened), zeroing the intermediate keys.
func PrivKeyAt(master *hdkeychain.ExtendedKey, path []uint32) (*btcec.PrivateKey, error) {
	if !master.IsPrivate() {
		return nil, fmt.Errorf("private key: %w", ErrWatchOnly)
	}
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

// FormatPath writes a path from the master as "m/48h/0h/0h/2h".
func FormatPath(path []uint32) string { return formatPath(path) }

// Cosigner is one key of a multisig: an extended public key and where it comes from.
type Cosigner struct {
	// Fingerprint is the fingerprint of the cosigner's master key (0 when unknown).
	Fingerprint uint32
	// Path is the key's path from that master, hardened steps offset by Hardened; nil when
	// unknown.
	Path []uint32
	// Xpub is the extended public key; addresses derive from Xpub/chain/index.
	Xpub *hdkeychain.ExtendedKey
}

// OriginPath writes the cosigner's path, like m/48h/1h/0h/2h.
func (c Cosigner) OriginPath() string { return formatPath(c.Path) }

// Multisig is the key set of a P2WSH sortedmulti account: M of the cosigners' keys sign.
type Multisig struct {
	M         int
	Cosigners []Cosigner // in the order the user gave them (the descriptor's order)
	// Local is the index in Cosigners of the wallet's own key, or -1 for a coordinator that
	// holds none.
	Local int

	chains  [][2]*hdkeychain.ExtendedKey // cached chain keys per cosigner
	chainMu *sync.Mutex
}

// Errors of a multisig key set.
var (
	// ErrMultisig marks a multisig that cannot be built: a duplicated key, m above n, more
	// than 15 keys, keys of different networks.
	ErrMultisig = errors.New("invalid multisig")
)

// NewMultisigAccount makes the account of an m-of-n P2WSH sortedmulti wallet. local is the
// index of the wallet's own key in cosigners, or -1. Keys must be public, of net's kind
// (xpub on mainnet, tpub elsewhere), and distinct.
func NewMultisigAccount(m int, cosigners []Cosigner, local int, net *chaincfg.Params) (*Account, error) {
	n := len(cosigners)
	switch {
	case n < 1:
		return nil, fmt.Errorf("%w: no keys", ErrMultisig)
	case n > txbuilder.MaxMultisigKeys:
		return nil, fmt.Errorf("%w: %d keys; at most %d", ErrMultisig, n, txbuilder.MaxMultisigKeys)
	case m < 1 || m > n:
		return nil, fmt.Errorf("%w: %d signatures of %d keys; the threshold must be 1 to %d", ErrMultisig, m, n, n)
	case local < -1 || local >= n:
		return nil, fmt.Errorf("%w: local key %d out of range", ErrMultisig, local)
	}
	seen := map[string]int{}
	for i, c := range cosigners {
		if c.Xpub == nil || c.Xpub.IsPrivate() {
			return nil, fmt.Errorf("%w: key %d must be an extended public key (xpub/tpub)", ErrMultisig, i+1)
		}
		mainnet := bytes.Equal(c.Xpub.Version(), chaincfg.MainNetParams.HDPublicKeyID[:])
		if mainnet != (CoinType(net) == 0) {
			return nil, fmt.Errorf("%w: key %d is for %s, the wallet is on %s", ErrMultisig, i+1,
				map[bool]string{true: "mainnet (xpub)", false: "a test network (tpub)"}[mainnet], net.Name)
		}
		pub, err := c.Xpub.ECPubKey()
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %w", ErrMultisig, i+1, err)
		}
		// The same public key twice (even under another chain code) makes a k-of-n that is
		// really of fewer keys; the xpub text twice is the common mistake.
		id := string(pub.SerializeCompressed())
		if j, dup := seen[id]; dup {
			return nil, fmt.Errorf("%w: keys %d and %d are the same key", ErrMultisig, j+1, i+1)
		}
		seen[id] = i
	}
	ms := &Multisig{M: m, Cosigners: slices.Clone(cosigners), Local: local,
		chains: make([][2]*hdkeychain.ExtendedKey, n), chainMu: &sync.Mutex{}}
	own := cosigners[max(local, 0)]
	a, err := newAccount(BIP48, net, own.Fingerprint, 0, own.Xpub)
	if err != nil {
		return nil, err
	}
	if local < 0 {
		a.Fingerprint = 0
	}
	a.Multi = ms
	return a, nil
}

// MultiKeyAt is one cosigner's key of a multisig address.
type MultiKeyAt struct {
	Cosigner int // index in Multisig.Cosigners
	PubKey   *btcec.PublicKey
}

// chainKey is cosigner i's key for chain (xpub/chain), cached for External and Internal.
func (ms *Multisig) chainKey(i int, chain uint32) (*hdkeychain.ExtendedKey, error) {
	x := ms.Cosigners[i].Xpub
	if chain > Internal || ms.chainMu == nil {
		return x.Derive(chain)
	}
	ms.chainMu.Lock()
	defer ms.chainMu.Unlock()
	if ms.chains[i][chain] == nil {
		k, err := x.Derive(chain)
		if err != nil {
			return nil, err
		}
		ms.chains[i][chain] = k
	}
	return ms.chains[i][chain], nil
}

// deriveMulti gives the multisig address at chain/index: every cosigner's key, sorted as
// BIP67 asks, in an m-of-n CHECKMULTISIG witness script, paid to by P2WSH.
func (a *Account) deriveMulti(chain, index uint32) (*Derived, error) {
	ms := a.Multi
	ks := make([]MultiKeyAt, len(ms.Cosigners))
	for i := range ms.Cosigners {
		ck, err := ms.chainKey(i, chain)
		if err != nil {
			return nil, fmt.Errorf("derive key %d /%d/%d: %w", i+1, chain, index, err)
		}
		child, err := ck.Derive(index)
		if err != nil {
			return nil, fmt.Errorf("derive key %d /%d/%d: %w", i+1, chain, index, err)
		}
		pub, err := child.ECPubKey()
		if err != nil {
			return nil, fmt.Errorf("derive key %d /%d/%d: %w", i+1, chain, index, err)
		}
		ks[i] = MultiKeyAt{Cosigner: i, PubKey: pub}
	}
	pubs := make([]*btcec.PublicKey, len(ks))
	for i, k := range ks {
		pubs[i] = k.PubKey
	}
	d, err := MultisigScriptFor(ms.M, pubs, true, a.Net)
	if err != nil {
		return nil, fmt.Errorf("derive /%d/%d: %w", chain, index, err)
	}
	d.Chain, d.Index, d.MultiKeys = chain, index, ks
	if ms.Local >= 0 {
		d.PubKey = ks[ms.Local].PubKey
	}
	return d, nil
}

// MultisigScriptFor builds the P2WSH output of an m-of-n CHECKMULTISIG of compressed keys,
// sorting them first (BIP67, as sortedmulti does) when sorted is set, and its address on net
// (left empty when net is nil). The witness script is in WitnessScript.
func MultisigScriptFor(m int, pubs []*btcec.PublicKey, sorted bool, net *chaincfg.Params) (*Derived, error) {
	t := txbuilder.P2WSHMultisig(m, len(pubs))
	if t == txbuilder.ScriptUnknown {
		return nil, fmt.Errorf("%w: %d of %d keys", ErrMultisig, m, len(pubs))
	}
	ser := make([][]byte, len(pubs))
	for i, p := range pubs {
		ser[i] = p.SerializeCompressed()
	}
	if sorted {
		slices.SortFunc(ser, bytes.Compare)
	}
	ws := MultisigWitnessScript(m, ser)
	sum := sha256.Sum256(ws)
	h := sum[:]
	d := &Derived{Type: t, WitnessScript: ws, PkScript: P2WSHScript(h)}
	if net != nil {
		addr, err := address.NewAddressWitnessScriptHash(h, net)
		if err != nil {
			return nil, fmt.Errorf("address for wsh script: %w", err)
		}
		d.Address = addr.EncodeAddress()
	}
	return d, nil
}

// MultisigWitnessScript is OP_m <key>... OP_n OP_CHECKMULTISIG over keys in the given order.
func MultisigWitnessScript(m int, keys [][]byte) []byte {
	s := make([]byte, 0, txbuilder.MultisigWitnessScriptLen(len(keys)))
	s = append(s, txscript.OP_1-1+byte(m))
	for _, k := range keys {
		s = append(s, byte(len(k)))
		s = append(s, k...)
	}
	return append(s, txscript.OP_1-1+byte(len(keys)), txscript.OP_CHECKMULTISIG)
}

// P2WSHScript is the witness v0 program OP_0 <32-byte script hash>.
func P2WSHScript(sha256 []byte) []byte {
	s := make([]byte, 0, 34)
	s = append(s, txscript.OP_0, txscript.OP_DATA_32)
	return append(s, sha256...)
}

// keysUnknownOrigin stands for the path of a key whose origin was not given.
const keysUnknownOrigin = "(unknown origin)"
