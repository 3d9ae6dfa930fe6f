package message

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
	waddress "github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

func newKey(t *testing.T) *btcec.PrivateKey {
	t.Helper()
	k, err := btcec.NewPrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func addressOf(t *testing.T, typ txbuilder.ScriptType, k *btcec.PrivateKey, net *chaincfg.Params) string {
	t.Helper()
	d, err := keys.ScriptFor(typ, k.PubKey(), net)
	if err != nil {
		t.Fatal(err)
	}
	return d.Address
}

// tamperSignature flips one bit in the middle of the signature's decoded bytes.
func tamperSignature(t *testing.T, sig string) string {
	t.Helper()
	prefix := ""
	if strings.HasPrefix(sig, "smp") || strings.HasPrefix(sig, "ful") {
		prefix, sig = sig[:3], sig[3:]
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 0x01
	return prefix + base64.StdEncoding.EncodeToString(raw)
}

func TestSignVerifyRoundTrip(t *testing.T) {
	nets := []*chaincfg.Params{&chaincfg.MainNetParams, &chaincfg.TestNet3Params, &chaincfg.RegressionNetParams}
	for _, typ := range []txbuilder.ScriptType{txbuilder.P2PKH, txbuilder.P2WPKH, txbuilder.P2TR, txbuilder.P2SHP2WPKH} {
		for _, net := range nets {
			t.Run(typ.String()+"/"+net.Name, func(t *testing.T) {
				k := newKey(t)
				addr := addressOf(t, typ, k, net)
				msg := []byte("satchel proves this address, UTF-8 ✓")
				sig, err := Sign(msg, addr, net, k, typ)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case typ == txbuilder.P2PKH:
					if strings.HasPrefix(sig, "smp") {
						t.Fatalf("legacy signature has the simple prefix: %s", sig)
					}
				case typ == txbuilder.P2SHP2WPKH:
					if !strings.HasPrefix(sig, "ful") {
						t.Fatalf("nested segwit signature is not a full one: %s", sig)
					}
				case !strings.HasPrefix(sig, "smp"):
					t.Fatalf("simple signature without prefix: %s", sig)
				}
				if err := Verify(msg, addr, sig, net); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if typ == txbuilder.P2WPKH || typ == txbuilder.P2TR {
					if err := Verify(msg, addr, strings.TrimPrefix(sig, "smp"), net); err != nil {
						t.Fatalf("unprefixed: %v", err)
					}
				}
				if err := Verify([]byte(nil), addr, sig, net); !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("empty message: %v", err)
				}
				err = Verify(append(msg, '.'), addr, sig, net)
				if !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("tampered message: %v", err)
				}
				// A simple signature runs the script engine: its message speaks to the person,
				// and the engine's own reason stays wrapped.
				var se txscript.Error
				if (typ == txbuilder.P2WPKH || typ == txbuilder.P2TR) && (!strings.HasSuffix(err.Error(), ": "+errMismatch.Error()) || !errors.As(err, &se)) {
					t.Errorf("tampered message: %#v", err)
				}
				other := addressOf(t, typ, newKey(t), net)
				if err := Verify(msg, other, sig, net); !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("other address: %v", err)
				}
				if err := Verify(msg, addr, tamperSignature(t, sig), net); err == nil {
					t.Error("tampered signature verified")
				}
			})
		}
	}
}

func TestSignRefuses(t *testing.T) {
	net := &chaincfg.MainNetParams
	k := newKey(t)
	wpkh := addressOf(t, txbuilder.P2WPKH, k, net)
	for _, c := range []struct {
		name string
		addr string
		key  *btcec.PrivateKey
		typ  txbuilder.ScriptType
		want error
	}{
		{"another key's address", addressOf(t, txbuilder.P2WPKH, newKey(t), net), k, txbuilder.P2WPKH, ErrKeyMismatch},
		{"script type not the address's", wpkh, k, txbuilder.P2TR, ErrKeyMismatch},
		{"legacy type for a segwit address", wpkh, k, txbuilder.P2PKH, ErrKeyMismatch},
		{"p2wsh", "bc1qp0ahvfh83088w49k405szqgg4f3pptr7p2g06tdxfjcd40z4lh4q95lsz9", k, txbuilder.P2WSH, ErrUnsupported},
		{"address for another network", addressOf(t, txbuilder.P2WPKH, k, &chaincfg.TestNet3Params), k,
			txbuilder.P2WPKH, waddress.ErrWrongNetwork},
		{"not an address", "hello", k, txbuilder.P2WPKH, waddress.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			sig, err := Sign([]byte("m"), c.addr, net, c.key, c.typ)
			if !errors.Is(err, c.want) {
				t.Fatalf("Sign = %q, %v; want %v", sig, err, c.want)
			}
		})
	}
	if _, err := Sign([]byte("m"), wpkh, net, nil, txbuilder.P2WPKH); err == nil {
		t.Error("nil key accepted")
	}
}

// simpleWith signs to_sign for addr with a custom sighash type or witness edit, bypassing
// Sign's choices, to check the rules Verify adds to the script engine.
func simpleWith(t *testing.T, msg []byte, pkScript []byte, k *btcec.PrivateKey, typ txbuilder.ScriptType,
	hashType txscript.SigHashType) wire.TxWitness {
	t.Helper()
	toSign := BuildToSign(BuildToSpend(msg, pkScript), nil)
	fetcher := txscript.NewCannedPrevOutputFetcher(pkScript, 0)
	hashes := txscript.NewTxSigHashes(toSign, fetcher)
	var w wire.TxWitness
	var err error
	if typ == txbuilder.P2TR {
		w, err = txscript.TaprootWitnessSignature(toSign, hashes, 0, 0, pkScript, hashType, k)
	} else {
		w, err = txscript.WitnessSignature(toSign, hashes, 0, 0, pkScript, hashType, k, true)
	}
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestVerifySighashAndShapeRules(t *testing.T) {
	net := &chaincfg.MainNetParams
	msg := []byte("rules")
	k := newKey(t)
	enc := func(w wire.TxWitness) string { return "smp" + base64.StdEncoding.EncodeToString(encodeWitness(w)) }
	decode := func(addr string) *waddress.Address {
		a, err := waddress.Decode(addr, net)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	wpkh := decode(addressOf(t, txbuilder.P2WPKH, k, net))
	tr := decode(addressOf(t, txbuilder.P2TR, k, net))

	trSig := simpleWith(t, msg, tr.PkScript, k, txbuilder.P2TR, txscript.SigHashDefault)
	for _, c := range []struct {
		name string
		addr string
		sig  string
		want error // nil: valid
	}{
		{"p2wpkh SIGHASH_ALL", wpkh.String, enc(simpleWith(t, msg, wpkh.PkScript, k, txbuilder.P2WPKH, txscript.SigHashAll)), nil},
		{"p2wpkh SIGHASH_NONE is refused though the script passes", wpkh.String,
			enc(simpleWith(t, msg, wpkh.PkScript, k, txbuilder.P2WPKH, txscript.SigHashNone)), ErrInvalidSignature},
		{"p2wpkh SIGHASH_ALL|ANYONECANPAY refused", wpkh.String,
			enc(simpleWith(t, msg, wpkh.PkScript, k, txbuilder.P2WPKH, txscript.SigHashAll|txscript.SigHashAnyOneCanPay)), ErrInvalidSignature},
		{"p2tr SIGHASH_DEFAULT", tr.String, enc(trSig), nil},
		{"p2tr explicit SIGHASH_ALL", tr.String, enc(simpleWith(t, msg, tr.PkScript, k, txbuilder.P2TR, txscript.SigHashAll)), nil},
		{"p2tr SIGHASH_SINGLE refused", tr.String,
			enc(simpleWith(t, msg, tr.PkScript, k, txbuilder.P2TR, txscript.SigHashSingle)), ErrInvalidSignature},
		{"p2tr with an annex", tr.String, enc(wire.TxWitness{trSig[0], {0x50, 1}}), ErrUnsupported},
		{"p2tr script path", tr.String, enc(wire.TxWitness{{1}, {txscript.OP_TRUE}, make([]byte, 33)}), ErrUnsupported},
		{"p2tr empty witness", tr.String, enc(wire.TxWitness{}), ErrInvalidSignature},
		{"p2wpkh with a third item", wpkh.String, enc(append(simpleWith(t, msg, wpkh.PkScript, k, txbuilder.P2WPKH,
			txscript.SigHashAll), []byte{1})), ErrInvalidSignature},
		{"p2wpkh empty signature item", wpkh.String, enc(wire.TxWitness{{}, k.PubKey().SerializeCompressed()}), ErrInvalidSignature},
		{"trailing bytes after the witness", tr.String, "smp" + base64.StdEncoding.EncodeToString(
			append(encodeWitness(trSig), 0)), ErrMalformedSignature},
		{"truncated witness", tr.String, "smp" + base64.StdEncoding.EncodeToString(encodeWitness(trSig)[:40]), ErrMalformedSignature},
		{"unpadded base64", tr.String, "smpAA", ErrMalformedSignature},
		{"witness claims a huge item count", tr.String, "smp" + base64.StdEncoding.EncodeToString(
			[]byte{0xfe, 0xff, 0xff, 0xff, 0x7f}), ErrMalformedSignature},
		{"prefix only", tr.String, "smp", ErrMalformedSignature},
		{"proof of funds", tr.String, "pofAAAA", ErrUnsupported},
		{"simple signature for a P2PKH address", addressOf(t, txbuilder.P2PKH, k, net), enc(trSig), ErrInvalidSignature},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Verify(msg, c.addr, c.sig, net)
			if c.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
		})
	}
}

func TestVerifyLegacyEdges(t *testing.T) {
	net := &chaincfg.MainNetParams
	k := newKey(t)
	addr := addressOf(t, txbuilder.P2PKH, k, net)
	msg := []byte("legacy")
	sig, err := Sign(msg, addr, net, k, txbuilder.P2PKH)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sig)
	withHeader := func(h byte) string {
		b := append([]byte(nil), raw...)
		b[0] = h
		return base64.StdEncoding.EncodeToString(b)
	}
	for _, c := range []struct {
		name string
		sig  string
		want error
	}{
		{"uncompressed-key header recovers another address", withHeader(raw[0] - 4), ErrInvalidSignature},
		{"segwit (BIP137) header", withHeader(raw[0] + 8), ErrInvalidSignature},
		{"header below 27", withHeader(26), ErrInvalidSignature},
		{"64 bytes", base64.StdEncoding.EncodeToString(raw[:64]), ErrMalformedSignature},
		{"full prefix on a legacy signature", "ful" + sig, ErrMalformedSignature},
		{"proof-of-funds prefix", "pof" + sig, ErrUnsupported},
		{"empty", "", ErrMalformedSignature},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := Verify(msg, addr, c.sig, net); !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
		})
	}
	// An uncompressed-key legacy signature verifies for the uncompressed key's address.
	uncompressedScript := keys.P2PKHScript(address.Hash160(k.PubKey().SerializeUncompressed()))
	if err := verifyLegacy(msg, uncompressedScript, withHeader(raw[0]-4)); err != nil {
		t.Fatalf("uncompressed: %v", err)
	}
}

func TestVerifyBadAddress(t *testing.T) {
	k := newKey(t)
	testAddr := addressOf(t, txbuilder.P2WPKH, k, &chaincfg.TestNet3Params)
	sig, err := Sign([]byte("m"), testAddr, &chaincfg.TestNet3Params, k, txbuilder.P2WPKH)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify([]byte("m"), testAddr, sig, &chaincfg.MainNetParams); !errors.Is(err, waddress.ErrWrongNetwork) {
		t.Fatalf("testnet address on mainnet: %v", err)
	}
	if err := Verify([]byte("m"), "", sig, &chaincfg.MainNetParams); !errors.Is(err, waddress.ErrInvalid) {
		t.Fatalf("empty address: %v", err)
	}
}

func BenchmarkVerifyP2TR(b *testing.B) {
	k, err := btcec.NewPrivateKey()
	if err != nil {
		b.Fatal(err)
	}
	net := &chaincfg.MainNetParams
	d, err := keys.ScriptFor(txbuilder.P2TR, k.PubKey(), net)
	if err != nil {
		b.Fatal(err)
	}
	msg := []byte("benchmark")
	sig, err := Sign(msg, d.Address, net, k, txbuilder.P2TR)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Verify(msg, d.Address, sig, net); err != nil {
			b.Fatal(err)
		}
	}
}

// fullSig signs to_sign for a P2WPKH key with the given sighash type and version, as a full
// signature: BIP322's other rules are then the only difference from a valid one.
func fullSig(t *testing.T, k *btcec.PrivateKey, addr string, msg []byte, hashType txscript.SigHashType, version int32, witnessScript []byte) string {
	t.Helper()
	a, err := waddress.Decode(addr, &chaincfg.MainNetParams)
	if err != nil {
		t.Fatal(err)
	}
	toSign := BuildToSign(BuildToSpend(msg, a.PkScript), nil)
	toSign.Version = version
	fetcher := txscript.NewCannedPrevOutputFetcher(a.PkScript, 0)
	hashes := txscript.NewTxSigHashes(toSign, fetcher)
	if witnessScript != nil {
		sig, err := txscript.RawTxInWitnessSignature(toSign, hashes, 0, 0, witnessScript, hashType, k)
		if err != nil {
			t.Fatal(err)
		}
		toSign.TxIn[0].Witness = wire.TxWitness{sig, witnessScript}
	} else {
		w, err := txscript.WitnessSignature(toSign, hashes, 0, 0, a.PkScript, hashType, k, true)
		if err != nil {
			t.Fatal(err)
		}
		toSign.TxIn[0].Witness = w
	}
	var buf bytes.Buffer
	if err := toSign.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	return "ful" + base64.StdEncoding.EncodeToString(buf.Bytes())
}

// BIP322's rules for full signatures beyond the script engine: SIGHASH_ALL only, version 0 or
// 2 (others are inconclusive), no OP_CODESEPARATOR in a witness script; the time lock is
// reported.
func TestFullSignatureRules(t *testing.T) {
	net := &chaincfg.MainNetParams
	k := newKey(t)
	addr := addressOf(t, txbuilder.P2WPKH, k, net)
	msg := []byte("rules")
	if _, err := VerifyTimeLock(msg, addr, fullSig(t, k, addr, msg, txscript.SigHashAll, 0, nil), net); err != nil {
		t.Fatalf("SIGHASH_ALL, version 0: %v", err)
	}
	for _, ht := range []txscript.SigHashType{txscript.SigHashNone, txscript.SigHashSingle, txscript.SigHashAll | txscript.SigHashAnyOneCanPay} {
		if err := Verify(msg, addr, fullSig(t, k, addr, msg, ht, 0, nil), net); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("sighash %#x: %v, want ErrInvalidSignature", ht, err)
		}
	}
	for _, v := range []int32{1, 3, -1} {
		if err := Verify(msg, addr, fullSig(t, k, addr, msg, txscript.SigHashAll, v, nil), net); !errors.Is(err, ErrUnsupported) {
			t.Errorf("version %d: %v, want ErrUnsupported (inconclusive)", v, err)
		}
	}
	// P2WSH: <pk> CHECKSIG is fine; OP_CODESEPARATOR <pk> CHECKSIG is not.
	for _, sep := range []bool{false, true} {
		b := txscript.NewScriptBuilder()
		if sep {
			b.AddOp(txscript.OP_CODESEPARATOR)
		}
		ws, _ := b.AddData(k.PubKey().SerializeCompressed()).AddOp(txscript.OP_CHECKSIG).Script()
		h := sha256.Sum256(ws)
		wsh, err := address.NewAddressWitnessScriptHash(h[:], net)
		if err != nil {
			t.Fatal(err)
		}
		err = Verify(msg, wsh.EncodeAddress(), fullSig(t, k, wsh.EncodeAddress(), msg, txscript.SigHashAll, 0, ws), net)
		if sep != errors.Is(err, ErrInvalidSignature) || (!sep && err != nil) {
			t.Errorf("P2WSH, OP_CODESEPARATOR %v: %v", sep, err)
		}
	}
	// The vectors' time locks are reported.
	for _, c := range loadGenerated(t).Full {
		tl, err := VerifyTimeLock([]byte(c.Message), c.Address, c.Signatures[0], net)
		if err != nil || tl.LockTime != 2016 || tl.Sequence != 2016 || tl.Version != 2 {
			t.Errorf("%s: time lock %+v, %v; want locktime and sequence 2016, version 2", c.Type, tl, err)
		}
	}
}

// A P2WSH simple signature follows the same BIP322 rules as a full one: SIGHASH_ALL only.
func TestP2WSHSimpleSignatureRules(t *testing.T) {
	net := &chaincfg.MainNetParams
	k := newKey(t)
	msg := []byte("wsh")
	ws, _ := txscript.NewScriptBuilder().AddData(k.PubKey().SerializeCompressed()).AddOp(txscript.OP_CHECKSIG).Script()
	h := sha256.Sum256(ws)
	wsh, err := address.NewAddressWitnessScriptHash(h[:], net)
	if err != nil {
		t.Fatal(err)
	}
	addr := wsh.EncodeAddress()
	for _, ht := range []txscript.SigHashType{txscript.SigHashAll, txscript.SigHashNone} {
		full := fullSig(t, k, addr, msg, ht, 0, ws)
		raw, _ := base64.StdEncoding.DecodeString(full[3:])
		var tx wire.MsgTx
		if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
			t.Fatal(err)
		}
		simple := "smp" + base64.StdEncoding.EncodeToString(encodeWitness(tx.TxIn[0].Witness))
		err := Verify(msg, addr, simple, net)
		if (ht == txscript.SigHashAll) != (err == nil) {
			t.Errorf("sighash %#x: %v", ht, err)
		}
	}
}
