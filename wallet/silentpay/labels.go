package silentpay

import (
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
)

// ChangeLabel is the label m = 0, which BIP352 reserves for the receiver's own change. A
// wallet must never hand out the address labelled with it; Scanner always looks for it.
const ChangeLabel uint32 = 0

// LabelTweak is hash_BIP0352/Label(ser256(b_scan) || ser32(m)): the scalar label m adds to the
// spend key, and to the private key spending an output paid to that label.
func LabelTweak(scanPriv *btcec.PrivateKey, m uint32) (btcec.ModNScalar, error) {
	if scanPriv == nil {
		return btcec.ModNScalar{}, fmt.Errorf("label %d: %w: no scan key", m, ErrInvalidKey)
	}
	b := scanPriv.Key.Bytes()
	t, err := hashScalar(tagLabel, b[:], ser32(m))
	clear(b[:])
	if err != nil {
		return t, fmt.Errorf("label %d: %w", m, err)
	}
	return t, nil
}

// LabelledSpendKey is B_m = B_spend + LabelTweak(b_scan, m)·G, the spend key of the address
// labelled m. Give it to NewAddress with the scan key to get the labelled address.
func LabelledSpendKey(spend *btcec.PublicKey, scanPriv *btcec.PrivateKey, m uint32) (*btcec.PublicKey, error) {
	if spend == nil {
		return nil, fmt.Errorf("label %d: %w: no spend key", m, ErrInvalidKey)
	}
	t, err := LabelTweak(scanPriv, m)
	if err != nil {
		return nil, err
	}
	tg := baseMult(&t)
	b := jacobian(spend)
	p := add(&b, &tg)
	if !affine(&p) {
		return nil, fmt.Errorf("label %d: %w: labelled spend key is the point at infinity", m, ErrInvalidKey)
	}
	return pubKey(&p), nil
}
