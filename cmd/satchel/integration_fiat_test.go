package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// priceServer answers like mempool's /api/v1/prices with what body returns; the test changes
// it between runs.
type priceServer struct {
	*httptest.Server
	mu   sync.Mutex
	body string
}

func newPriceServer(t *testing.T) *priceServer {
	s := &priceServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/prices" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprint(w, s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *priceServer) set(at time.Time, usd string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = fmt.Sprintf(`{"time": %d, "USD": %s, "EUR": 92000.5, "GBP": 79000}`, at.Unix(), usd)
}

func (s *priceServer) url() string { return s.URL + "/api/v1/prices" }

func TestIntegrationFiatSend(t *testing.T) {
	c, n := nodeCLI(t)
	ps := newPriceServer(t)
	c.env["SATCHEL_PRICE_SOURCE"] = ps.url()
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	dest := regtest.NewKey("shop", txbuilder.P2WPKH).Address
	ps.set(c.now.Add(-12*time.Second), "100000")

	// The text plan says what was converted, at which price, from where, how long ago.
	r := c.mustRun("", "send", dest, "5usd", "--fee-rate", "2", "--dry-run", "--wallet", "a")
	host := strings.TrimPrefix(ps.URL, "http://")
	want := "5.00 USD = 5,000 sat at 100,000 USD/BTC, price from " + host + " 12 s ago"
	if !contains(r.out, want) {
		t.Fatalf("dry run does not say %q:\n%s", want, r.out)
	}
	r = c.run("", "send", dest, "5USD", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("send 5USD: %s", r.err)
	}
	p := decodeJSON[planJSON](t, r.out)
	if p.Amount != 5000 || p.Fiat == nil || p.Fiat.Currency != "USD" || p.Fiat.Amount != "5.00" || p.Fiat.Rate != "100000" || p.Fiat.Source != host {
		t.Fatalf("plan %+v fiat %+v", p, p.Fiat)
	}
	paid := false
	for _, o := range p.Outputs {
		if o.Address == dest && o.Value == 5000 {
			paid = true
		}
	}
	if !paid {
		t.Fatalf("no 5,000 sat output to %s: %+v", dest, p.Outputs)
	}
	if ids := n.MempoolTxIDs(t); len(ids) != 1 || ids[0].String() != p.TxID {
		t.Fatalf("mempool %v, want %s", ids, p.TxID)
	}
	// Rounding half up: 2.50 EUR at 92,000.50 EUR/BTC is 2,717.376... sat -> 2,717.
	r = c.mustRun("", "send", dest, "2.50eur", "--fee-rate", "2", "--dry-run", "--json", "--wallet", "a")
	if p := decodeJSON[planJSON](t, r.out); p.Amount != 2717 {
		t.Fatalf("2.50 EUR = %d sat, want 2717", p.Amount)
	}

	// --to and batch files take fiat amounts too; each is converted and shown.
	other := regtest.NewKey("other", txbuilder.P2TR).Address
	batch := c.home + "/batch.csv"
	if err := os.WriteFile(batch, []byte(other+",1.5gbp\n"+dest+",1000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = c.mustRun("", "send", "--to", dest+"=3usd", "--batch", batch, "--fee-rate", "2", "--dry-run", "--json", "--wallet", "a")
	// 3 USD = 3,000 sat, 1.5 GBP at 79,000 = 1,898.73... -> 1,899 sat, and 1,000 sat: the two
	// payments to dest merge into one output.
	if p := decodeJSON[planJSON](t, r.out); p.Amount != 3000+1899+1000 {
		t.Fatalf("--to and batch in fiat: %d sat", p.Amount)
	}
	for _, tc := range []struct {
		name  string
		setup func()
		code  int
		msg   string
	}{
		{"stale price", func() { ps.set(c.now.Add(-11*time.Minute), "100000") }, exitUsage, "stale"},
		{"zero price", func() { ps.set(c.now, "0") }, exitUsage, "absurd"},
		{"absurd price", func() { ps.set(c.now, "2000000000") }, exitUsage, "absurd"},
		{"no such currency", func() { ps.set(c.now, "100000") }, exitUsage, "no JPY price"},
		{"unreachable source", func() { c.env["SATCHEL_PRICE_SOURCE"] = "http://127.0.0.1:1/api/v1/prices" }, exitBackend, "cannot reach the price source at 127.0.0.1:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			amount := "5usd"
			if tc.name == "no such currency" {
				amount = "500jpy"
			}
			mempool := len(n.MempoolTxIDs(t))
			r := c.run("", "send", dest, amount, "--fee-rate", "2", "--yes", "--wallet", "a")
			if r.code != tc.code || !contains(r.err, tc.msg) {
				t.Fatalf("exit %d (%s), want %d saying %q", r.code, r.err, tc.code, tc.msg)
			}
			if got := len(n.MempoolTxIDs(t)); got != mempool {
				t.Fatalf("a refused fiat payment reached the mempool")
			}
			// Satoshi amounts never depend on the price.
			r = c.run("", "send", dest, "3000", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
			if r.code != 0 || decodeJSON[planJSON](t, r.out).Amount != 3000 {
				t.Fatalf("sat send with a bad price: exit %d %s", r.code, r.err)
			}
		})
	}
}

// Fiat amounts in tip add, tip schedule and receive --amount: converted at the price of the
// moment (a schedule's at each occurrence), refused or postponed without a trustworthy one.
func TestIntegrationFiatTipsScheduleReceive(t *testing.T) {
	c, n := nodeCLI(t)
	ps := newPriceServer(t)
	c.env["SATCHEL_PRICE_SOURCE"] = ps.url()
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	dest := regtest.NewKey("creator", txbuilder.P2WPKH).Address
	ps.set(c.now, "100000")

	tip := decodeJSON[tipJSON](t, c.mustRun("", "tip", "add", dest, "2usd", "--json", "--wallet", "a").out)
	if tip.Amount != 2000 {
		t.Fatalf("tip of 2 USD queued as %d sat", tip.Amount)
	}
	r := c.mustRun("", "receive", "--amount", "5usd", "--json", "--wallet", "a")
	if rec := decodeJSON[receiveJSON](t, r.out); !contains(rec.URI, "amount=0.00005") {
		t.Fatalf("receive --amount 5usd: %s", rec.URI)
	}
	if !contains(r.err, "5.00 USD = 5,000 sat") {
		t.Fatalf("receive did not show the conversion: %s", r.err)
	}

	// A daily schedule in dollars: today's occurrence converts now at 100,000 USD/BTC...
	s := decodeJSON[scheduleJSON](t, c.mustRun("", "tip", "schedule", dest, "1usd", "--every", "1d", "--json", "--wallet", "a").out)
	if s.Fiat != "1.00 USD" || s.Amount != nil || len(s.Queued) != 1 {
		t.Fatalf("schedule %+v", s)
	}
	// ...tomorrow's waits while the price is stale, and converts at the new price once fresh.
	c.now = c.now.Add(24 * time.Hour)
	ps.set(c.now.Add(-time.Hour), "50000")
	r = c.mustRun("", "tip", "list", "--json", "--wallet", "a")
	if len(decodeJSON[[]tipJSON](t, r.out)) != 2 || !contains(r.err, "schedule_not_queued") {
		t.Fatalf("a stale price queued an occurrence: %s / %s", r.out, r.err)
	}
	ps.set(c.now, "50000")
	r = c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("flush: %s", r.err)
	}
	f := decodeJSON[tipFlushJSON](t, r.out)
	// 2 USD at 100,000 + 1 USD at 100,000 + 1 USD at 50,000 = 2,000 + 1,000 + 2,000 sat.
	if len(f.Tips) != 3 || f.Amount != 5000 {
		t.Fatalf("flush paid %v, %d sat; want 3 tips, 5,000 sat", f.Tips, f.Amount)
	}
	// Without any price, sat tips still queue and fiat ones are refused with exit 5.
	c.env["SATCHEL_PRICE_SOURCE"] = "http://127.0.0.1:1/api/v1/prices"
	if r := c.run("", "tip", "add", dest, "2usd", "--wallet", "a"); r.code != exitBackend {
		t.Fatalf("fiat tip with the source down: exit %d (%s)", r.code, r.err)
	}
	c.mustRun("", "tip", "add", dest, "2000", "--wallet", "a")
}

// limit.per-payment 20usd is converted at the price of each payment's check.
func TestIntegrationFiatCap(t *testing.T) {
	c, n := nodeCLI(t)
	ps := newPriceServer(t)
	c.env["SATCHEL_PRICE_SOURCE"] = ps.url()
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	dest := regtest.NewKey("shop", txbuilder.P2WPKH).Address
	ps.set(c.now, "100000")
	c.mustRun("", "config", "set", "limit.per-payment", "20usd", "--wallet", "a")
	if got := strings.TrimSpace(c.mustRun("", "config", "get", "limit.per-payment", "--wallet", "a").out); got != "20.00 USD" {
		t.Fatalf("config get: %q", got)
	}
	// 20 USD = 20,000 sat at 100,000 USD/BTC.
	if r := c.run("", "send", dest, "20001", "--fee-rate", "2", "--yes", "--wallet", "a"); r.code != exitCannotPay || !contains(r.err, "limit.per-payment") {
		t.Fatalf("20,001 sat under a 20 USD cap: exit %d %s", r.code, r.err)
	}
	c.mustRun("", "send", dest, "20000", "--fee-rate", "2", "--yes", "--wallet", "a")
	// The price halves: 20 USD is now 40,000 sat.
	ps.set(c.now, "50000")
	c.mustRun("", "send", dest, "30000", "--fee-rate", "2", "--yes", "--wallet", "a")
	// No trustworthy price: the cap cannot be judged, so nothing is paid, not even in sat.
	ps.set(c.now.Add(-time.Hour), "50000")
	mempool := len(n.MempoolTxIDs(t))
	if r := c.run("", "send", dest, "1000", "--fee-rate", "2", "--yes", "--wallet", "a"); r.code != exitUsage || !contains(r.err, "stale") {
		t.Fatalf("stale price with a fiat cap: exit %d %s", r.code, r.err)
	}
	if len(n.MempoolTxIDs(t)) != mempool {
		t.Fatal("paid with a cap it could not judge")
	}
}

// config fiat USD: plans, balance and history carry the value; history keeps the price of
// each payment's time, --fiat-at now uses today's; a bad price shows "price unavailable".
func TestIntegrationFiatDisplay(t *testing.T) {
	c, n := nodeCLI(t)
	ps := newPriceServer(t)
	c.env["SATCHEL_PRICE_SOURCE"] = ps.url()
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	c.mustRun("", "config", "set", "fiat", "USD", "--wallet", "a")
	dest := regtest.NewKey("shop", txbuilder.P2WPKH).Address
	ps.set(c.now, "100000")

	p := decodeJSON[planJSON](t, c.mustRun("", "send", dest, "10000", "--fee-rate", "2", "--yes", "--json", "--wallet", "a").out)
	if p.Fiat == nil || p.Fiat.Amount != "10.00" || p.Fiat.Currency != "USD" {
		t.Fatalf("plan fiat %+v", p.Fiat)
	}
	n.Mine(t, 1)
	ps.set(c.now, "50000") // the price halves after the payment
	var sent historyJSON
	for _, h := range c.history("a") {
		if h.TxID == p.TxID {
			sent = h
		}
	}
	// Net -10,000 - fee at the kept 100,000 USD/BTC.
	want := fmt.Sprintf("-%d.%02d", (10000+p.Fee)/1000, ((10000+p.Fee)%1000+5)/10)
	if sent.Fiat == nil || sent.Fiat.Amount != want || sent.Fiat.Rate != "100000" {
		t.Fatalf("history fiat %+v, want %s at 100000", sent.Fiat, want)
	}
	now := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--fiat-at", "now", "--json", "--wallet", "a").out)
	for _, h := range now {
		if h.Fiat == nil || h.Fiat.Rate != "50000" {
			t.Fatalf("--fiat-at now row %+v", h)
		}
	}
	b := decodeJSON[balanceJSON](t, c.mustRun("", "balance", "--json", "--wallet", "a").out)
	if b.Fiat == nil || b.Fiat.Rate != "50000" {
		t.Fatalf("balance fiat %+v", b.Fiat)
	}
	for _, u := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out) {
		if u.Fiat == nil || u.Fiat.Rate != "50000" {
			t.Fatalf("utxo fiat %+v", u)
		}
	}
	if r := c.mustRun("", "balance", "--wallet", "a"); !contains(r.out, "USD at 50,000 USD/BTC") {
		t.Fatalf("balance text: %s", r.out)
	}
	// A stale price: no number rather than a wrong one; the satoshis are unchanged.
	ps.set(c.now.Add(-time.Hour), "50000")
	r := c.mustRun("", "balance", "--wallet", "a")
	if !contains(r.out, "price unavailable") {
		t.Fatalf("balance with a stale price: %s", r.out)
	}
	b2 := decodeJSON[balanceJSON](t, c.mustRun("", "balance", "--json", "--wallet", "a").out)
	if b2.Fiat != nil || b2.Confirmed != b.Confirmed {
		t.Fatalf("balance with a stale price: %+v", b2)
	}
	if r := c.mustRun("", "send", dest, "3000", "--fee-rate", "2", "--dry-run", "--wallet", "a"); !contains(r.out, "price unavailable") {
		t.Fatalf("plan with a stale price: %s", r.out)
	}
}
