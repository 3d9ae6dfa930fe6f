package message

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/satchel-wallet/satchel/txbuilder"
	waddress "github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

var mainnet = &chaincfg.MainNetParams

// readJSON loads a vector file from the repository's top-level testdata.
func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type txHashCase struct {
	Message       string `json:"message"`
	Address       string `json:"address"`
	MessageHash   string `json:"message_hash"`
	ToSpendTxHash string `json:"to_spend_tx_hash"`
	ToSignTxHash  string `json:"to_sign_tx_hash"`
}

type signedCase struct {
	Message     string   `json:"message"`
	PrivateKeys []string `json:"private_keys"`
	Address     string   `json:"address"`
	Type        string   `json:"type"`
	Signatures  []string `json:"bip322_signatures"`
}

type errorCase struct {
	Description string `json:"description"`
	Message     string `json:"message"`
	Address     string `json:"address"`
	Signature   string `json:"signature"`
	ErrorSubstr string `json:"error_substr"`
}

type basicVectors struct {
	TxHashes []txHashCase `json:"tx_hashes"`
	Simple   []signedCase `json:"simple"`
	Error    []errorCase  `json:"error"`
}

type generatedVectors struct {
	Simple       []signedCase `json:"simple"`
	Full         []signedCase `json:"full"`
	ProofOfFunds []signedCase `json:"proof_of_funds"`
	Error        []errorCase  `json:"error"`
}

func loadBasic(t testing.TB) basicVectors {
	var v basicVectors
	readJSON(t, "bip322-vectors.json", &v)
	if len(v.TxHashes) != 3 || len(v.Simple) != 4 || len(v.Error) != 8 {
		t.Fatalf("unexpected vector counts %d/%d/%d", len(v.TxHashes), len(v.Simple), len(v.Error))
	}
	return v
}

func loadGenerated(t testing.TB) generatedVectors {
	var v generatedVectors
	readJSON(t, "bip322-generated-vectors.json", &v)
	if len(v.Simple) != 4 || len(v.Full) != 10 || len(v.ProofOfFunds) != 3 || len(v.Error) != 28 {
		t.Fatalf("unexpected vector counts %d/%d/%d/%d", len(v.Simple), len(v.Full), len(v.ProofOfFunds), len(v.Error))
	}
	return v
}

// checkTxHashes compares the message hash and the two virtual transactions' ids.
func checkTxHashes(t *testing.T, msg, addr, msgHash, toSpendID, toSignID string) {
	t.Helper()
	a, err := waddress.Decode(addr, mainnet)
	if err != nil {
		t.Fatal(err)
	}
	h := MessageHash([]byte(msg))
	if got := hex.EncodeToString(h[:]); got != msgHash {
		t.Errorf("message hash of %q = %s, want %s", msg, got, msgHash)
	}
	toSpend := BuildToSpend([]byte(msg), a.PkScript)
	if got := toSpend.TxHash().String(); got != toSpendID {
		t.Errorf("to_spend of %q = %s, want %s", msg, got, toSpendID)
	}
	if got := BuildToSign(toSpend, nil).TxHash().String(); got != toSignID {
		t.Errorf("to_sign of %q = %s, want %s", msg, got, toSignID)
	}
}

func TestTxHashes(t *testing.T) {
	for _, c := range loadBasic(t).TxHashes {
		checkTxHashes(t, c.Message, c.Address, c.MessageHash, c.ToSpendTxHash, c.ToSignTxHash)
	}
}

// legacyVectors are the pre-2026 inline BIP322 vectors: unprefixed simple signatures.
type legacyVectors struct {
	Address string `json:"address"`
	WIF     string `json:"private_key_wif"`
	Vectors []struct {
		Message     string   `json:"message"`
		MessageHash string   `json:"message_hash"`
		ToSpend     string   `json:"to_spend_txid"`
		ToSign      string   `json:"to_sign_txid"`
		Signatures  []string `json:"signatures"`
	} `json:"vectors"`
}

func TestPre2026UnprefixedVectors(t *testing.T) {
	var v legacyVectors
	readJSON(t, "bip322-legacy-vectors.json", &v)
	if len(v.Vectors) != 2 {
		t.Fatalf("%d vectors", len(v.Vectors))
	}
	for _, c := range v.Vectors {
		checkTxHashes(t, c.Message, v.Address, c.MessageHash, c.ToSpend, c.ToSign)
		for _, sig := range c.Signatures {
			if err := Verify([]byte(c.Message), v.Address, sig, mainnet); err != nil {
				t.Errorf("%q: unprefixed %s…: %v", c.Message, sig[:12], err)
			}
			if err := Verify([]byte(c.Message), v.Address, "smp"+sig, mainnet); err != nil {
				t.Errorf("%q: prefixed %s…: %v", c.Message, sig[:12], err)
			}
		}
	}
}

// supported reports whether Verify checks signatures of this vector type.
func supported(typ string) bool {
	return typ == "p2wpkh" || typ == "p2tr" || typ == "p2pkh" || strings.HasPrefix(typ, "p2wsh")
}

func TestSimpleVectors(t *testing.T) {
	cases := append(loadBasic(t).Simple, loadGenerated(t).Simple...)
	checked := 0
	for _, c := range cases {
		for _, sig := range c.Signatures {
			err := Verify([]byte(c.Message), c.Address, sig, mainnet)
			if !supported(c.Type) {
				if !errors.Is(err, ErrUnsupported) {
					t.Errorf("%s %q: error %v, want ErrUnsupported", c.Type, c.Message, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s %q %s…: %v", c.Type, c.Message, sig[:12], err)
			}
			checked++
		}
	}
	if checked != 10 {
		t.Fatalf("verified %d signatures, want 10 (p2wpkh, p2tr and p2wsh)", checked)
	}
}

// TestSignMatchesVectors: the vectors' keys make their addresses (for p2tr, as BIP86 internal
// keys), and Sign reproduces one of the vector's signatures exactly: btcd signs ECDSA with
// RFC6979 nonces and BIP340 with its deterministic nonce, as the vectors' generator (btcd's
// BIP322 code) did.
func TestSignMatchesVectors(t *testing.T) {
	cases := append(loadBasic(t).Simple, loadGenerated(t).Simple...)
	for _, c := range cases {
		var typ txbuilder.ScriptType
		switch c.Type {
		case "p2wpkh":
			typ = txbuilder.P2WPKH
		case "p2tr":
			typ = txbuilder.P2TR
		default:
			continue
		}
		wif, err := btcutil.DecodeWIF(c.PrivateKeys[0])
		if err != nil {
			t.Fatal(err)
		}
		d, err := keys.ScriptFor(typ, wif.PrivKey.PubKey(), mainnet)
		if err != nil || d.Address != c.Address {
			t.Fatalf("%s key gives %s (%v), want %s", c.Type, d.Address, err, c.Address)
		}
		sig, err := Sign([]byte(c.Message), c.Address, mainnet, wif.PrivKey, typ)
		if err != nil {
			t.Fatalf("%s %q: %v", c.Type, c.Message, err)
		}
		if err := Verify([]byte(c.Message), c.Address, sig, mainnet); err != nil {
			t.Fatalf("%s %q: own signature: %v", c.Type, c.Message, err)
		}
		same := false
		for _, want := range c.Signatures {
			same = same || strings.TrimPrefix(want, "smp") == strings.TrimPrefix(sig, "smp")
		}
		if !same {
			t.Errorf("%s %q: Sign = %s, not one of %v", c.Type, c.Message, sig, c.Signatures)
		}
	}
}

// wantErrorClass is the class an error vector must fail with under satchel's rules.
func wantErrorClass(t *testing.T, c errorCase) error {
	t.Helper()
	a, err := waddress.Decode(c.Address, mainnet)
	if err != nil {
		t.Fatalf("%s: vector address: %v", c.Description, err)
	}
	switch {
	case strings.HasPrefix(c.Signature, "pof"):
		return ErrUnsupported
	case a.Type == txbuilder.P2SH && !strings.HasPrefix(c.Signature, "ful"):
		return ErrInvalidSignature // a simple signature cannot carry P2SH's scriptSig
	case c.ErrorSubstr == "invalid signature":
		return ErrInvalidSignature
	}
	return ErrMalformedSignature
}

func TestErrorVectors(t *testing.T) {
	cases := append(loadBasic(t).Error, loadGenerated(t).Error...)
	for _, c := range cases {
		t.Run(c.Description, func(t *testing.T) {
			err := Verify([]byte(c.Message), c.Address, c.Signature, mainnet)
			if err == nil {
				t.Fatal("verified, want an error")
			}
			if want := wantErrorClass(t, c); !errors.Is(err, want) {
				t.Fatalf("error %v, want class %v", err, want)
			}
			t.Logf("rejected (BIP322 reference says %q): %v", c.ErrorSubstr, err)
		})
	}
}

// TestFullVectors: every full signature of the vectors verifies (P2PKH, P2WPKH, P2TR, P2SH-
// P2WPKH, P2WSH and P2SH multisig, time-locked taproot and P2WSH scripts), and fails for
// another message or for another address of the same kind.
func TestFullVectors(t *testing.T) {
	g := loadGenerated(t)
	checked := 0
	for i, c := range g.Full {
		other := g.Full[(i+1)%len(g.Full)].Address
		for _, sig := range c.Signatures {
			if err := Verify([]byte(c.Message), c.Address, sig, mainnet); err != nil {
				t.Errorf("%s %s…: %v", c.Type, sig[:12], err)
			}
			if err := Verify([]byte(c.Message+"!"), c.Address, sig, mainnet); !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("%s, another message: %v, want ErrInvalidSignature", c.Type, err)
			}
			if err := Verify([]byte(c.Message), other, sig, mainnet); !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("%s, for %s: %v, want ErrInvalidSignature", c.Type, other, err)
			}
			checked++
		}
	}
	if checked != 10 {
		t.Fatalf("verified %d full signatures, want 10", checked)
	}
}

// TestProofOfFundsRefused: valid proof-of-funds signatures are refused as unsupported, never
// reported as invalid (they may well be valid) nor accepted.
func TestProofOfFundsRefused(t *testing.T) {
	for _, c := range loadGenerated(t).ProofOfFunds {
		for _, sig := range c.Signatures {
			err := Verify([]byte(c.Message), c.Address, sig, mainnet)
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s %s…: error %v, want ErrUnsupported", c.Type, sig[:6], err)
			}
		}
	}
}

// TestFullSignatureForNestedSegwit: Sign makes a full signature for a P2SH-P2WPKH address
// (the vector's key), which verifies, and which a change to any part of the transaction
// breaks.
func TestFullSignatureForNestedSegwit(t *testing.T) {
	var c signedCase
	for _, v := range loadGenerated(t).Full {
		if v.Type == "p2sh-p2wpkh" {
			c = v
		}
	}
	wif, err := btcutil.DecodeWIF(c.PrivateKeys[0])
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte(c.Message)
	sig, err := Sign(msg, c.Address, mainnet, wif.PrivKey, txbuilder.P2SHP2WPKH)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sig, "ful") {
		t.Fatalf("signature %s… is not a full one", sig[:6])
	}
	if err := Verify(msg, c.Address, sig, mainnet); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(sig[3:])
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		bad := append([]byte{}, raw...)
		bad[i] ^= 0x01
		if Verify(msg, c.Address, "ful"+base64.StdEncoding.EncodeToString(bad), mainnet) == nil {
			t.Fatalf("flipping a bit of byte %d still verifies", i)
		}
	}
	if err := Verify(msg, c.Address, sig+"AA==", mainnet); !errors.Is(err, ErrMalformedSignature) {
		t.Fatalf("trailing bytes: %v", err)
	}
	// The key's P2SH address takes no simple signature, and Sign refuses another type's key.
	if err := Verify(msg, c.Address, "smp"+sig[3:], mainnet); !errors.Is(err, ErrMalformedSignature) && !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("simple prefix on a full body: %v", err)
	}
	if _, err := Sign(msg, c.Address, mainnet, wif.PrivKey, txbuilder.P2WPKH); !errors.Is(err, ErrKeyMismatch) {
		t.Fatalf("P2WPKH type for a P2SH address: %v", err)
	}
}

// coreVector is Bitcoin Core's signmessagewithprivkey functional-test vector.
type coreVector struct {
	WIF       string `json:"private_key_wif"`
	Address   string `json:"address"`
	Message   string `json:"message"`
	Signature string `json:"signature"`
	Malformed string `json:"malformed_signature"`
}

func TestLegacyCoreVector(t *testing.T) {
	var v coreVector
	readJSON(t, "signmessage-core-vectors.json", &v)
	net := &chaincfg.TestNet3Params
	wif, err := btcutil.DecodeWIF(v.WIF)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte(v.Message)
	if err := Verify(msg, v.Address, v.Signature, net); err != nil {
		t.Fatalf("Core's signature: %v", err)
	}
	sig, err := Sign(msg, v.Address, net, wif.PrivKey, txbuilder.P2PKH)
	if err != nil {
		t.Fatal(err)
	}
	if sig != v.Signature {
		t.Errorf("Sign = %s, want Core's %s (both RFC6979)", sig, v.Signature)
	}
	if err := Verify(msg, v.Address, v.Malformed, net); !errors.Is(err, ErrMalformedSignature) {
		t.Errorf("malformed signature: %v", err)
	}
	// Core refuses the signature for the key's segwit addresses; BIP322 restricts legacy
	// signatures to P2PKH.
	for _, typ := range []txbuilder.ScriptType{txbuilder.P2SHP2WPKH, txbuilder.P2WPKH} {
		d, err := keys.ScriptFor(typ, wif.PrivKey.PubKey(), net)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(msg, d.Address, v.Signature, net); !errors.Is(err, ErrUnsupported) {
			t.Errorf("legacy signature for %s address %s: %v, want ErrUnsupported", typ, d.Address, err)
		}
	}
}
