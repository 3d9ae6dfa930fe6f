package main

import (
	"github.com/btcsuite/btcd/wire/v2"

	"bytes"
	"encoding/json"
	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"math/rand/v2"
	"testing"
	"time"
)

// The fast list encoders must write exactly what encoding/json would.
func TestFastJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	strs := []string{"", "coffee", "tab\there", "quote\"and\\slash", "naïve €", "<html>&", "\u2028line", "ctrl\x01", "bad\xffutf8"}
	pick := func() string { return strs[rng.IntN(len(strs))] }
	for n := 0; n < 5; n++ {
		var hs []historyJSON
		var us []utxoJSON
		for i := 0; i < n*3; i++ {
			h := historyJSON{TxID: pick(), Confirmations: rng.Int32N(100), Amount: rng.Int64N(2e9) - 1e9, Label: pick(), Status: pick()}
			if rng.IntN(2) == 0 {
				ht := rng.Int32N(1e6)
				h.Height = &ht
				tm := time.Unix(rng.Int64N(2e9), 0).UTC()
				h.Time = &tm
				f := rng.Int64N(1e5)
				h.Fee = &f
			}
			if rng.IntN(3) == 0 {
				h.Fiat = &fiatJSON{Currency: "USD", Amount: "-1.23", Rate: "100000", Time: time.Unix(rng.Int64N(2e9), 0).UTC(), Source: pick()}
			}
			hs = append(hs, h)
			u := utxoJSON{OutPoint: pick(), Value: rng.Int64N(1e9), Address: pick(), Path: pick(), Confirmations: rng.Int32N(9),
				Frozen: rng.IntN(2) == 0, Label: pick(), DustAttack: rng.IntN(3) == 0}
			if rng.IntN(2) == 0 {
				c, e := rng.Int64N(1e4), rng.IntN(2) == 0
				u.SpendCost, u.Economical = &c, &e
			}
			if rng.IntN(3) == 0 {
				u.Fiat = &fiatJSON{Currency: "EUR", Amount: "0.50", Rate: "92000", Time: time.Unix(rng.Int64N(2e9), 0).UTC(), Source: pick()}
			}
			us = append(us, u)
		}
		for _, v := range []any{hs, us} {
			var want, got bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			a := &App{Out: &got}
			if done, err := a.printFast(v); !done || err != nil {
				t.Fatalf("fast path not taken: %v", err)
			}
			if got.String() != want.String() {
				t.Fatalf("fast JSON differs:\n%s\n---- want\n%s", got.String(), want.String())
			}
		}
	}
}

func TestStreamedHistoryIsEncodingJSON(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	for i := 0; i < 3; i++ {
		addr := decodeJSON[receiveJSON](t, c.mustRun("", "receive", "--json").out).Address
		a, err := address.Decode(addr, regtest.Net)
		if err != nil {
			t.Fatal(err)
		}
		fc.Mine(1, chaintest.Pay(uint32(i), wire.NewTxOut(int64(1000+i), a.PkScript)))
	}
	c.mustRun("", "label", decodeJSON[receiveJSON](t, c.mustRun("", "receive", "--json").out).Address, `back\\slash "quoted" <&> é ✓`)
	c.mustRun("", "sync")
	for _, args := range [][]string{{"history", "--json"}, {"history", "--json", "--limit", "1"}} {
		out := c.mustRun("", args...).out
		var rows []historyJSON
		if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 {
			t.Fatalf("%v: %d rows, %v", args, len(rows), err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []historyJSON{}
		}
		enc.Encode(rows)
		if out != want.String() {
			t.Fatalf("%v streamed:\n%s\nwant:\n%s", args, out, want.String())
		}
	}
}
