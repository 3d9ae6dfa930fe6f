package setupfile

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// BIP129's STANDARD encryption vectors: TOKEN, keys, the signer 1 key record and the
// coordinator's descriptor record, each with its .dat.
const (
	bip129TokenHex     = "a54044308ceac9b7"
	bip129TokenDecimal = "11907592390080907703"
	bip129EncKey       = "7673ffd9efd70336a5442eda0b31457f7b6cdf7b42fe17f274434df55efa9839"
	bip129HMACKey      = "3d4c422806ba8964c9ee45070cd675c024d96648a0ddb4001325818c84951de2"
	bip129Signer1Key   = "BSMS 1.0\na54044308ceac9b7\n[b7868815/48'/0'/0'/2']xpub6FA5rfxJc94K1kNtxRby1hoHwi7YDyTWwx1KUR3FwskaF6HzCbZMz3zQwGnCqdiFeMTPV3YneTGS2YQPiuNYsSvtggWWMQpEJD4jXU7ZzEh\nSigner 1 key\nH8DYht5P6ko0bQqDV6MtUxpzBSK+aVHxbvMavA5byvLrOlCEGmO1WFR7k2wu42J6dxXD8vrmDQSnGq5MTMMbZ98="
	bip129Signer1Dat   = "fbdbdb64e6a8231c342131d9f13dcd5a954b4c5021658fa5afcb3fc74dc8270653f491cfd1431c292d922ea5a5dec3eb8ddaa6ed38ae109e7b040f0f23013e89a89b4d27476761a01197a3277850b2bc1621ae626efe65f2081eec6eb571c4f787bf1c49d061b43f70fd73cb3f37fa591d2400973ac0644c8941a83f1d4155e98f01fa2fdeb9f86c2e2413154fd18566a28fb0d9d8bd6172efabcfa6dab09ee7029bf3dd43376df52c118a6d291ec168f4ec7f7df951dfc6135fd8cb4b234da62eaea6017dfe5ca418f083e02e3aba2962ba313ba17b6468c7672fb218329a9f3fe4e4887fb87dac57c63ebff0e715a44498d18de8afc10e1cfeb46a1fc65ce871fef8a43b289305433a90c342d025aa4c19454fcfbcf911e9e2f928d5affd0536a6ddc2e816"
	bip129WalletDat    = "734ce791b466861945e1ef6f74c63faec590793de54831f0036b28d08714b71a273cad18a5e1eff37dba6d850749594c9a3fd32b2069e8c69983ea269c5044b6bcaea26d9dbc8ad5d28bb8abfa02e3bfc7632fcc5c2b76e9abb1982ff11295858cfe44a8b97110ae970f58fff3fb6477f38ca9609eec78eedb1d640eaba489fd5e41e787b8d0bde48f1fa99cca641cabbee0f513fb1040cb73df10a57c9a34e4efcb069cd4c75467442c15d878ed9f40e3dffb98294931a6da4f444ae46f739b7fe002ce19fcfe71b05b9783d797ba45d568febbc8a2b0850da67f349d8567342352e1712c3d2a7ea1b2721df5efdb844431f0e5dcfa4acacb194c20785c9bb6dde90d64352fc913e9073b3b416be713bcc7632c821bbfddafa6199d471c54fb899f347f5fc706787ccaa82332dc8b93aeb3de3497d8e5c75f0f5d718c74bc6f8194fe999948e517f1c98398d9cb907d200f1d045394704b074dfb10e587f54fd78e95ef4bcbe77bf1376b390c3f47c91c12b2ed14073ea56bceab41f924302e62183c456b06d96b3da30439cb4320c764a0d6d1b3dabc06fc"
)

func TestBSMSEncryptionVectors(t *testing.T) {
	token, err := ParseBSMSToken(bip129TokenHex)
	if err != nil {
		t.Fatal(err)
	}
	if dec, err := ParseBSMSToken(bip129TokenDecimal); err != nil || hex.EncodeToString(dec) != bip129TokenHex {
		t.Fatalf("decimal token: %x, %v", dec, err)
	}
	enc, mac, err := bsmsKeys(token)
	if err != nil || hex.EncodeToString(enc) != bip129EncKey || hex.EncodeToString(mac) != bip129HMACKey {
		t.Fatalf("keys %x %x %v", enc, mac, err)
	}
	for name, tc := range map[string]struct{ plain, dat string }{
		"signer 1 key record": {bip129Signer1Key, bip129Signer1Dat},
		"descriptor record":   {bip129Standard, bip129WalletDat},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := EncryptBSMS([]byte(tc.plain), token)
			if err != nil || string(got) != tc.dat {
				t.Fatalf("encrypted %s, %v", got, err)
			}
			pt, err := DecryptBSMS([]byte(tc.dat+"\n"), token)
			if err != nil || string(pt) != tc.plain {
				t.Fatalf("decrypted %q, %v", pt, err)
			}
		})
	}
	// The decrypted descriptor record reads as a setup, its first address checked.
	pt, _ := DecryptBSMS([]byte(bip129WalletDat), token)
	if _, s, err := Import(pt, testDerive); err != nil || s.Threshold != 2 {
		t.Fatalf("import: %v", err)
	}
}

func TestBSMSDecryptRefused(t *testing.T) {
	token, _ := ParseBSMSToken(bip129TokenHex)
	other, _ := ParseBSMSToken("0000000000000001")
	flipped := []byte(bip129WalletDat)
	flipped[100] ^= 1 // a hex digit of the ciphertext
	for name, tc := range map[string]struct {
		data  string
		token []byte
		msg   string
	}{
		"wrong token": {bip129WalletDat, other, "does not open"},
		"altered":     {string(flipped), token, "does not open"},
		"not hex":     {"BSMS 1.0\n", token, "is hex"},
		"only a MAC":  {bip129WalletDat[:64], token, "is hex"},
		"odd hex":     {bip129WalletDat[:101], token, "is hex"},
	} {
		t.Run(name, func(t *testing.T) {
			pt, err := DecryptBSMS([]byte(tc.data), tc.token)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) || pt != nil {
				t.Fatalf("%q, %v", pt, err)
			}
		})
	}
	for _, bad := range []string{"", "0", "00", "xyz", "a54044308ceac9b", "340282366920938463463374607431768211456"} {
		if _, err := ParseBSMSToken(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("token %q accepted", bad)
		}
	}
}

func FuzzDecryptBSMS(f *testing.F) {
	f.Add([]byte(bip129WalletDat), []byte(bip129TokenHex))
	f.Add([]byte(bip129Signer1Dat), []byte("0"))
	f.Fuzz(func(t *testing.T, data, tokenText []byte) {
		token, err := ParseBSMSToken(string(tokenText))
		if err != nil {
			return
		}
		pt, err := DecryptBSMS(data, token)
		if err != nil {
			return
		}
		// What opens re-encrypts to the same hex (the IV is the MAC, so encryption is
		// deterministic).
		again, err := EncryptBSMS(pt, token)
		if err != nil || !strings.EqualFold(string(again), strings.TrimSpace(string(data))) {
			t.Fatalf("re-encrypted %s, %v", again, err)
		}
	})
}
