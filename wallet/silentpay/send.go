package silentpay

import (
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// KMax is BIP352's limit on the number of outputs paying one scan key in a transaction.
// Receivers stop looking after KMax matches, so senders must not create more.
const KMax = 2323

// InputKey is one input of the transaction a sender builds. List every input, eligible or
// not: the smallest outpoint of all of them enters the output keys.
type InputKey struct {
	OutPoint wire.OutPoint
	// Priv is the private key of an eligible input (P2TR, P2WPKH, P2SH-P2WPKH, or P2PKH with a
	// compressed key); nil for any other input, whose outpoint still counts. For P2TR it is
	// the key of the taproot output key, i.e. already tweaked (for BIP86, the internal key
	// tweaked by txscript.TweakTaprootPrivKey), not the internal key.
	Priv *btcec.PrivateKey
	// IsTaproot marks a P2TR input, whose key BIP352 negates when its public key has odd y.
	IsTaproot bool
}

// CreateOutputs derives the taproot output keys paying each recipient, keyed by the
// recipient's address string. A recipient listed n times gets n keys, in order. Recipients
// sharing a scan key form a group whose outputs are numbered k = 0, 1, ... in the order given;
// every key returned must appear in the transaction or later ones will not be found.
// It fails with ErrNoEligibleInputs when no input has a key, ErrKeySumZero when the keys
// cancel out, and ErrTooManyRecipients when a group exceeds KMax. The caller must not spend
// segwit v2+ outputs in the transaction (see IsFutureSegwit); this function cannot see the
// input scripts.
func CreateOutputs(inputs []InputKey, recipients []*Address) (map[string][]*btcec.PublicKey, error) {
	secret, err := senderSecret(inputs)
	if err != nil {
		return nil, fmt.Errorf("silent payment outputs: %w", err)
	}
	defer secret.Zero()
	groups, err := groupByScanKey(recipients)
	if err != nil {
		return nil, fmt.Errorf("silent payment outputs: %w", err)
	}
	out := make(map[string][]*btcec.PublicKey, len(recipients))
	for _, g := range groups {
		shared, err := ecdhSharedSecret(&secret, g[0].Scan)
		if err != nil {
			return nil, fmt.Errorf("silent payment outputs for %s: %w", g[0], err)
		}
		for k, r := range g {
			p, err := outputKey(&shared, uint32(k), r.Spend)
			if err != nil {
				return nil, fmt.Errorf("silent payment output %d for %s: %w", k, r, err)
			}
			s := r.String()
			out[s] = append(out[s], p)
		}
	}
	return out, nil
}

// senderSecret is input_hash·a, the scalar a sender multiplies each scan key by.
func senderSecret(inputs []InputKey) (btcec.ModNScalar, error) {
	var zero btcec.ModNScalar
	a, err := privKeySum(inputs)
	if err != nil {
		return zero, err
	}
	defer a.Zero()
	pub := baseMult(&a)
	affine(&pub) // a is not zero, so a·G is not infinity
	ops := make([]wire.OutPoint, len(inputs))
	for i := range inputs {
		ops[i] = inputs[i].OutPoint
	}
	h, err := inputHash(smallestOutPoint(ops), &pub)
	if err != nil {
		return zero, err
	}
	return *h.Mul(&a), nil
}

// privKeySum is a, the sum of the eligible inputs' private keys, taproot ones negated when
// their public key has odd y.
func privKeySum(inputs []InputKey) (btcec.ModNScalar, error) {
	var sum btcec.ModNScalar
	n := 0
	for i := range inputs {
		in := &inputs[i]
		if in.Priv == nil {
			continue
		}
		k := in.Priv.Key
		if k.IsZero() {
			return sum, fmt.Errorf("input %d (%v): %w: zero private key", i, in.OutPoint, ErrInvalidKey)
		}
		if in.IsTaproot {
			p := baseMult(&k)
			affine(&p)
			if p.Y.IsOdd() {
				k.Negate()
			}
		}
		sum.Add(&k)
		k.Zero()
		n++
	}
	switch {
	case n == 0:
		return sum, ErrNoEligibleInputs
	case sum.IsZero():
		return sum, ErrKeySumZero
	}
	return sum, nil
}

// groupByScanKey groups recipients by scan key, groups in order of first appearance and
// recipients in the order given.
func groupByScanKey(recipients []*Address) ([][]*Address, error) {
	var groups [][]*Address
	index := map[[33]byte]int{}
	for i, r := range recipients {
		if r == nil || r.Scan == nil || r.Spend == nil {
			return nil, fmt.Errorf("recipient %d: %w: missing key", i, ErrInvalidKey)
		}
		key := [33]byte(r.Scan.SerializeCompressed())
		g, ok := index[key]
		if !ok {
			g = len(groups)
			index[key] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], r)
		if len(groups[g]) > KMax {
			return nil, fmt.Errorf("%w: more than %d for scan key %x", ErrTooManyRecipients, KMax, key)
		}
	}
	return groups, nil
}

// ecdhSharedSecret is ser_P(secret·B_scan): the shared secret of sender and receiver.
func ecdhSharedSecret(secret *btcec.ModNScalar, scan *btcec.PublicKey) ([33]byte, error) {
	b := jacobian(scan)
	p := mult(secret, &b)
	if !affine(&p) {
		return [33]byte{}, fmt.Errorf("%w: shared secret is the point at infinity", ErrInvalidKey)
	}
	return serP(&p), nil
}

// outputKey is B_m + t_k·G as the x-only (even y) key a taproot output commits to.
func outputKey(shared *[33]byte, k uint32, spend *btcec.PublicKey) (*btcec.PublicKey, error) {
	t, err := sharedSecretTweak(shared, k)
	if err != nil {
		return nil, err
	}
	tg := baseMult(&t)
	b := jacobian(spend)
	p := add(&b, &tg)
	if !affine(&p) {
		return nil, fmt.Errorf("%w: output key is the point at infinity", ErrInvalidKey)
	}
	return evenY(&p), nil
}
