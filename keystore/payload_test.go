package keystore

import (
	"bytes"
	"errors"
	"testing"
)

func TestPayloadRoundTripAndPadding(t *testing.T) {
	tests := []struct {
		name    string
		s       *Secret
		wantLen int
	}{
		{"12 words", &Secret{Kind: KindBIP39, Mnemonic: []byte(testMnemonic)}, 256},
		{"seed 16", seedSecret(), 256},
		// 1 + 2 + 64 + 2 + 187 = 256 exactly: no padding at all.
		{"exactly one block", &Secret{Kind: KindSeed, Seed: make([]byte, 64), BIP39Passphrase: bytes.Repeat([]byte("a"), 187)}, 256},
		{"one byte over a block", &Secret{Kind: KindSeed, Seed: make([]byte, 64), BIP39Passphrase: bytes.Repeat([]byte("a"), 188)}, 512},
		{"largest", &Secret{Kind: KindBIP39, Mnemonic: largestMnemonic(), BIP39Passphrase: bytes.Repeat([]byte("z"), maxPassphraseLen)}, maxPlaintext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := tt.s.validate(); msg != "" {
				t.Fatal(msg)
			}
			pt := encodePayload(tt.s)
			if len(pt) != tt.wantLen {
				t.Fatalf("plaintext %d bytes, want %d", len(pt), tt.wantLen)
			}
			got, err := decodePayload(pt)
			if err != nil {
				t.Fatal(err)
			}
			sameSecret(t, got, tt.s)
			clear(pt)
			sameSecret(t, got, tt.s) // still intact: nothing aliases the wiped buffer

		})
	}
}

// largestMnemonic is 12 words totalling exactly maxMnemonicLen bytes.
func largestMnemonic() []byte {
	words := make([][]byte, 12)
	for i := range 11 {
		words[i] = bytes.Repeat([]byte("x"), 85)
	}
	words[11] = bytes.Repeat([]byte("y"), maxMnemonicLen-11*85-11)
	return bytes.Join(words, []byte(" "))
}

func TestPayloadDecodeRejectsMalformed(t *testing.T) {
	good := encodePayload(seedSecret()) // 01 0010 <16> 0000 <zeros…>
	mod := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		pt   []byte
	}{
		{"empty", nil},
		{"short", good[:255]},
		{"not a block multiple", append(append([]byte(nil), good...), 0)},
		{"too long", make([]byte, maxPlaintext+padBlock)},
		{"nonzero padding", mod(func(b []byte) []byte { b[len(b)-1] = 1; return b })},
		{"excess padding block", append(append([]byte(nil), good...), make([]byte, padBlock)...)},
		{"secret length past end", mod(func(b []byte) []byte { b[1], b[2] = 0xff, 0xff; return b })},
		{"passphrase length past end", mod(func(b []byte) []byte { b[19], b[20] = 0x01, 0x00; return b })},
		{"seed too short", mod(func(b []byte) []byte { b[2] = 15; b[18] = 0; return b })},
		{"bip39 kind with seed bytes", mod(func(b []byte) []byte { b[0] = kindByteBIP39; return b })},
		{"kind zero", mod(func(b []byte) []byte { b[0] = 0; return b })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := decodePayload(tt.pt); err == nil {
				t.Fatalf("decoded %+v", s)
			}
		})
	}
	var uk errUnknownKind
	if _, err := decodePayload(mod(func(b []byte) []byte { b[0] = 9; return b })); !errors.As(err, &uk) || byte(uk) != 9 {
		t.Fatalf("unknown kind: %v", err)
	}
}
