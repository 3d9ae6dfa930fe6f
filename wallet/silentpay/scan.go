package silentpay

import (
	"errors"
	"fmt"
	"slices"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Found is one output of a transaction that pays the scanning wallet.
type Found struct {
	// Output is the output's x-only taproot key, as given to Scan.
	Output [32]byte
	// Tweak is what to add to the spend private key to spend the output (see SpendPrivKey):
	// t_k, plus the label tweak for a labelled output.
	Tweak btcec.ModNScalar
	// K is the output's number among the transaction's payments to this scan key.
	K uint32
	// Label is the label the output was paid to, when Labelled. Label 0 (ChangeLabel) marks
	// the wallet's own change.
	Label    uint32
	Labelled bool
}

// Scanner finds the outputs paying one silent payment receiver: it holds the scan private
// key, the spend public key (enough to find payments; spending needs the spend private key)
// and the labels in use, each precomputed once.
type Scanner struct {
	scan   btcec.ModNScalar
	spend  btcec.JacobianPoint
	labels []scanLabel
	byKey  map[[33]byte]int // ser_P(label·G) -> index in labels
}

// scanLabel is one label m with its tweak and tweak·G (affine).
type scanLabel struct {
	m     uint32
	tweak btcec.ModNScalar
	point btcec.JacobianPoint
}

// NewScanner makes a scanner for the receiver (scanPriv, spendPub) that also recognises
// payments to the given labels. The change label m = 0 is always included, as BIP352 asks of
// every receiver.
func NewScanner(scanPriv *btcec.PrivateKey, spendPub *btcec.PublicKey, labels ...uint32) (*Scanner, error) {
	if scanPriv == nil || spendPub == nil || scanPriv.Key.IsZero() {
		return nil, fmt.Errorf("silent payment scanner: %w: missing scan or spend key", ErrInvalidKey)
	}
	s := &Scanner{scan: scanPriv.Key, spend: jacobian(spendPub), byKey: map[[33]byte]int{}}
	for _, m := range append([]uint32{ChangeLabel}, labels...) {
		if err := s.AddLabel(m); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// AddLabel makes the scanner recognise payments to label m too. Adding a label twice is
// harmless.
func (s *Scanner) AddLabel(m uint32) error {
	for _, l := range s.labels {
		if l.m == m {
			return nil
		}
	}
	t, err := LabelTweak(btcec.PrivKeyFromScalar(&s.scan), m)
	if err != nil {
		return fmt.Errorf("silent payment scanner: %w", err)
	}
	p := baseMult(&t)
	affine(&p) // t is not zero
	s.byKey[serP(&p)] = len(s.labels)
	s.labels = append(s.labels, scanLabel{m: m, tweak: t, point: p})
	return nil
}

// Labels lists the labels the scanner recognises, change label first.
func (s *Scanner) Labels() []uint32 {
	out := make([]uint32, len(s.labels))
	for i, l := range s.labels {
		out[i] = l.m
	}
	return out
}

// ScanTransaction finds the outputs of one transaction that pay the receiver, given all its
// inputs (with the scripts of the coins they spend) and its taproot output keys (32 bytes
// each, see TaprootOutputKeys). A transaction BIP352 says to skip (no eligible input, keys
// summing to infinity, a segwit v2+ input) gives no outputs and no error.
func (s *Scanner) ScanTransaction(inputs []TxInput, outputs [][]byte) ([]Found, error) {
	sum, err := inputKeySum(inputs)
	switch {
	case errors.Is(err, ErrNoEligibleInputs), errors.Is(err, ErrKeySumZero),
		errors.Is(err, ErrFutureSegwitInput):
		return nil, nil
	case err != nil:
		return nil, err
	}
	ops := make([]wire.OutPoint, len(inputs))
	for i := range inputs {
		ops[i] = inputs[i].OutPoint
	}
	h, err := inputHash(smallestOutPoint(ops), &sum)
	if err != nil {
		return nil, fmt.Errorf("silent payment scan: %w", err)
	}
	// b_scan·(input_hash·A) as one multiplication by the scalar b_scan·input_hash: the same
	// point, for half the cost of the two multiplications TweakData and Scan would do.
	var k btcec.ModNScalar
	k.Mul2(&s.scan, &h)
	e := mult(&k, &sum)
	return s.scanShared(&e, outputs)
}

// Scan finds the outputs paying the receiver among a transaction's taproot output keys
// (32-byte x-only keys), given the transaction's tweak data input_hash·A (see TweakData), as
// a light client gets it from an index. It follows BIP352's receiving algorithm: look for
// output k = 0, 1, ... (plain or with any label, either y parity) and stop at the first k
// with no match or at KMax. When two outputs match the same k, the one listed first wins.
func (s *Scanner) Scan(tweak *btcec.PublicKey, outputs [][]byte) ([]Found, error) {
	if tweak == nil {
		return nil, fmt.Errorf("silent payment scan: %w: no tweak data", ErrInvalidKey)
	}
	tw := jacobian(tweak)
	e := mult(&s.scan, &tw)
	return s.scanShared(&e, outputs)
}

// scanShared is the receiving algorithm from the ECDH shared secret b_scan·input_hash·A on.
func (s *Scanner) scanShared(e *btcec.JacobianPoint, outputs [][]byte) ([]Found, error) {
	for i, o := range outputs {
		if len(o) != 32 {
			return nil, fmt.Errorf("silent payment scan: output %d is %d bytes, not a 32-byte "+
				"x-only key", i, len(o))
		}
	}
	if !affine(e) {
		return nil, fmt.Errorf("silent payment scan: %w: shared secret is the point at infinity",
			ErrInvalidKey)
	}
	shared := serP(e)
	set := newOutputSet(outputs)
	var found []Found
	for k := uint32(0); k < KMax && set.remaining > 0; k++ {
		t, err := sharedSecretTweak(&shared, k)
		if err != nil {
			return nil, fmt.Errorf("silent payment scan, output %d: %w", k, err)
		}
		tg := baseMult(&t)
		pk := add(&s.spend, &tg)
		idx, label := s.match(&pk, set)
		if idx < 0 {
			break
		}
		f := Found{Output: [32]byte(outputs[idx]), Tweak: t, K: k}
		if label >= 0 {
			f.Tweak.Add(&s.labels[label].tweak)
			f.Label, f.Labelled = s.labels[label].m, true
		}
		found = append(found, f)
		set.remove(idx)
	}
	return found, nil
}

// match finds the first remaining output equal to P_k or P_k + label for some label (x only),
// returning its index and the label's index (-1 for none), or index -1 when none matches.
// With few labels it adds each label to P_k and looks the x coordinates up; with many (say a
// wallet recovering with thousands of labels) it subtracts P_k from each output and looks
// the difference up among the labels, as BIP352 describes. Both give the same answer.
func (s *Scanner) match(pk *btcec.JacobianPoint, set *outputSet) (idx, label int) {
	if len(s.labels) < 2*set.remaining {
		pkAff := *pk
		finite := affine(&pkAff)
		return s.matchByAdding(pk, &pkAff, finite, set)
	}
	return s.matchBySubtracting(pk, set)
}

func (s *Scanner) matchByAdding(pk, pkAff *btcec.JacobianPoint, finite bool,
	set *outputSet) (int, int) {
	best, label := -1, -1
	if finite {
		best = set.first(xOnly(pkAff))
	}
	pts := make([]btcec.JacobianPoint, len(s.labels))
	for i := range s.labels {
		pts[i] = add(pk, &s.labels[i].point)
	}
	ok := batchAffine(pts)
	for i := range pts {
		if !ok[i] {
			continue
		}
		if j := set.first(xOnly(&pts[i])); j >= 0 && (best < 0 || j < best) {
			best, label = j, i
		}
	}
	return best, label
}

// matchBySubtracting looks at the remaining outputs in order: equal to P_k, or output - P_k
// or -output - P_k equal to a label's point. The differences are made affine together (one
// field inversion for all of them), which is most of the cost of scanning a transaction that
// does not pay the wallet.
func (s *Scanner) matchBySubtracting(pk *btcec.JacobianPoint, set *outputSet) (int, int) {
	finite := !isInfinity(pk)
	var negPk btcec.JacobianPoint
	if finite {
		negPk = negate(pk)
	}
	// pts[0] is P_k; then two differences per remaining output.
	pts := []btcec.JacobianPoint{*pk}
	var idx []int
	for i := range set.outputs {
		if set.removed[i] {
			continue
		}
		o, ok := set.lift(i)
		switch {
		case !ok:
			pts = append(pts, btcec.JacobianPoint{}, btcec.JacobianPoint{})
		case !finite:
			pts = append(pts, *o, negate(o))
		default:
			// output - P_k, then -output - P_k = -(output + P_k).
			pts = append(pts, add(o, &negPk), add(o, pk))
		}
		idx = append(idx, i)
	}
	ok := batchAffine(pts)
	var x [32]byte
	if finite {
		x = xOnly(&pts[0])
	}
	for n, i := range idx {
		if finite && [32]byte(set.outputs[i]) == x {
			return i, -1
		}
		for j := 0; j < 2; j++ {
			k := 1 + 2*n + j
			if !ok[k] {
				continue
			}
			d := &pts[k]
			if j == 1 && finite {
				nd := negate(d)
				d = &nd
			}
			if l, found := s.byKey[serP(d)]; found {
				return i, l
			}
		}
	}
	return -1, -1
}

// batchAffine converts every finite point to affine coordinates in place with a single field
// inversion (Montgomery's trick), and reports which points were finite.
func batchAffine(pts []btcec.JacobianPoint) []bool {
	ok := make([]bool, len(pts))
	prefix := make([]btcec.FieldVal, len(pts))
	var acc btcec.FieldVal
	acc.SetInt(1)
	some := false
	for i := range pts {
		if isInfinity(&pts[i]) {
			continue
		}
		ok[i], some = true, true
		prefix[i] = acc
		acc.Mul(&pts[i].Z)
	}
	if !some {
		return ok
	}
	inv := acc
	inv.Inverse()
	for i := len(pts) - 1; i >= 0; i-- {
		if !ok[i] {
			continue
		}
		p := &pts[i]
		var zInv, z2, z3 btcec.FieldVal
		zInv.Mul2(&inv, &prefix[i])
		inv.Mul(&p.Z)
		z2.SquareVal(&zInv)
		z3.Mul2(&z2, &zInv)
		p.X.Mul(&z2).Normalize()
		p.Y.Mul(&z3).Normalize()
		p.Z.SetInt(1)
	}
	return ok
}

// outputSet is the outputs still to check, with an index by x coordinate.
type outputSet struct {
	outputs   [][]byte
	removed   []bool
	remaining int
	byX       map[[32]byte][]int
	lifted    []btcec.JacobianPoint
	liftOK    []bool
}

func newOutputSet(outputs [][]byte) *outputSet {
	s := &outputSet{outputs: outputs, removed: make([]bool, len(outputs)),
		remaining: len(outputs), byX: make(map[[32]byte][]int, len(outputs))}
	for i, o := range outputs {
		x := [32]byte(o)
		s.byX[x] = append(s.byX[x], i)
	}
	return s
}

// first is the lowest index of a remaining output with x coordinate x, or -1.
func (s *outputSet) first(x [32]byte) int {
	for _, i := range s.byX[x] {
		if !s.removed[i] {
			return i
		}
	}
	return -1
}

func (s *outputSet) remove(i int) {
	s.removed[i] = true
	s.remaining--
}

// lift is output i as the curve point with even y, computed once; false when the bytes are
// not an x coordinate on the curve.
func (s *outputSet) lift(i int) (*btcec.JacobianPoint, bool) {
	if s.lifted == nil {
		s.lifted = make([]btcec.JacobianPoint, len(s.outputs))
		s.liftOK = make([]bool, len(s.outputs))
		for j, o := range s.outputs {
			s.lifted[j], s.liftOK[j] = liftX(o)
		}
	}
	return &s.lifted[i], s.liftOK[i]
}

// TaprootOutputKeys lists the x-only keys of a transaction's P2TR outputs, the outputs
// silent payments can pay, in output order.
func TaprootOutputKeys(tx *wire.MsgTx) [][]byte {
	var keys [][]byte
	for _, out := range tx.TxOut {
		if isP2TR(out.PkScript) {
			keys = append(keys, slices.Clone(out.PkScript[2:34]))
		}
	}
	return keys
}

// Candidate is an output key a payment with given tweak data would have at one k: plain or
// with one of the scanner's labels, with the tweak that spends it.
type Candidate struct {
	Output   [32]byte
	Tweak    btcec.ModNScalar
	K        uint32
	Label    uint32
	Labelled bool
}

// Candidates lists the output keys that would pay the receiver as output k of a transaction
// with the given tweak data: P_k and P_k + each label's point. A light client that learns tweak
// data from an index (and not the transactions) looks these up on chain: what the chain does
// not hold was never paid, whatever the index said. Look for k + 1 only after k was found.
func (s *Scanner) Candidates(tweak *btcec.PublicKey, k uint32) ([]Candidate, error) {
	if tweak == nil {
		return nil, fmt.Errorf("silent payment candidates: %w: no tweak data", ErrInvalidKey)
	}
	tw := jacobian(tweak)
	e := mult(&s.scan, &tw)
	if !affine(&e) {
		return nil, fmt.Errorf("silent payment candidates: %w: shared secret is the point at infinity", ErrInvalidKey)
	}
	shared := serP(&e)
	t, err := sharedSecretTweak(&shared, k)
	if err != nil {
		return nil, fmt.Errorf("silent payment candidates, output %d: %w", k, err)
	}
	tg := baseMult(&t)
	pk := add(&s.spend, &tg)
	pts := make([]btcec.JacobianPoint, 1+len(s.labels))
	pts[0] = pk
	for i := range s.labels {
		pts[1+i] = add(&pk, &s.labels[i].point)
	}
	ok := batchAffine(pts)
	var out []Candidate
	for i := range pts {
		if !ok[i] {
			continue
		}
		c := Candidate{Output: xOnly(&pts[i]), Tweak: t, K: k}
		if i > 0 {
			l := &s.labels[i-1]
			c.Tweak.Add(&l.tweak)
			c.Label, c.Labelled = l.m, true
		}
		out = append(out, c)
	}
	return out, nil
}
