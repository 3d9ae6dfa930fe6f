package esplora

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

const seedPage = `[{"txid":"45381031132c57b2ff1cbe8d8d3920cf9ed25efd9a0beb764bdb2f24c7d1c7e3","version":2,"status":{"confirmed":false}},` +
	`{"txid":"a76242fce5753b4212f903ff33ac6fe66f2780f34bdb4b33b175a7815a11a98e","status":{"confirmed":true,"block_height":520481,"block_hash":"00","block_time":1}}]`

// FuzzParseHistoryPage: no input panics; an accepted page re-encodes to one that parses the
// same.
func FuzzParseHistoryPage(f *testing.F) {
	f.Add(seedPage)
	f.Add(`[]`)
	f.Add(`[{"txid":null}]`)
	f.Add(`{"txid":"x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		items, err := parseHistoryPage([]byte(s))
		if err != nil {
			return
		}
		var b strings.Builder
		b.WriteString("[")
		for i, it := range items {
			if it.confirmed != (it.height > 0) {
				t.Fatalf("item %d: confirmed %v at height %d", i, it.confirmed, it.height)
			}
			if i > 0 {
				b.WriteString(",")
			}
			if it.confirmed {
				b.WriteString(`{"txid":"` + it.txid.String() + `","status":{"confirmed":true,"block_height":` + strconv.Itoa(int(it.height)) + `}}`)
			} else {
				b.WriteString(`{"txid":"` + it.txid.String() + `","status":{"confirmed":false}}`)
			}
		}
		b.WriteString("]")
		again, err := parseHistoryPage([]byte(b.String()))
		if err != nil || len(again) != len(items) {
			t.Fatalf("re-encoded page %s: %v", b.String(), err)
		}
		for i := range items {
			if again[i] != items[i] {
				t.Fatalf("item %d changed: %+v -> %+v", i, items[i], again[i])
			}
		}
	})
}

// FuzzParseFeeEstimates: no input panics; accepted rates are positive and print back (as
// sat/vB) to the same rates.
func FuzzParseFeeEstimates(f *testing.F) {
	f.Add(`{ "2": 87.882, "3": 87.882, "6": 68.285, "144": 1.027, "1008": 0.5 }`)
	f.Add(`{}`)
	f.Add(`{"1": 1e-3}`)
	f.Add(`{"01": 1}`)
	f.Fuzz(func(t *testing.T, s string) {
		est, err := parseFeeEstimates([]byte(s))
		if err != nil {
			return
		}
		out := map[string]json.RawMessage{}
		for k, r := range est {
			if r <= 0 {
				t.Fatalf("target %d has rate %d", k, r)
			}
			out[strconv.Itoa(k)] = json.RawMessage(r.String())
		}
		enc, _ := json.Marshal(out)
		again, err := parseFeeEstimates(enc)
		if err != nil || len(again) != len(est) {
			t.Fatalf("%s re-parses to %v, %v", enc, again, err)
		}
		for k, r := range est {
			if again[k] != r {
				t.Fatalf("target %d: %d -> %d", k, r, again[k])
			}
		}
	})
}

// FuzzParseHeight: no input panics; an accepted height prints back to the trimmed input.
func FuzzParseHeight(f *testing.F) {
	f.Add("520481\n")
	f.Add("0")
	f.Add("-1")
	f.Add("+5")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseHeight([]byte(s))
		if err != nil {
			return
		}
		if strconv.Itoa(int(h)) != strings.TrimSpace(s) {
			t.Fatalf("%q read as %d", s, h)
		}
	})
}

// FuzzRejectText: no body panics, and the text kept is never longer than the body.
func FuzzRejectText(f *testing.F) {
	f.Add(`sendrawtransaction RPC error: {"code":-26,"message":"dust"}`)
	f.Add(`RPC error: {"message":""}`)
	f.Fuzz(func(t *testing.T, s string) {
		if got := rejectText([]byte(s)); len(got) > len(s) {
			t.Fatalf("rejectText(%q) = %q", s, got)
		}
	})
}

// FuzzParseURL: no text panics; an accepted URL's base parses again to the same endpoint, and
// an error never shows the password.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"https://blockstream.info/api", "http://127.0.0.1:3002/", "https://u:p@h:1/a/b/",
		"http://x.onion", "https://h/api?x", "//:@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := parseURL(s)
		if err != nil {
			if u, perr := url.Parse(s); perr == nil && u.User != nil {
				// The error quotes the masked URL (%q): compare with that form, whose escapes
				// (\xb0...) can spell digits the raw text does not hold.
				if pw, ok := u.User.Password(); ok && len(pw) >= 6 && strings.Contains(err.Error(), pw) &&
					!strings.Contains(fmt.Sprintf("%q", netutil.MaskURL(s)), pw) {
					t.Fatalf("error %q shows the password of %q", err, s)
				}
			}
			return
		}
		again, err := parseURL(e.base)
		if err != nil || again.base != e.base || again.host != e.host {
			t.Fatalf("%q: base %q re-parses to %+v, %v", s, e.base, again, err)
		}
	})
}
