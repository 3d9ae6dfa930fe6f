package slip39

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	mrand "math/rand/v2"
	"testing"
)

var testSecret16 = bytes.Repeat([]byte{0xab, 0x01}, 8)

// pick returns a random choice of k shares from each listed group, in a shuffled order.
func pick(r *mrand.Rand, shares [][]string, want map[int]int) []string {
	var out []string
	for g, k := range want {
		idx := r.Perm(len(shares[g]))[:k]
		for _, i := range idx {
			out = append(out, shares[g][i])
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestSplitCombineRoundTrip(t *testing.T) {
	r := mrand.New(mrand.NewPCG(1, 2))
	secret32 := make([]byte, 32)
	if _, err := rand.Read(secret32); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		secret []byte
		gt     int
		groups []Group
		ext    bool
		use    []map[int]int // group -> number of shares taken, one combination per entry
	}{
		{"1-of-1", testSecret16, 1, []Group{{1, 1}}, true, []map[int]int{{0: 1}}},
		{"1-of-1 not extendable", secret32, 1, []Group{{1, 1}}, false, []map[int]int{{0: 1}}},
		{"2-of-3 extendable", testSecret16, 1, []Group{{2, 3}}, true, []map[int]int{{0: 2}, {0: 2}, {0: 2}}},
		{"2-of-3 not extendable", secret32, 1, []Group{{2, 3}}, false, []map[int]int{{0: 2}, {0: 2}}},
		{"3-of-5", secret32, 1, []Group{{3, 5}}, true, []map[int]int{{0: 3}, {0: 3}}},
		{"2 groups [2-of-3, 1-of-1] both needed", testSecret16, 2, []Group{{2, 3}, {1, 1}}, true,
			[]map[int]int{{0: 2, 1: 1}, {0: 2, 1: 1}}},
		{"2 groups [2-of-3, 1-of-1] either enough", secret32, 1, []Group{{2, 3}, {1, 1}}, false,
			[]map[int]int{{0: 2}, {1: 1}}},
		{"2 of 3 groups", testSecret16, 2, []Group{{2, 3}, {3, 5}, {1, 1}}, true,
			[]map[int]int{{0: 2, 1: 3}, {1: 3, 2: 1}, {0: 2, 2: 1}}},
		{"16 members", testSecret16, 1, []Group{{16, 16}}, true, []map[int]int{{0: 16}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pass := []byte("correct horse")
			shares, err := Split(c.secret, pass, c.gt, c.groups, 0, c.ext, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if len(shares) != len(c.groups) {
				t.Fatalf("%d groups of shares, want %d", len(shares), len(c.groups))
			}
			for g, grp := range c.groups {
				if len(shares[g]) != grp.Count {
					t.Fatalf("group %d has %d shares, want %d", g, len(shares[g]), grp.Count)
				}
				for _, m := range shares[g] {
					s, err := ParseShare(m)
					if err != nil {
						t.Fatal(err)
					}
					if s.Extendable != c.ext || s.GroupIndex != g || s.GroupThreshold != c.gt ||
						s.GroupCount != len(c.groups) || s.MemberThreshold != grp.Threshold {
						t.Fatalf("share header %+v", s)
					}
				}
			}
			for _, use := range c.use {
				subset := pick(r, shares, use)
				got, err := Combine(subset, pass)
				if err != nil {
					t.Fatalf("Combine(%d shares): %v", len(subset), err)
				}
				if !bytes.Equal(got, c.secret) {
					t.Fatalf("combined %x, want %x", got, c.secret)
				}
				// SLIP-39 cannot tell a wrong passphrase: it decrypts to another secret.
				other, err := Combine(subset, []byte("correct horse "))
				if err != nil {
					t.Fatalf("wrong passphrase gave an error: %v", err)
				}
				if bytes.Equal(other, c.secret) {
					t.Fatal("wrong passphrase gave the right secret")
				}
			}
		})
	}
}

// idReader gives a fixed identifier and then fails, so a 1-of-1 split (which needs no other
// randomness) is reproducible.
func idReader(id uint16) io.Reader { return bytes.NewReader([]byte{byte(id >> 8), byte(id)}) }

// TestSplitReproducesVectors: a 1-of-1 share is fully determined by the secret, passphrase,
// identifier, exponent and flag, so Split must rebuild the vectors' single shares word for word.
// This checks the encryption direction, which Combine alone does not.
func TestSplitReproducesVectors(t *testing.T) {
	n := 0
	for _, v := range loadVectors(t) {
		if v.MasterSecret == "" || len(v.Mnemonics) != 1 {
			continue
		}
		s, err := ParseShare(v.Mnemonics[0])
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := hex.DecodeString(v.MasterSecret)
		got, err := Split(ms, []byte("TREZOR"), 1, []Group{{1, 1}}, s.IterationExponent, s.Extendable, idReader(s.Identifier))
		if err != nil {
			t.Fatalf("%s: %v", v.Description, err)
		}
		if got[0][0] != v.Mnemonics[0] {
			t.Errorf("%s: split gave\n%s\nwant\n%s", v.Description, got[0][0], v.Mnemonics[0])
		}
		n++
	}
	if n != 4 {
		t.Fatalf("checked %d single-share vectors, want 4", n)
	}
}

// TestExtendableSharesAcrossSets: two extendable share sets of one secret and passphrase have
// different identifiers, each recovers the secret, and they do not mix.
func TestExtendableSharesAcrossSets(t *testing.T) {
	a, err := Split(testSecret16, nil, 1, []Group{{2, 3}}, 0, true, idAndRandom(100))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Split(testSecret16, nil, 1, []Group{{2, 3}}, 0, true, idAndRandom(200))
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range [][]string{a[0][:2], b[0][1:]} {
		got, err := Combine(set, nil)
		if err != nil || !bytes.Equal(got, testSecret16) {
			t.Fatalf("Combine = %x, %v", got, err)
		}
	}
	_, err = Combine([]string{a[0][0], b[0][1]}, nil)
	var me *MismatchError
	if !errors.As(err, &me) || me.Field != "identifier" || me.Share != 2 {
		t.Fatalf("mixing sets: %v, want an identifier mismatch at share 2", err)
	}
}

// TestIdentifierSaltsNonExtendable: without the extendable flag the identifier is part of the
// encryption, so the same secret gives different 1-of-1 share values under two identifiers,
// while with the flag the values are equal.
func TestIdentifierSaltsNonExtendable(t *testing.T) {
	value := func(id uint16, ext bool) []byte {
		m, err := Split(testSecret16, nil, 1, []Group{{1, 1}}, 0, ext, idReader(id))
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseShare(m[0][0])
		if err != nil {
			t.Fatal(err)
		}
		return s.Value
	}
	if bytes.Equal(value(1, false), value(2, false)) {
		t.Error("non-extendable: identifier does not change the encrypted secret")
	}
	if !bytes.Equal(value(1, true), value(2, true)) {
		t.Error("extendable: identifier changes the encrypted secret")
	}
}

// idAndRandom gives a fixed identifier, then real randomness.
func idAndRandom(id uint16) io.Reader { return io.MultiReader(idReader(id), rand.Reader) }

func TestCombineErrors(t *testing.T) {
	twoGroups, err := Split(testSecret16, nil, 2, []Group{{2, 3}, {1, 1}}, 0, true, idAndRandom(1))
	if err != nil {
		t.Fatal(err)
	}
	other, err := Split(testSecret16, nil, 2, []Group{{2, 3}, {1, 1}}, 0, true, idAndRandom(2))
	if err != nil {
		t.Fatal(err)
	}
	g0, g1 := twoGroups[0], twoGroups[1]

	// A share whose value is changed and whose checksum is recomputed: only the digest can
	// catch it.
	forged, err := ParseShare(g0[1])
	if err != nil {
		t.Fatal(err)
	}
	forged.Value[3] ^= 0x40
	forgedMnemonic, err := forged.Encode()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("no shares", func(t *testing.T) {
		if _, err := Combine(nil, nil); !errors.Is(err, ErrNotEnoughShares) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("missing group and missing member are both reported", func(t *testing.T) {
		_, err := Combine([]string{g0[0]}, nil)
		var ne *NotEnoughSharesError
		if !errors.As(err, &ne) || ne.Group != GroupLevel || ne.Have != 1 || ne.Need != 2 {
			t.Fatalf("%v: want group-level 1 of 2 first", err)
		}
		var joined interface{ Unwrap() []error }
		if !errors.As(err, &joined) || len(joined.Unwrap()) != 2 {
			t.Fatalf("%v: want two joined problems", err)
		}
		var member *NotEnoughSharesError
		if !errors.As(joined.Unwrap()[1], &member) || member.Group != 0 || member.Have != 1 || member.Need != 2 {
			t.Fatalf("%v: want group 0 has 1 of 2", err)
		}
	})
	t.Run("one member missing", func(t *testing.T) {
		_, err := Combine([]string{g1[0], g0[2]}, nil)
		want := &NotEnoughSharesError{Group: 0, Have: 1, Need: 2}
		var ne *NotEnoughSharesError
		if !errors.As(err, &ne) || *ne != *want {
			t.Fatalf("%v, want %v", err, want)
		}
		t.Log(err)
	})
	t.Run("too many members", func(t *testing.T) {
		_, err := Combine([]string{g0[0], g0[1], g0[2], g1[0]}, nil)
		var te *TooManySharesError
		if !errors.As(err, &te) || te.Group != 0 || te.Have != 3 || te.Need != 2 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("share typed twice", func(t *testing.T) {
		_, err := Combine([]string{g0[0], g1[0], g0[0]}, nil)
		var de *DuplicateShareError
		if !errors.As(err, &de) || !de.Identical || de.First != 1 || de.Second != 3 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("two different shares with one index", func(t *testing.T) {
		_, err := Combine([]string{g0[1], forgedMnemonic, g1[0]}, nil)
		var de *DuplicateShareError
		if !errors.As(err, &de) || de.Identical || de.MemberIndex != 1 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("share from another backup", func(t *testing.T) {
		_, err := Combine([]string{g0[0], g0[1], other[1][0]}, nil)
		var me *MismatchError
		if !errors.As(err, &me) || me.Share != 3 || me.Field != "identifier" || me.Want != 1 || me.Got != 2 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("forged share fails the digest", func(t *testing.T) {
		_, err := Combine([]string{g0[0], forgedMnemonic, g1[0]}, nil)
		if !errors.Is(err, ErrInvalidDigest) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("bad word names share and word", func(t *testing.T) {
		_, err := Combine([]string{g0[0], "bitcoin " + g0[1], g1[0]}, nil)
		var se *ShareError
		var we *WordError
		if !errors.As(err, &se) || se.Share != 2 || !errors.As(err, &we) || we.Position != 1 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("non-ASCII passphrase", func(t *testing.T) {
		if _, err := Combine([]string{g0[0], g0[1], g1[0]}, []byte("pässword")); !errors.Is(err, ErrBadPassphrase) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("control character in passphrase", func(t *testing.T) {
		if _, err := Combine([]string{g0[0], g0[1], g1[0]}, []byte("a\nb")); !errors.Is(err, ErrBadPassphrase) {
			t.Fatalf("%v", err)
		}
	})
}

func TestSplitRefuses(t *testing.T) {
	for _, c := range []struct {
		name   string
		secret []byte
		pass   string
		gt     int
		groups []Group
		e      int
		want   error
	}{
		{"secret of 14 bytes", make([]byte, 14), "", 1, []Group{{1, 1}}, 0, ErrSecretLength},
		{"secret of odd length", make([]byte, 17), "", 1, []Group{{1, 1}}, 0, ErrSecretLength},
		{"no groups", testSecret16, "", 1, nil, 0, ErrBadScheme},
		{"17 groups", testSecret16, "", 1, make([]Group, 17), 0, ErrBadScheme},
		{"group threshold 0", testSecret16, "", 0, []Group{{1, 1}}, 0, ErrBadScheme},
		{"group threshold above group count", testSecret16, "", 2, []Group{{1, 1}}, 0, ErrBadScheme},
		{"member threshold above count", testSecret16, "", 1, []Group{{3, 2}}, 0, ErrBadScheme},
		{"17 members", testSecret16, "", 1, []Group{{2, 17}}, 0, ErrBadScheme},
		{"1-of-2 group", testSecret16, "", 1, []Group{{1, 2}}, 0, ErrBadScheme},
		{"iteration exponent 16", testSecret16, "", 1, []Group{{1, 1}}, 16, ErrBadScheme},
		{"negative iteration exponent", testSecret16, "", 1, []Group{{1, 1}}, -1, ErrBadScheme},
		{"non-ASCII passphrase", testSecret16, "naïve", 1, []Group{{1, 1}}, 0, ErrBadPassphrase},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Split(c.secret, []byte(c.pass), c.gt, c.groups, c.e, true, rand.Reader)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
		})
	}
	if _, err := Split(testSecret16, nil, 1, []Group{{1, 1}}, 0, true, nil); err == nil {
		t.Error("nil randomness accepted")
	}
	if _, err := Split(testSecret16, nil, 1, []Group{{2, 3}}, 0, true, bytes.NewReader([]byte{1, 2, 3})); err == nil {
		t.Error("short randomness accepted")
	}
}

func BenchmarkCombine2of3(b *testing.B) {
	shares, err := Split(testSecret16, nil, 1, []Group{{2, 3}}, 0, true, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Combine(shares[0][:2], nil); err != nil {
			b.Fatal(err)
		}
	}
}
