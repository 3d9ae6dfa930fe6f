package wallet

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/slip39"
)

type trezorVector struct {
	desc   string
	shares []string
	secret string
}

func trezorVectors(t *testing.T) []trezorVector {
	t.Helper()
	raw, err := os.ReadFile("../testdata/slip39-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	var out []trezorVector
	for _, r := range rows {
		var v trezorVector
		json.Unmarshal(r[0], &v.desc)
		json.Unmarshal(r[1], &v.shares)
		json.Unmarshal(r[2], &v.secret)
		out = append(out, v)
	}
	return out
}

// Given one at a time, the shares of every valid vector complete the set exactly at the last
// share and recover the vector's master secret; invalid vectors are refused on the way or at
// the end.
func TestShareSetTrezorVectors(t *testing.T) {
	for _, v := range trezorVectors(t) {
		var s ShareSet
		var err error
		for _, m := range v.shares {
			if _, err = s.Add(m); err != nil {
				break
			}
		}
		if v.secret == "" {
			if err == nil {
				_, err = s.Recover([]byte("TREZOR"))
			}
			if err == nil {
				t.Errorf("%s: accepted", v.desc)
			}
			continue
		}
		if err != nil || !s.Complete() {
			t.Errorf("%s: %v, complete %v", v.desc, err, s.Complete())
			continue
		}
		got, err := s.Recover([]byte("TREZOR"))
		if err != nil || hex.EncodeToString(got) != v.secret {
			t.Errorf("%s: %x (%v), want %s", v.desc, got, err, v.secret)
		}
	}
}

func TestShareSetProgress(t *testing.T) {
	vs := trezorVectors(t)
	// Vector 18: two groups needed; the first share is of a 2-of-? group.
	multi := vs[17].shares
	var s ShareSet
	if n, more := s.Needed(); n != 0 || !more || s.Progress() != "no shares given yet" {
		t.Fatalf("empty set: %d %v %q", n, more, s.Progress())
	}
	if _, err := s.Add(multi[0]); err != nil {
		t.Fatal(err)
	}
	if p := s.Progress(); !strings.Contains(p, "of 2 groups complete") {
		t.Fatalf("progress %q", p)
	}
	if err := s.NotEnough(); !errors.Is(err, slip39.ErrNotEnoughShares) {
		t.Fatalf("NotEnough %v", err)
	}
	// A share of another backup is named by its position and leaves the set as it was.
	_, err := s.Add(vs[3].shares[0])
	var me *slip39.MismatchError
	if !errors.As(err, &me) || me.Share != 2 || me.Field != "identifier" {
		t.Fatalf("mismatch: %v", err)
	}
	_, err = s.Add("not a share")
	var se *slip39.ShareError
	if !errors.As(err, &se) || se.Share != 3 {
		t.Fatalf("bad share: %v", err)
	}
	if s.Given() != 3 {
		t.Fatalf("given %d", s.Given())
	}
	// Single group: the count is exact.
	var one ShareSet
	if _, err := one.Add(vs[3].shares[0]); err != nil {
		t.Fatal(err)
	}
	if n, more := one.Needed(); n != 1 || more || one.Progress() != "1 of 2 shares given; 1 more needed" {
		t.Fatalf("%d %v %q", n, more, one.Progress())
	}
	if a, err := one.Add(vs[3].shares[0]); err != nil || !a.Repeat {
		t.Fatalf("repeat: %+v %v", a, err)
	}
}
