package slip39

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2/hdkeychain"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// vector is one case of trezor/python-shamir-mnemonic's vectors.json, which SLIP-0039 names as
// its test vectors: description, mnemonics, master secret (empty: must fail), BIP32 xprv.
type vector struct {
	Description  string
	Mnemonics    []string
	MasterSecret string
	Xprv         string
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile("../../testdata/slip39-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw [][]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := make([]vector, len(raw))
	for i, r := range raw {
		if len(r) != 4 {
			t.Fatalf("vector %d has %d fields", i, len(r))
		}
		v := &out[i]
		for j, dst := range []any{&v.Description, &v.Mnemonics, &v.MasterSecret, &v.Xprv} {
			if err := json.Unmarshal(r[j], dst); err != nil {
				t.Fatalf("vector %d field %d: %v", i, j, err)
			}
		}
	}
	if len(out) != 45 {
		t.Fatalf("want 45 vectors, have %d", len(out))
	}
	return out
}

// wantClass maps the description of each failing vector to the error class it must give, so
// a vector cannot pass by failing for the wrong reason.
func wantClass(desc string) error {
	d := strings.ToLower(desc)
	for _, c := range []struct {
		key string
		err error
	}{
		{"invalid checksum", ErrBadChecksum},
		{"invalid padding", ErrBadPadding},
		{"different identifiers", ErrMismatch},
		{"different iteration exponents", ErrMismatch},
		{"mismatching group thresholds", ErrMismatch},
		{"mismatching group counts", ErrMismatch},
		{"greater group threshold than group counts", ErrInvalidShare},
		{"duplicate member indices", ErrDuplicateShare},
		{"mismatching member thresholds", ErrMismatch},
		{"invalid digest", ErrInvalidDigest},
		{"insufficient number of groups", ErrNotEnoughShares},
		{"insufficient number of members", ErrNotEnoughShares},
		{"insufficient length", ErrShareLength},
		{"invalid master secret length", ErrShareLength},
		{"basic sharing 2-of-3", ErrNotEnoughShares},
	} {
		if strings.Contains(d, c.key) {
			return c.err
		}
	}
	return nil
}

func TestVectors(t *testing.T) {
	pass := []byte("TREZOR")
	for _, v := range loadVectors(t) {
		t.Run(v.Description, func(t *testing.T) {
			got, err := Combine(v.Mnemonics, pass)
			if v.MasterSecret == "" {
				if err == nil {
					t.Fatalf("combined to %x, want an error", got)
				}
				want := wantClass(v.Description)
				if want == nil {
					t.Fatalf("no expected error class for this description; got %v", err)
				}
				if !errors.Is(err, want) {
					t.Fatalf("error %q is not %q", err, want)
				}
				t.Logf("rejected: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("Combine: %v", err)
			}
			if hex.EncodeToString(got) != v.MasterSecret {
				t.Fatalf("master secret %x, want %s", got, v.MasterSecret)
			}
			// hdkeychain directly: wallet/keys imports this package (to name shares given as seed words).
			m, err := hdkeychain.NewMaster(got, &chaincfg.MainNetParams)
			if err != nil {
				t.Fatal(err)
			}
			if m.String() != v.Xprv {
				t.Fatalf("xprv %s, want %s", m, v.Xprv)
			}
		})
	}
}

// TestVectorSharesReencode checks that every share of the vectors with a valid checksum
// decodes and encodes back to the same words, so Encode is the exact inverse of ParseShare.
func TestVectorSharesReencode(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t) {
		for _, m := range v.Mnemonics {
			s, err := ParseShare(m)
			if err != nil {
				continue
			}
			enc, err := s.Encode()
			if err != nil {
				t.Errorf("%s: Encode: %v", v.Description, err)
				continue
			}
			if enc != m {
				t.Errorf("%s: re-encoded\n%s\nwant\n%s", v.Description, enc, m)
			}
			n++
		}
	}
	if n < 60 {
		t.Fatalf("only %d shares parsed", n)
	}
}
