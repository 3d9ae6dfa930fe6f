package electrum

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// FuzzParseLine: no line panics; every message accepted is a response (with an id and exactly
// one of result or error) or a notification.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"result":["ElectrumX 1.2.1","1.2"]}`,
		`[{"jsonrpc":"2.0","id":2,"result":[]},{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"x"}}]`,
		`{"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":1,"hex":"00"}]}`,
		`{"id":null,"error":"bad request"}`,
		`{"id":"1","result":1}`,
		`[]`,
		`{"id":4,"result":null}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msgs, err := parseLine([]byte(s))
		if err != nil {
			return
		}
		for _, m := range msgs {
			switch {
			case m.method != "":
				if m.hasID {
					t.Fatalf("%q: a notification with an id", s)
				}
			case m.hasID && (m.err == nil) == (m.result == nil):
				t.Fatalf("%q: response %d has result %q and error %v", s, m.id, m.result, m.err)
			}
		}
	})
}

// FuzzParseHistory: no result panics; accepted items have heights 0 or above and re-encode
// to a list that parses the same.
func FuzzParseHistory(f *testing.F) {
	f.Add(`[{"tx_hash":"45381031132c57b2ff1cbe8d8d3920cf9ed25efd9a0beb764bdb2f24c7d1c7e3","height":0,"fee":24310}]`)
	f.Add(`{"from_height":0,"to_height":-1,"history":[]}`)
	f.Add(`[{"tx_hash":"45381031132c57b2ff1cbe8d8d3920cf9ed25efd9a0beb764bdb2f24c7d1c7e3","height":-1}]`)
	f.Fuzz(func(t *testing.T, s string) {
		items, err := parseHistory(json.RawMessage(s))
		if err != nil {
			return
		}
		var parts []string
		for _, it := range items {
			if it.Height < 0 {
				t.Fatalf("%q: height %d", s, it.Height)
			}
			parts = append(parts, fmt.Sprintf(`{"tx_hash":"%s","height":%d}`, it.TxID, it.Height))
		}
		again, err := parseHistory(json.RawMessage("[" + strings.Join(parts, ",") + "]"))
		if err != nil || len(again) != len(items) {
			t.Fatalf("%q re-encoded: %v", s, err)
		}
		for i := range items {
			if again[i] != items[i] {
				t.Fatalf("%q: item %d %v -> %v", s, i, items[i], again[i])
			}
		}
	})
}

// FuzzParseTip: no result panics; an accepted tip's hash is its header's.
func FuzzParseTip(f *testing.F) {
	f.Add(`{"height":520481,"hex":"00000020890208a0ae3a3892aa047c5468725846577cfcd9b512b50000000000000000005dc2b02f2d297a9064ee103036c14d678f9afc7e3d9409cf53fd58b82e938e8ecbeca05a2d2103188ce804c4"}`)
	f.Add(`{"height":-1,"hex":""}`)
	f.Fuzz(func(t *testing.T, s string) {
		tip, _, err := parseTip(json.RawMessage(s))
		if err != nil {
			return
		}
		var r struct{ Hex string }
		json.Unmarshal([]byte(s), &r)
		h, err := netutil.DecodeHeader(r.Hex)
		if err != nil || h.BlockHash() != tip.Hash || tip.Height < 0 {
			t.Fatalf("%q: tip %+v, header %v", s, tip, err)
		}
	})
}

// FuzzParseRate: no number panics; an accepted rate prints (as BTC/kvB) to a number that
// reads back the same.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.00101079", "1e-05", "-1", "0.0", "1.0000000000000001e-05"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRate(json.RawMessage(s))
		if err != nil {
			return
		}
		back, err := parseRate(json.RawMessage(netutil.FormatDecimal(int64(r), 8)))
		if err != nil || back != r {
			t.Fatalf("%q: %d -> %d, %v", s, r, back, err)
		}
	})
}

// FuzzStripRawTx: never panics, never lengthens the text.
func FuzzStripRawTx(f *testing.F) {
	f.Add("the transaction was rejected by network rules.\n\ntxn-mempool-conflict\n[0200]")
	f.Add("\n[]")
	f.Fuzz(func(t *testing.T, s string) {
		if got := stripRawTx(s); len(got) > len(s) {
			t.Fatalf("%q -> %q", s, got)
		}
	})
}

// FuzzParseURL: no text panics; an accepted URL, written back, parses to the same config.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"electrums://h:50002", "electrum://127.0.0.1:50001", "electrums://[::1]:1?cert=/a.pem",
		"electrum://h", "electrums://h:1?cert=a&cert=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseURL(s)
		if err != nil {
			return
		}
		scheme := SchemeTCP
		if c.tls {
			scheme = SchemeTLS
		}
		back := scheme + "://" + c.addr
		if c.certPath != "" {
			back += "?" + url.Values{"cert": {c.certPath}}.Encode()
		}
		again, err := parseURL(back)
		if err != nil || again != c {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, c, back, again, err)
		}
	})
}
