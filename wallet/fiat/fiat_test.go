package fiat

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in    string
		micro int64
		cur   string
		ok    bool
	}{
		{"5usd", 5_000_000, "USD", true},
		{"2.50EUR", 2_500_000, "EUR", true},
		{"3gbp", 3_000_000, "GBP", true},
		{"0.000001usd", 1, "USD", true},
		{"1000000000000usd", 1_000_000_000_000 * Micro, "USD", true},
		{"1000000000001usd", 0, "", false},
		{"0usd", 0, "", false},
		{"0.00usd", 0, "", false},
		{"0.0000001usd", 0, "", false},
		{"1,000usd", 0, "", false},
		{"-5usd", 0, "", false},
		{"+5usd", 0, "", false},
		{"5 usd", 0, "", false},
		{"5.usd", 0, "", false},
		{".5usd", 0, "", false},
		{"1e3usd", 0, "", false},
		{"5us", 0, "", false},
		{"5usdt", 0, "", false},
		{"usd", 0, "", false},
		{"5u$d", 0, "", false},
	} {
		a, err := ParseAmount(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (a.Micro != tc.micro || a.Currency != tc.cur)) {
			t.Errorf("ParseAmount(%q) = %+v, %v; want %d %s ok=%v", tc.in, a, err, tc.micro, tc.cur, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadAmount) {
			t.Errorf("ParseAmount(%q): %v is not ErrBadAmount", tc.in, err)
		}
	}
}

func TestParseAmountNamesAnUnknownUnit(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1000satoshi", `"satoshi" is not a unit`},
		{"5usdt", `"usdt" is not a unit`},
		{"1000\nlines", `"lines" is not a unit`},
		{"5 usd", "the number must be digits"},
	} {
		if _, err := ParseAmount(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseAmount(%q): %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestLooksLeavesBitcoinUnitsAlone(t *testing.T) {
	for _, s := range []string{"2100", "2100sat", "2100SATS", "0.001btc", "1BTC", "all", "2100sats"} {
		if Looks(s) {
			t.Errorf("Looks(%q) = true: a bitcoin amount would be read as fiat", s)
		}
	}
	for _, s := range []string{"5usd", "2.50EUR", "3gbp", "1e3usd"} {
		if !Looks(s) {
			t.Errorf("Looks(%q) = false", s)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"5usd", "2.50EUR", "0.000001gbp", "1,000usd", "5.usd", "9999999999999.999999chf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAmount(s)
		if err != nil {
			return
		}
		if a.Micro <= 0 || a.Micro > maxUnits*Micro || len(a.Currency) != 3 || strings.ToUpper(a.Currency) != a.Currency {
			t.Fatalf("ParseAmount(%q) = %+v", s, a)
		}
		// What it read is what was typed: the amount written back parses to the same.
		back, err := ParseAmount(FormatMicro(a.Micro, 0) + strings.ToLower(a.Currency))
		if err != nil || back != a {
			t.Fatalf("ParseAmount(%q) = %+v, written back %+v %v", s, a, back, err)
		}
	})
}

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func price(rate int64, age time.Duration) Price {
	return Price{Time: now.Add(-age), Source: "test", Rates: map[string]int64{"USD": rate}}
}

func TestConvert(t *testing.T) {
	for _, tc := range []struct {
		name   string
		amount string
		p      Price
		sat    int64
		err    error
	}{
		{"5 USD at 100,000", "5usd", price(100_000*Micro, 12*time.Second), 5000, nil},
		{"half a sat rounds up", "0.000005usd", price(1*Micro, 0), 500, nil},
		{"exactly half rounds up", "0.0015usd", price(100_000*Micro, 0), 2, nil},
		{"below half rounds down", "0.0014usd", price(100_000*Micro, 0), 1, nil},
		{"10 minutes old is still fresh", "5usd", price(100_000*Micro, MaxAge), 5000, nil},
		{"stale", "5usd", price(100_000*Micro, MaxAge+time.Second), 0, ErrBadPrice},
		{"from the future", "5usd", price(100_000*Micro, -MaxAge-time.Second), 0, ErrBadPrice},
		{"zero", "5usd", price(0, 0), 0, ErrBadPrice},
		{"negative", "5usd", price(-1, 0), 0, ErrBadPrice},
		{"below 1 per BTC", "5usd", price(Micro-1, 0), 0, ErrBadPrice},
		{"above 10^9 per BTC", "5usd", price(1_000_000_000*Micro+1, 0), 0, ErrBadPrice},
		{"missing currency", "5eur", price(100_000*Micro, 0), 0, ErrBadPrice},
		{"rounds to nothing", "0.000001usd", price(1_000_000_000*Micro, 0), 0, ErrBadPrice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAmount(tc.amount)
			if err != nil {
				t.Fatal(err)
			}
			q, err := tc.p.Convert(a, now)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || q.Sat != tc.sat {
				t.Fatalf("got %d sat, %v; want %d", q.Sat, err, tc.sat)
			}
		})
	}
}

func TestQuoteLine(t *testing.T) {
	a, _ := ParseAmount("5usd")
	q, err := price(100_000*Micro, 12*time.Second).Convert(a, now)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.String(now), "5.00 USD = 5,000 sat at 100,000 USD/BTC, price from test 12 s ago"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestValueAndCents(t *testing.T) {
	v, _, err := price(100_000*Micro, 0).Value(12_345, "USD", now)
	if err != nil || FormatCents(v) != "12.35" {
		t.Fatalf("12,345 sat = %s (%v), want 12.35", FormatCents(v), err)
	}
	v, _, _ = price(100_000*Micro, 0).Value(-12_344, "USD", now)
	if FormatCents(v) != "-12.34" {
		t.Fatalf("-12,344 sat = %s", FormatCents(v))
	}
}

func TestParseAnswer(t *testing.T) {
	p, err := ParseAnswer([]byte(`{"time":1764072000,"USD":100000,"EUR":92000.123456789,"XYZ":"bad","lower":1}`), "s")
	if err != nil {
		t.Fatal(err)
	}
	if p.Rates["USD"] != 100_000*Micro || p.Rates["EUR"] != 92_000_123_457 || p.Time.Unix() != 1764072000 {
		t.Fatalf("%+v", p)
	}
	if _, ok := p.Rates["lower"]; ok {
		t.Fatal("a key that is not a currency code was read as one")
	}
	for _, body := range []string{``, `[]`, `{"USD":1}`, `{"time":"x","USD":1}`, `<html>`} {
		if _, err := ParseAnswer([]byte(body), "s"); !errors.Is(err, ErrUnreachable) {
			t.Errorf("ParseAnswer(%q): %v, want ErrUnreachable", body, err)
		}
	}
	// A web page instead of prices is said in words, with what to check, not the parser's.
	_, err = ParseAnswer([]byte("<html>"), "s")
	if msg := err.Error(); strings.Contains(msg, "invalid character") || !strings.Contains(msg, "s sent no price answer (not JSON): check that price-source is a URL") {
		t.Errorf("ParseAnswer(<html>): %q", msg)
	}
}

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/api/v1/prices", http.StatusFound)
			return
		}
		w.Write([]byte(`{"time":1764072000,"USD":100000}`))
	}))
	defer srv.Close()
	p, err := Client{URL: srv.URL + "/api/v1/prices"}.Fetch(context.Background())
	if err != nil || p.Rates["USD"] != 100_000*Micro || p.Source != strings.TrimPrefix(srv.URL, "http://") {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := (Client{URL: srv.URL + "/redirect"}).Fetch(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("a redirect was followed: %v", err)
	}
	if _, err := (Client{URL: "http://127.0.0.1:1/api/v1/prices", Timeout: 2 * time.Second}).Fetch(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("closed port: %v", err)
	}
	if _, err := (Client{}).Fetch(context.Background()); !errors.Is(err, ErrNoSource) {
		t.Fatalf("no source: %v", err)
	}
}

func TestFetchThroughProxy(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"time":1764072000,"USD":100000}`))
	}))
	defer srv.Close()
	// The source's name is only known to the proxy, which routes it to the test server.
	px := socks5test.Start(t, func(string, uint16) string { return strings.TrimPrefix(srv.URL, "http://") })
	p, err := Client{URL: "http://prices.invalid/api/v1/prices", Proxy: px.URL()}.Fetch(context.Background())
	if err != nil || p.Rates["USD"] != 100_000*Micro {
		t.Fatalf("%+v %v", p, err)
	}
	if reqs := px.Requests(); len(reqs) != 1 || reqs[0].Host != "prices.invalid" {
		t.Fatalf("proxy saw %+v", reqs)
	}
}

func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{`{"time":1764072000,"USD":100000,"EUR":92000.5}`, `{"time":1,"USD":-1}`, `{"time":1e3,"USD":1e400}`, `{"USD":"x"}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseAnswer(b, "s")
		if err != nil {
			if !errors.Is(err, ErrUnreachable) {
				t.Fatalf("%q: %v is not ErrUnreachable", b, err)
			}
			return
		}
		// Whatever it read, a rate it lets through converts inside bounds.
		for cur, r := range p.Rates {
			if _, err := p.Rate(cur, p.Time); err == nil && (r < minRate || r > maxRate) {
				t.Fatalf("%s rate %d passed", cur, r)
			}
		}
	})
}

func TestKnownCurrency(t *testing.T) {
	for code, want := range map[string]bool{"USD": true, "EUR": true, "JPY": true, "ZWL": true, "AED": true, "XYZ": false, "usd": false, "US": false, "USDT": false, "XXX": false, "": false} {
		if KnownCurrency(code) != want {
			t.Errorf("%q: want %v", code, want)
		}
	}
}
