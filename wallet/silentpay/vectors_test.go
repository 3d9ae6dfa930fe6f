package silentpay

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// The BIP352 vector file (send_and_receive_test_vectors.json, BIP352 v1.1.1).
const vectorFile = "../../testdata/bip352-vectors.json"

type vectorVin struct {
	Txid       string `json:"txid"`
	Vout       uint32 `json:"vout"`
	ScriptSig  string `json:"scriptSig"`
	Witness    string `json:"txinwitness"`
	PrivateKey string `json:"private_key"`
	Prevout    struct {
		ScriptPubKey struct {
			Hex string `json:"hex"`
		} `json:"scriptPubKey"`
	} `json:"prevout"`
}

type vectorCase struct {
	Comment string `json:"comment"`
	Sending []struct {
		Given struct {
			Vin        []vectorVin `json:"vin"`
			Recipients []struct {
				Address     string `json:"address"`
				ScanPubKey  string `json:"scan_pub_key"`
				SpendPubKey string `json:"spend_pub_key"`
				Count       int    `json:"count"`
			} `json:"recipients"`
		} `json:"given"`
		Expected struct {
			Outputs            [][]string `json:"outputs"`
			NOutputs           *int       `json:"n_outputs"`
			SharedSecrets      []*string  `json:"shared_secrets"`
			InputPrivateKeySum *string    `json:"input_private_key_sum"`
			InputPubKeys       []string   `json:"input_pub_keys"`
		} `json:"expected"`
	} `json:"sending"`
	Receiving []struct {
		Given struct {
			Vin         []vectorVin `json:"vin"`
			Outputs     []string    `json:"outputs"`
			Labels      []uint32    `json:"labels"`
			KeyMaterial struct {
				ScanPrivKey  string `json:"scan_priv_key"`
				SpendPrivKey string `json:"spend_priv_key"`
			} `json:"key_material"`
		} `json:"given"`
		Expected struct {
			Addresses []string `json:"addresses"`
			Outputs   []struct {
				PrivKeyTweak string `json:"priv_key_tweak"`
				PubKey       string `json:"pub_key"`
				Signature    string `json:"signature"`
			} `json:"outputs"`
			NOutputs       *int    `json:"n_outputs"`
			Tweak          *string `json:"tweak"`
			SharedSecret   *string `json:"shared_secret"`
			InputPubKeySum *string `json:"input_pub_key_sum"`
		} `json:"expected"`
	} `json:"receiving"`
}

func loadVectors(t testing.TB) []vectorCase {
	t.Helper()
	b, err := os.ReadFile(vectorFile)
	if err != nil {
		t.Fatal(err)
	}
	var v []vectorCase
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("hex %q: %v", s, err)
	}
	return b
}

// parseWitness reads a serialised witness stack: a count, then length-prefixed items.
func parseWitness(t testing.TB, s string) wire.TxWitness {
	t.Helper()
	if s == "" {
		return nil
	}
	r := bytes.NewReader(mustHex(t, s))
	n, err := wire.ReadVarInt(r, 0)
	if err != nil {
		t.Fatalf("witness %s: %v", s, err)
	}
	w := make(wire.TxWitness, n)
	for i := range w {
		if w[i], err = wire.ReadVarBytes(r, 0, 1<<20, "witness item"); err != nil {
			t.Fatalf("witness %s: %v", s, err)
		}
	}
	if r.Len() != 0 {
		t.Fatalf("witness %s: %d bytes left over", s, r.Len())
	}
	return w
}

func txInput(t testing.TB, v vectorVin) TxInput {
	t.Helper()
	h, err := chainhash.NewHashFromStr(v.Txid)
	if err != nil {
		t.Fatal(err)
	}
	return TxInput{
		OutPoint:   wire.OutPoint{Hash: *h, Index: v.Vout},
		ScriptSig:  mustHex(t, v.ScriptSig),
		Witness:    parseWitness(t, v.Witness),
		PrevScript: mustHex(t, v.Prevout.ScriptPubKey.Hex),
	}
}

func privKey(t testing.TB, s string) *btcec.PrivateKey {
	t.Helper()
	k, _ := btcec.PrivKeyFromBytes(mustHex(t, s))
	return k
}

func scalarHex(s *btcec.ModNScalar) string {
	b := s.Bytes()
	return hex.EncodeToString(b[:])
}

// Every case of the BIP352 vectors, sending and receiving. Sending must produce one of the
// acceptable output sets (several when labelled addresses of one receiver can be ordered
// differently); receiving must find exactly the listed outputs with their tweaks.
func TestBIP352Vectors(t *testing.T) {
	cases := loadVectors(t)
	if len(cases) != 28 {
		t.Fatalf("want 28 vector cases, have %d", len(cases))
	}
	var sends, receives int
	for i, c := range cases {
		t.Run(fmt.Sprintf("%02d %s", i, c.Comment), func(t *testing.T) {
			for j := range c.Sending {
				checkSending(t, &c, j)
				sends++
			}
			for j := range c.Receiving {
				checkReceiving(t, &c, j)
				receives++
			}
		})
	}
	if sends != 28 || receives != 29 {
		t.Errorf("ran %d sending and %d receiving tests, want 28 and 29", sends, receives)
	}
}

func checkSending(t *testing.T, c *vectorCase, j int) {
	s := c.Sending[j]
	var inputs []InputKey
	var pubs []string
	for _, v := range s.Given.Vin {
		in := txInput(t, v)
		k := InputKey{OutPoint: in.OutPoint}
		if pub, typ, ok := InputPubKey(&in); ok {
			pubs = append(pubs, hex.EncodeToString(pub.SerializeCompressed()))
			k.Priv, k.IsTaproot = privKey(t, v.PrivateKey), typ == txbuilder.P2TR
		}
		inputs = append(inputs, k)
	}
	if !slices.Equal(pubs, s.Expected.InputPubKeys) && !(len(pubs) == 0 && len(s.Expected.InputPubKeys) == 0) {
		t.Errorf("sending %d: input keys %v, want %v", j, pubs, s.Expected.InputPubKeys)
	}
	if want := s.Expected.InputPrivateKeySum; want != nil {
		sum, err := privKeySum(inputs)
		if err != nil || scalarHex(&sum) != *want {
			t.Errorf("sending %d: key sum %s, %v; want %s", j, scalarHex(&sum), err, *want)
		}
	}

	var recipients []*Address
	for ri, r := range s.Given.Recipients {
		a, err := ParseAddress(r.Address, &chaincfg.MainNetParams)
		if err != nil {
			t.Fatalf("sending %d: recipient %s: %v", j, r.Address, err)
		}
		if hex.EncodeToString(a.Scan.SerializeCompressed()) != r.ScanPubKey ||
			hex.EncodeToString(a.Spend.SerializeCompressed()) != r.SpendPubKey || a.String() != r.Address {
			t.Errorf("sending %d: recipient %s decodes to %s / %s", j, r.Address,
				a.Scan.SerializeCompressed(), a.Spend.SerializeCompressed())
		}
		if ri < len(s.Expected.SharedSecrets) && s.Expected.SharedSecrets[ri] != nil {
			secret, err := senderSecret(inputs)
			if err != nil {
				t.Fatalf("sending %d: %v", j, err)
			}
			shared, err := ecdhSharedSecret(&secret, a.Scan)
			if err != nil || hex.EncodeToString(shared[:]) != *s.Expected.SharedSecrets[ri] {
				t.Errorf("sending %d: shared secret for %d: %x, %v; want %s", j, ri, shared, err,
					*s.Expected.SharedSecrets[ri])
			}
		}
		for range max(r.Count, 1) {
			recipients = append(recipients, a)
		}
	}

	got, err := CreateOutputs(inputs, recipients)
	if len(s.Expected.Outputs) == 1 && len(s.Expected.Outputs[0]) == 0 {
		var want error
		switch {
		case len(s.Expected.InputPubKeys) == 0:
			want = ErrNoEligibleInputs
		case s.Expected.InputPrivateKeySum == nil:
			want = ErrKeySumZero
		default:
			want = ErrTooManyRecipients
		}
		if !errors.Is(err, want) {
			t.Errorf("sending %d: got %d outputs, error %v; want error %v", j, len(got), err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("sending %d: %v", j, err)
	}
	var keys []string
	for _, a := range recipients {
		if _, ok := got[a.String()]; !ok {
			t.Errorf("sending %d: no outputs for %s", j, a)
		}
	}
	for _, ks := range got {
		for _, k := range ks {
			if k.SerializeCompressed()[0] != 0x02 {
				t.Errorf("sending %d: output key %x has odd y", j, k.SerializeCompressed())
			}
			keys = append(keys, hex.EncodeToString(schnorr.SerializePubKey(k)))
		}
	}
	sort.Strings(keys)
	if len(keys) != len(recipients) {
		t.Errorf("sending %d: %d outputs for %d recipients", j, len(keys), len(recipients))
	}
	for _, set := range s.Expected.Outputs {
		want := slices.Clone(set)
		sort.Strings(want)
		if slices.Equal(keys, want) {
			return
		}
	}
	t.Errorf("sending %d: outputs %v match none of the %d expected sets", j, keys, len(s.Expected.Outputs))
}

func checkReceiving(t *testing.T, c *vectorCase, j int) {
	r := c.Receiving[j]
	net := &chaincfg.MainNetParams
	scanPriv := privKey(t, r.Given.KeyMaterial.ScanPrivKey)
	spendPriv := privKey(t, r.Given.KeyMaterial.SpendPrivKey)

	addrs := []string{NewAddress(scanPriv.PubKey(), spendPriv.PubKey(), net).String()}
	for _, m := range r.Given.Labels {
		bm, err := LabelledSpendKey(spendPriv.PubKey(), scanPriv, m)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, NewAddress(scanPriv.PubKey(), bm, net).String())
	}
	if !slices.Equal(addrs, r.Expected.Addresses) {
		t.Errorf("receiving %d: addresses %v, want %v", j, addrs, r.Expected.Addresses)
	}

	var inputs []TxInput
	for _, v := range r.Given.Vin {
		inputs = append(inputs, txInput(t, v))
	}
	var outputs [][]byte
	for _, o := range r.Given.Outputs {
		outputs = append(outputs, mustHex(t, o))
	}
	if want := r.Expected.InputPubKeySum; want != nil {
		sum, err := inputKeySum(inputs)
		if err != nil || hex.EncodeToString(pubKey(&sum).SerializeCompressed()) != *want {
			t.Errorf("receiving %d: input key sum %v, want %s", j, err, *want)
		}
	}
	tweak, err := TweakData(inputs)
	if r.Expected.Tweak == nil {
		if !errors.Is(err, ErrNoEligibleInputs) && !errors.Is(err, ErrKeySumZero) {
			t.Errorf("receiving %d: tweak data %v, want a skip", j, err)
		}
	} else {
		if err != nil || hex.EncodeToString(tweak.SerializeCompressed()) != *r.Expected.Tweak {
			t.Fatalf("receiving %d: tweak %v, want %s", j, err, *r.Expected.Tweak)
		}
		tw := jacobian(tweak)
		e := mult(&scanPriv.Key, &tw)
		affine(&e)
		if got := serP(&e); hex.EncodeToString(got[:]) != *r.Expected.SharedSecret {
			t.Errorf("receiving %d: shared secret %x, want %s", j, got, *r.Expected.SharedSecret)
		}
	}

	sc, err := NewScanner(scanPriv, spendPriv.PubKey(), r.Given.Labels...)
	if err != nil {
		t.Fatal(err)
	}
	found, err := sc.ScanTransaction(inputs, outputs)
	if err != nil {
		t.Fatalf("receiving %d: %v", j, err)
	}
	if r.Expected.NOutputs != nil {
		if len(found) != *r.Expected.NOutputs {
			t.Errorf("receiving %d: found %d outputs, want %d", j, len(found), *r.Expected.NOutputs)
		}
	} else {
		got := map[string]string{}
		for _, f := range found {
			got[hex.EncodeToString(f.Output[:])] = scalarHex(&f.Tweak)
		}
		want := map[string]string{}
		for _, o := range r.Expected.Outputs {
			want[o.PubKey] = o.PrivKeyTweak
		}
		if len(found) != len(r.Expected.Outputs) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("receiving %d: found %v, want %v", j, got, want)
		}
	}
	checkSignatures(t, j, spendPriv, found, r.Expected.Outputs)
}

// checkSignatures signs the vectors' message with each found output's key: the signature
// must verify against the output key and, with the vectors' aux randomness, equal theirs.
func checkSignatures(t *testing.T, j int, spendPriv *btcec.PrivateKey, found []Found,
	expected []struct {
		PrivKeyTweak string `json:"priv_key_tweak"`
		PubKey       string `json:"pub_key"`
		Signature    string `json:"signature"`
	}) {
	msg := sha256.Sum256([]byte("message"))
	aux := sha256.Sum256([]byte("random auxiliary data"))
	wantSig := map[string]string{}
	for _, o := range expected {
		wantSig[o.PubKey] = o.Signature
	}
	for i, f := range found {
		d, err := SpendPrivKey(spendPriv, &f.Tweak)
		if err != nil {
			t.Fatal(err)
		}
		if got := schnorr.SerializePubKey(d.PubKey()); !bytes.Equal(got, f.Output[:]) {
			t.Errorf("receiving %d: spend key gives %x, output is %x", j, got, f.Output)
		}
		if i >= 10 && len(expected) == 0 {
			continue // the K_max case finds 2323 outputs; signing a few of them is enough
		}
		sig, err := schnorr.Sign(d, msg[:], schnorr.CustomNonce(aux))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := schnorr.ParsePubKey(f.Output[:])
		if err != nil || !sig.Verify(msg[:], pub) {
			t.Errorf("receiving %d: signature for %x does not verify (%v)", j, f.Output, err)
		}
		if want, ok := wantSig[hex.EncodeToString(f.Output[:])]; ok &&
			hex.EncodeToString(sig.Serialize()) != want {
			t.Errorf("receiving %d: signature for %x is %x, want %s", j, f.Output, sig.Serialize(), want)
		}
	}
}
