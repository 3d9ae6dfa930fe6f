package setupfile

import (
	"errors"
	"strings"
	"testing"
)

// BIP129's unencrypted descriptor records (the NO_ENCRYPTION round 2 and the plaintext of the
// STANDARD round 2), and its record with bare public keys.
const (
	bip129NoEncryption = "BSMS 1.0\n" +
		"wsh(sortedmulti(2,[1cf0bf7e/48'/0'/0'/2']xpub6FL8FhxNNUVnG64YurPd16AfGyvFLhh7S2uSsDqR3Qfcm6o9jtcMYwh6DvmcBF9qozxNQmTCVvWtxLpKTnhVLN3Pgnu2D3pAoXYFgVyd8Yz/**,[4fc1dd4a/48'/0'/0'/2']xpub6EebMbEps7ZcV3FYEnddRsvrFWDrt2tiPmCeM7pPXQEmphvq9ZfJ1LWFUDjf3vxCeBuPrfyGrMazWUsYsetrnHatQZVLJH7LsgCjtMqdzgj/**))\n" +
		"/0/*,/1/*\n" +
		"bc1qrgc6p3kylfztu06ysl752gwwuekhvtfh9vr7zg43jvu60mutamcsv948ej"
	bip129Standard = "BSMS 1.0\n" +
		"wsh(sortedmulti(2,[b7868815/48'/0'/0'/2']xpub6FA5rfxJc94K1kNtxRby1hoHwi7YDyTWwx1KUR3FwskaF6HzCbZMz3zQwGnCqdiFeMTPV3YneTGS2YQPiuNYsSvtggWWMQpEJD4jXU7ZzEh/**,[eedff89a/48'/0'/0'/2']xpub6EhJvMneoLWAf8cuyLBLQiKiwh89RAmqXEqYeFuaCEHdHwxSRfzLrUxKXEBap7nZSHAYP7Jfq6gZmucotNzpMQ9Sb1nTqerqW8hrtmx6Y6o/**))\n" +
		"/0/*,/1/*\n" +
		"bc1qhs4u273g4azq7kqqpe6vh5wfhasfmrq7nheyzsnq77humd7rwtkqagvakf"
	bip129PublicKeys = "BSMS 1.0\n" +
		"wsh(sortedmulti(1,[59865f44/48'/0'/0'/2']026d15412460ba0d881c21837bb999233896085a9ed4e5445bd637c10e579768ba,[b7044ca6/48'/0'/0'/2']030baf0497ab406ff50cb48b4013abac8a0338758d2fd54cd934927afa57cc2062))#rzx9dffd\n" +
		"No path restrictions\n" +
		"bc1quqy523xu3l8che3s8vja8n33qtg0uyugr9l5z092s3wa50p8t7rqy6zumf"
)

// TestBSMSVectors reads BIP129's xpub records, checks their first addresses with an
// independent derivation, and writes them back byte for byte (plus a final newline).
func TestBSMSVectors(t *testing.T) {
	for name, rec := range map[string]string{"no encryption": bip129NoEncryption, "standard (plaintext)": bip129Standard} {
		t.Run(name, func(t *testing.T) {
			s, err := ParseBSMS([]byte(rec))
			if err != nil {
				t.Fatal(err)
			}
			if s.Threshold != 2 || len(s.Keys) != 2 || s.Network != Mainnet || s.Keys[0].Path != "m/48'/0'/0'/2'" {
				t.Fatalf("parsed %+v", s)
			}
			if err := s.VerifyFirstAddress(testDerive); err != nil {
				t.Fatal(err)
			}
			out, err := s.BSMS(testDerive)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != rec+"\n" {
				t.Fatalf("written:\n%s\nwant:\n%s", out, rec)
			}
		})
	}
}

// TestBSMSRefused: each record checks one failure.
func TestBSMSRefused(t *testing.T) {
	otherAddr := "bc1qhs4u273g4azq7kqqpe6vh5wfhasfmrq7nheyzsnq77humd7rwtkqagvakf"
	lines := strings.Split(bip129NoEncryption, "\n")
	with := func(i int, v string) string {
		l := append([]string(nil), lines...)
		l[i] = v
		return strings.Join(l, "\n")
	}
	for _, tc := range []struct {
		name, rec string
		class     error
		msg       string
	}{
		{"bare public keys", bip129PublicKeys, ErrUnsupported, "bare public key"},
		{"version 2.0", with(0, "BSMS 2.0"), ErrUnsupported, "BSMS 1.0"},
		{"no version line", with(0, "hello"), ErrInvalid, "starts with the line"},
		{"encrypted", "734ce791b466861945e1ef6f74c63faec590793de54831f0036b28d08714b71a273cad18a5e1eff3", ErrUnsupported, "encrypted"},
		{"key record", "BSMS 1.0\n00\n[1cf0bf7e/48'/0'/0'/2']xpub6FL8\nSigner 1 key\nIB7v", ErrInvalid, "key record"},
		{"three lines", strings.Join(lines[:3], "\n"), ErrInvalid, "4 lines"},
		{"other restrictions", with(2, "/0/*,/1/*,/2/*"), ErrUnsupported, "path restrictions"},
		{"no restrictions with a template", with(2, "No path restrictions"), ErrInvalid, "needs its path restrictions"},
		{"legacy first address", with(3, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"), ErrInvalid, "not a bech32 address"},
		{"testnet address, xpub keys", with(3, "tb1qrgc6p3kylfztu06ysl752gwwuekhvtfh9vr7zg43jvu60mutamcsaaaaaa"), ErrInvalid, "not a testnet key"},
		{"nested segwit", with(1, "sh(wsh(sortedmulti(2,[1cf0bf7e/48'/0'/0'/1']xpub6FL8/**)))"), ErrUnsupported, "nested"},
		{"first address of other keys", with(3, otherAddr), ErrFirstAddress, "the record says"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseBSMS([]byte(tc.rec))
			if err == nil {
				err = s.VerifyFirstAddress(testDerive)
			}
			if !errors.Is(err, tc.class) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %v with %q", err, tc.class, tc.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
	if _, _, err := Import([]byte(bip129NoEncryption), nil); !errors.Is(err, ErrNoDerivation) {
		t.Fatalf("import without derivation: %v", err)
	}
	if _, err := testSetup(t).BSMS(nil); !errors.Is(err, ErrNoDerivation) {
		t.Fatalf("export without derivation: %v", err)
	}
}
