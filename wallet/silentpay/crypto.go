package silentpay

import (
	"encoding/binary"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
)

// The BIP340-style tags BIP352 hashes with.
var (
	tagInputs       = []byte("BIP0352/Inputs")
	tagSharedSecret = []byte("BIP0352/SharedSecret")
	tagLabel        = []byte("BIP0352/Label")
)

// ser32 is BIP352's ser32: a 32-bit integer, most significant byte first.
func ser32(i uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], i)
	return b[:]
}

// hashScalar is hash_tag(msgs...) read as a scalar. BIP352 fails when the hash is zero or not
// below the group order rather than reducing it, so both give ErrInvalidScalar.
func hashScalar(tag []byte, msgs ...[]byte) (btcec.ModNScalar, error) {
	h := chainhash.TaggedHash(tag, msgs...)
	var s btcec.ModNScalar
	b := [32]byte(*h)
	if s.SetBytes(&b) != 0 || s.IsZero() {
		return s, fmt.Errorf("%s hash %x: %w", tag, b, ErrInvalidScalar)
	}
	return s, nil
}

// sharedSecretTweak is t_k = hash_BIP0352/SharedSecret(ser_P(ecdh_shared_secret) || ser32(k)).
func sharedSecretTweak(secret *[33]byte, k uint32) (btcec.ModNScalar, error) {
	return hashScalar(tagSharedSecret, secret[:], ser32(k))
}

// isInfinity reports whether p is the point at infinity as btcec represents it.
func isInfinity(p *btcec.JacobianPoint) bool {
	return (p.X.IsZero() && p.Y.IsZero()) || p.Z.IsZero()
}

// jacobian returns pub as a Jacobian point (Z = 1).
func jacobian(pub *btcec.PublicKey) btcec.JacobianPoint {
	var j btcec.JacobianPoint
	pub.AsJacobian(&j)
	return j
}

// affine converts p to affine coordinates in place (Z = 1, normalised X and Y) and reports
// false for the point at infinity, which has no affine form.
func affine(p *btcec.JacobianPoint) bool {
	if isInfinity(p) {
		return false
	}
	p.ToAffine()
	return true
}

// serP is ser_P: the 33-byte SEC1 compressed form of an affine point.
func serP(p *btcec.JacobianPoint) [33]byte {
	var out [33]byte
	out[0] = 0x02
	if p.Y.IsOdd() {
		out[0] = 0x03
	}
	p.X.PutBytesUnchecked(out[1:])
	return out
}

// xOnly is the 32-byte x coordinate of an affine point.
func xOnly(p *btcec.JacobianPoint) [32]byte {
	var out [32]byte
	p.X.PutBytesUnchecked(out[:])
	return out
}

// add returns a + b, leaving both untouched.
func add(a, b *btcec.JacobianPoint) btcec.JacobianPoint {
	var r btcec.JacobianPoint
	btcec.AddNonConst(a, b, &r)
	return r
}

// baseMult returns k·G.
func baseMult(k *btcec.ModNScalar) btcec.JacobianPoint {
	var r btcec.JacobianPoint
	btcec.ScalarBaseMultNonConst(k, &r)
	return r
}

// mult returns k·p.
func mult(k *btcec.ModNScalar, p *btcec.JacobianPoint) btcec.JacobianPoint {
	var r btcec.JacobianPoint
	btcec.ScalarMultNonConst(k, p, &r)
	return r
}

// negate returns -p for an affine point p.
func negate(p *btcec.JacobianPoint) btcec.JacobianPoint {
	r := *p
	r.Y.Negate(1).Normalize()
	return r
}

// liftX is the point with x coordinate x and even y (BIP340 lift_x), or false when x is not
// the x coordinate of a curve point (or not below the field size).
func liftX(x []byte) (btcec.JacobianPoint, bool) {
	var p btcec.JacobianPoint
	if len(x) != 32 {
		return p, false
	}
	if p.X.SetByteSlice(x) {
		return p, false // x >= field prime
	}
	if !btcec.DecompressY(&p.X, false, &p.Y) {
		return p, false
	}
	p.Y.Normalize()
	p.Z.SetInt(1)
	return p, true
}

// pubKey turns an affine point into a *btcec.PublicKey.
func pubKey(p *btcec.JacobianPoint) *btcec.PublicKey {
	return btcec.NewPublicKey(&p.X, &p.Y)
}

// evenY returns the key with the same x and even y: the key a taproot output commits to.
func evenY(p *btcec.JacobianPoint) *btcec.PublicKey {
	if p.Y.IsOdd() {
		n := negate(p)
		return pubKey(&n)
	}
	return pubKey(p)
}
