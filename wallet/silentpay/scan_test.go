package silentpay

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// receiver is a test wallet: keys, its address, labelled addresses and a scanner.
type receiver struct {
	scanPriv, spendPriv *btcec.PrivateKey
	addr                *Address
	labelled            map[uint32]*Address
	scanner             *Scanner
}

// testKey is a deterministic private key for seed.
func testKey(t testing.TB, seed string) *btcec.PrivateKey {
	t.Helper()
	h := sha256.Sum256([]byte(seed))
	k, _ := btcec.PrivKeyFromBytes(h[:])
	return k
}

func newReceiverNamed(t testing.TB, name string, labels ...uint32) *receiver {
	t.Helper()
	r := &receiver{scanPriv: testKey(t, name+" scan"), spendPriv: testKey(t, name+" spend"),
		labelled: map[uint32]*Address{}}
	r.addr = NewAddress(r.scanPriv.PubKey(), r.spendPriv.PubKey(), mainnet)
	for _, m := range append([]uint32{ChangeLabel}, labels...) {
		bm, err := LabelledSpendKey(r.spendPriv.PubKey(), r.scanPriv, m)
		if err != nil {
			t.Fatal(err)
		}
		r.labelled[m] = NewAddress(r.scanPriv.PubKey(), bm, mainnet)
	}
	var err error
	if r.scanner, err = NewScanner(r.scanPriv, r.spendPriv.PubKey(), labels...); err != nil {
		t.Fatal(err)
	}
	return r
}

func newReceiver(t testing.TB, labels ...uint32) *receiver {
	return newReceiverNamed(t, "bob", labels...)
}

// pay creates the outputs paying recipients, returned as x-only keys in recipient order.
func (r *receiver) pay(t testing.TB, inputs []InputKey, recipients ...*Address) [][]byte {
	t.Helper()
	got, err := CreateOutputs(inputs, recipients)
	if err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	var outs [][]byte
	for _, a := range recipients {
		s := a.String()
		outs = append(outs, schnorr.SerializePubKey(got[s][next[s]]))
		next[s]++
	}
	return outs
}

// p2wpkhInput is a signed-looking P2WPKH input of key spending output i of a made-up
// transaction.
func p2wpkhInput(t testing.TB, key *btcec.PrivateKey, i uint32) TxInput {
	t.Helper()
	comp := key.PubKey().SerializeCompressed()
	h := chainhash.HashH(binary.BigEndian.AppendUint32(nil, i))
	return TxInput{
		OutPoint:   wire.OutPoint{Hash: h, Index: i},
		PrevScript: keys.P2WPKHScript(address.Hash160(comp)),
		Witness:    wire.TxWitness{bytes.Repeat([]byte{0x30}, 71), comp},
	}
}

// senderInputs is a two-input transaction of one sender, as TxInputs and InputKeys.
func senderInputs(t testing.TB) ([]TxInput, []InputKey) {
	a, b := testKey(t, "alice 1"), testKey(t, "alice 2")
	ins := []TxInput{p2wpkhInput(t, a, 1), p2wpkhInput(t, b, 2)}
	return ins, []InputKey{{OutPoint: ins[0].OutPoint, Priv: a}, {OutPoint: ins[1].OutPoint, Priv: b}}
}

func randomXOnly(rng *rand.Rand) []byte {
	for {
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if _, ok := liftX(b[:]); ok {
			return b[:]
		}
	}
}

// A sender pays a receiver's plain, labelled and change addresses and another receiver in one
// transaction; each receiver finds exactly its outputs, whatever their order, and can spend
// them.
func TestSendAndScanRoundTrip(t *testing.T) {
	bob := newReceiver(t, 1, 7)
	carol := newReceiverNamed(t, "carol")
	ins, keysIn := senderInputs(t)
	recipients := []*Address{bob.addr, bob.labelled[1], carol.addr, bob.addr, bob.labelled[7],
		bob.labelled[ChangeLabel]}
	outs := bob.pay(t, keysIn, recipients...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		outs = append(outs, randomXOnly(rng)) // unrelated outputs
	}
	for round := range 5 {
		shuffled := slices.Clone(outs)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		found, err := bob.scanner.ScanTransaction(ins, shuffled)
		if err != nil {
			t.Fatal(err)
		}
		want := map[[32]byte]string{ // output -> label it was paid to ("" for none)
			[32]byte(outs[0]): "", [32]byte(outs[1]): "1", [32]byte(outs[3]): "", [32]byte(outs[4]): "7",
			[32]byte(outs[5]): "0"}
		if len(found) != len(want) {
			t.Fatalf("round %d: found %d outputs, want %d", round, len(found), len(want))
		}
		for i, f := range found {
			label := ""
			if f.Labelled {
				label = string(rune('0' + f.Label))
			}
			if w, ok := want[f.Output]; !ok || w != label || f.K != uint32(i) {
				t.Errorf("round %d: found %x label %q k %d; want label %q", round, f.Output, label, f.K, w)
			}
			d, err := SpendPrivKey(bob.spendPriv, &f.Tweak)
			if err != nil || !bytes.Equal(schnorr.SerializePubKey(d.PubKey()), f.Output[:]) {
				t.Errorf("round %d: spend key for %x does not match (%v)", round, f.Output, err)
			}
		}
		cf, err := carol.scanner.ScanTransaction(ins, shuffled)
		if err != nil || len(cf) != 1 || !bytes.Equal(cf[0].Output[:], outs[2]) || cf[0].Labelled {
			t.Errorf("round %d: carol found %v, %v", round, cf, err)
		}
	}
}

// BIP352: outputs are numbered per scan key; if output k is missing, later ones are not
// found. A sender must therefore put every key CreateOutputs returns in the transaction.
func TestScanStopsAtFirstMissingK(t *testing.T) {
	bob := newReceiver(t)
	ins, keysIn := senderInputs(t)
	outs := bob.pay(t, keysIn, bob.addr, bob.addr, bob.addr)
	for _, tt := range []struct {
		name string
		outs [][]byte
		want int
	}{
		{"all three", outs, 3},
		{"k=0 missing", outs[1:], 0},
		{"k=1 missing", [][]byte{outs[0], outs[2]}, 1},
		{"no outputs", nil, 0},
	} {
		found, err := bob.scanner.ScanTransaction(ins, tt.outs)
		if err != nil || len(found) != tt.want {
			t.Errorf("%s: found %d, %v; want %d", tt.name, len(found), err, tt.want)
		}
	}
}

// The scanner adds labels to P_k when they are few and subtracts P_k from the outputs when
// they are many; both must pick the same output and label, for either y parity.
func TestMatchStrategiesAgree(t *testing.T) {
	labels := make([]uint32, 40)
	for i := range labels {
		labels[i] = uint32(i*3 + 1)
	}
	bob := newReceiver(t, labels...)
	ins, keysIn := senderInputs(t)
	rng := rand.New(rand.NewPCG(3, 4))
	var pays []*Address
	for _, m := range []uint32{0, 1, 4, 118} {
		pays = append(pays, bob.labelled[m])
	}
	pays = append(pays, bob.addr)
	paid := bob.pay(t, keysIn, pays...)
	tweak, err := TweakData(ins)
	if err != nil {
		t.Fatal(err)
	}
	tw := jacobian(tweak)
	e := mult(&bob.scanPriv.Key, &tw)
	affine(&e)
	shared := serP(&e)
	for i, p := range paid {
		// Output k = i is only found at its own k; test the match at that k.
		tk, err := sharedSecretTweak(&shared, uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		tg := baseMult(&tk)
		pk := add(&bob.scanner.spend, &tg)
		pkAff := pk
		affine(&pkAff)
		for _, outs := range [][][]byte{
			{p}, {randomXOnly(rng), p}, {p, p}, {randomXOnly(rng), randomXOnly(rng)},
		} {
			set1, set2 := newOutputSet(outs), newOutputSet(outs)
			want := slices.IndexFunc(outs, func(o []byte) bool { return bytes.Equal(o, p) })
			i1, l1 := bob.scanner.matchByAdding(&pk, &pkAff, true, set1)
			i2, l2 := bob.scanner.matchBySubtracting(&pk, set2)
			if i1 != want || i1 != i2 || l1 != l2 {
				t.Errorf("output %d: adding gives (%d, %d), subtracting (%d, %d), want index %d",
					i, i1, l1, i2, l2, want)
			}
		}
	}
	// And a full scan with many labels (the subtracting path) finds all five.
	found, err := bob.scanner.ScanTransaction(ins, paid)
	if err != nil || len(found) != len(paid) {
		t.Errorf("found %d, %v", len(found), err)
	}
}

func TestCreateOutputsRefuses(t *testing.T) {
	bob := newReceiver(t)
	_, keysIn := senderInputs(t)
	tests := []struct {
		name       string
		inputs     []InputKey
		recipients []*Address
		class      error
	}{
		{"no inputs", nil, []*Address{bob.addr}, ErrNoEligibleInputs},
		{"no input with a key", []InputKey{{OutPoint: keysIn[0].OutPoint}}, []*Address{bob.addr}, ErrNoEligibleInputs},
		{"nil recipient", keysIn, []*Address{nil}, ErrInvalidKey},
		{"recipient without keys", keysIn, []*Address{{}}, ErrInvalidKey},
		{"zero private key", []InputKey{{Priv: &btcec.PrivateKey{}}}, []*Address{bob.addr}, ErrInvalidKey},
	}
	for _, tt := range tests {
		if _, err := CreateOutputs(tt.inputs, tt.recipients); !errors.Is(err, tt.class) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.class)
		}
	}
}

// Exactly KMax outputs for one scan key is allowed, and the limit is per scan key.
func TestCreateOutputsKMaxBoundary(t *testing.T) {
	bob, carol := newReceiver(t), newReceiverNamed(t, "carol")
	_, keysIn := senderInputs(t)
	recipients := slices.Repeat([]*Address{bob.addr}, KMax)
	recipients = append(recipients, carol.addr)
	got, err := CreateOutputs(keysIn, recipients)
	if err != nil || len(got[bob.addr.String()]) != KMax || len(got[carol.addr.String()]) != 1 {
		t.Fatalf("KMax outputs: %d, %v", len(got[bob.addr.String()]), err)
	}
	if _, err := CreateOutputs(keysIn, append(recipients, bob.labelled[ChangeLabel])); !errors.Is(err, ErrTooManyRecipients) {
		t.Errorf("KMax+1 outputs (one labelled): %v", err)
	}
}

func TestScanRefusesBadOutputs(t *testing.T) {
	bob := newReceiver(t)
	ins, _ := senderInputs(t)
	tweak, err := TweakData(ins)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.scanner.Scan(tweak, [][]byte{make([]byte, 33)}); err == nil {
		t.Error("33-byte output accepted")
	}
	if _, err := bob.scanner.Scan(nil, nil); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("nil tweak: %v", err)
	}
	// Outputs that are not curve points are simply not matches.
	found, err := bob.scanner.Scan(tweak, [][]byte{bytes.Repeat([]byte{0xff}, 32)})
	if err != nil || len(found) != 0 {
		t.Errorf("off-curve output: %v, %v", found, err)
	}
}

func TestScannerLabels(t *testing.T) {
	s, err := NewScanner(testKey(t, "s"), testKey(t, "p").PubKey(), 5, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddLabel(9); err != nil {
		t.Fatal(err)
	}
	if got := s.Labels(); !slices.Equal(got, []uint32{0, 5, 9}) {
		t.Errorf("labels %v, want change label first and no duplicates", got)
	}
	if _, err := NewScanner(nil, testKey(t, "p").PubKey()); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("nil scan key: %v", err)
	}
	if _, err := LabelledSpendKey(nil, testKey(t, "s"), 1); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("nil spend key: %v", err)
	}
}

func TestTaprootOutputKeys(t *testing.T) {
	k := schnorr.SerializePubKey(testKey(t, "x").PubKey())
	tx := wire.NewMsgTx(2)
	tx.AddTxOut(wire.NewTxOut(1000, keys.P2WPKHScript(make([]byte, 20))))
	tx.AddTxOut(wire.NewTxOut(1000, OutputScript(testKey(t, "x").PubKey())))
	tx.AddTxOut(wire.NewTxOut(0, []byte{0x51, 2, 0x4e, 0x73})) // pay-to-anchor, not a key
	got := TaprootOutputKeys(tx)
	if len(got) != 1 || !bytes.Equal(got[0], k) {
		t.Errorf("keys %x", got)
	}
}

// Candidates must name exactly the outputs Scan finds, with the same tweaks and labels: a
// light client looking the candidates up on chain then finds what a full scan finds.
func TestCandidatesAgreeWithScan(t *testing.T) {
	bob := newReceiver(t, 1, 2, 3)
	ins, keysIn := senderInputs(t)
	outs := bob.pay(t, keysIn, bob.addr, bob.labelled[2], bob.labelled[ChangeLabel])
	found, err := bob.scanner.ScanTransaction(ins, outs)
	if err != nil || len(found) != 3 {
		t.Fatalf("scan found %d: %v", len(found), err)
	}
	tweak, err := TweakData(ins)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		cands, err := bob.scanner.Candidates(tweak, f.K)
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) != 1+len(bob.scanner.Labels()) {
			t.Fatalf("k=%d: %d candidates", f.K, len(cands))
		}
		hit := 0
		for _, c := range cands {
			if c.Output == f.Output {
				hit++
				if c.Tweak != f.Tweak || c.Label != f.Label || c.Labelled != f.Labelled {
					t.Errorf("k=%d: candidate %+v, scan found %+v", f.K, c, f)
				}
			}
		}
		if hit != 1 {
			t.Errorf("k=%d: output among the candidates %d times", f.K, hit)
		}
	}
}
