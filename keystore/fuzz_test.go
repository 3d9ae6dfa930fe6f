package keystore

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

// fuzzLimit keeps every unlock a fuzzer reaches cheap.
var fuzzLimit = KDFParams{Time: 2, MemoryKiB: 256, Threads: 2}

func addFixtureSeeds(f *testing.F) {
	for _, name := range []string{"keystore-v1.json", "keystore-v1-seed.json"} {
		data := readFile(f, filepath.Join("..", "testdata", name))
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte(`{"header":{"format":"satchel-keystore","version":2}}`))
	f.Add([]byte(`{}`))
}

// FuzzReadInfo feeds arbitrary bytes to the header parser: it must never panic, must
// only fail with a classified error, and anything it accepts must be canonical (encode
// reproduces the input exactly).
func FuzzReadInfo(f *testing.F) {
	addFixtureSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, resum(data)} {
			pf, err := parse("fuzz", d, KDFParams{})
			if err != nil {
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupportedVersion) && !errors.Is(err, ErrCostTooHigh) {
					t.Fatalf("unclassified error %v", err)
				}
				continue
			}
			if !bytes.Equal(pf.encode(), d) {
				t.Fatalf("accepted non-canonical input %q", d)
			}
			_ = pf.info()
		}
	})
}

// FuzzOpen runs the whole unlock (KDF, unwrap, decrypt, payload decode) on arbitrary
// bytes, also with the checksum repaired so mutations get past it. It must never panic
// and never open anything but an unmodified fixture.
func FuzzOpen(f *testing.F) {
	addFixtureSeeds(f)
	fixtures := [][]byte{
		readFile(f, filepath.Join("..", "testdata", "keystore-v1.json")),
		readFile(f, filepath.Join("..", "testdata", "keystore-v1-seed.json")),
	}
	cfg := newConfig([]Option{WithCostLimit(fuzzLimit)})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, resum(data)} {
			pf, err := parse("fuzz", d, cfg.limit)
			if err != nil {
				continue
			}
			dk, err := unwrap("fuzz", pf, []byte(testPass), cfg)
			if err != nil {
				if !errors.Is(err, ErrWrongPassphrase) {
					t.Fatalf("unwrap: %v", err)
				}
				continue
			}
			s, err := decrypt("fuzz", pf, dk)
			if err != nil {
				continue
			}
			s.Wipe()
			if !bytes.Equal(d, fixtures[0]) && !bytes.Equal(d, fixtures[1]) {
				t.Fatalf("opened a modified keystore: %q", d)
			}
		}
	})
}

// FuzzDecodePayload: the plaintext decoder never panics, and whatever it accepts
// re-encodes to the same bytes (the encoding is canonical).
func FuzzDecodePayload(f *testing.F) {
	f.Add(encodePayload(bip39Secret()))
	f.Add(encodePayload(seedSecret()))
	f.Add(encodePayload(&Secret{Kind: KindSeed, Seed: make([]byte, 64), BIP39Passphrase: bytes.Repeat([]byte("a"), 187)}))
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, pt []byte) {
		s, err := decodePayload(pt)
		if err != nil {
			return
		}
		if got := encodePayload(s); !bytes.Equal(got, pt) {
			t.Fatalf("decode/encode changed %x into %x", pt, got)
		}
	})
}
