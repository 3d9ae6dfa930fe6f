package fiat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Errors of the price source. A caller maps ErrUnreachable to "the server did not answer"
// (exit 5) and ErrBadPrice to "it answered, but not a price to pay with" (exit 2).
var (
	ErrUnreachable = errors.New("price source unreachable")
	ErrBadPrice    = errors.New("price refused")
	ErrNoSource    = errors.New("no price source")
)

// MaxAge is how old a price may be and still convert an amount.
const MaxAge = 10 * time.Minute

// Bounds of a believable price, per bitcoin, in micro-units: 1 to 10^9 units.
const (
	minRate = 1 * Micro
	maxRate = 1_000_000_000 * Micro
)

// DefaultSources is the price source of each network when none is configured. Test networks
// have none: their coins have no price.
var DefaultSources = map[string]string{"mainnet": "https://mempool.space/api/v1/prices"}

// Price is one answer of a price source: micro-units of each currency per bitcoin.
type Price struct {
	Time   time.Time        `json:"time"`
	Source string           `json:"source"`
	Rates  map[string]int64 `json:"rates"`
}

// Rate returns the price of one bitcoin in cur at now, refusing (ErrBadPrice) a price older
// than MaxAge (or as far in the future), and one outside 1 to 10^9 units per bitcoin.
func (p Price) Rate(cur string, now time.Time) (int64, error) {
	r, ok := p.Rates[cur]
	if !ok {
		return 0, fmt.Errorf("%w: %s has no %s price", ErrBadPrice, p.Source, cur)
	}
	if age := now.Sub(p.Time); age > MaxAge || age < -MaxAge {
		return 0, fmt.Errorf("%w: the %s price from %s is %s old (stale: more than %s); nothing was converted", ErrBadPrice, cur, p.Source, age.Round(time.Second), MaxAge)
	}
	if r < minRate || r > maxRate {
		return 0, fmt.Errorf("%w: %s says 1 BTC = %s %s, outside 1 to 1,000,000,000 (absurd); nothing was converted", ErrBadPrice, p.Source, FormatMicro(r, 0), cur)
	}
	return r, nil
}

// Quote is a conversion as the plan shows it.
type Quote struct {
	Fiat Amount
	Sat  int64
	// Rate is micro-units of Fiat.Currency per bitcoin.
	Rate   int64
	Time   time.Time
	Source string
}

// String is the line the plan shows: "5.00 USD = 5,000 sat at 100,000 USD/BTC, price from
// SOURCE 12 s ago".
func (q Quote) String(now time.Time) string {
	return fmt.Sprintf("%s = %s sat at %s %s/BTC, price from %s %d s ago", q.Fiat, group(q.Sat),
		FormatRate(q.Rate), q.Fiat.Currency, q.Source, int64(now.Sub(q.Time).Round(time.Second)/time.Second))
}

// Convert turns a fiat amount into satoshis at p, rounding half up.
func (p Price) Convert(a Amount, now time.Time) (Quote, error) {
	r, err := p.Rate(a.Currency, now)
	if err != nil {
		return Quote{}, err
	}
	sat := divRound(a.Micro, 100_000_000, r)
	if sat <= 0 || sat > 21_000_000*100_000_000 {
		return Quote{}, fmt.Errorf("%w: %s is %s sat at %s %s/BTC", ErrBadPrice, a, group(sat), FormatRate(r), a.Currency)
	}
	return Quote{Fiat: a, Sat: sat, Rate: r, Time: p.Time, Source: p.Source}, nil
}

// Value is sat's worth in cur at p, in micro-units rounded half up (the caller shows cents).
func (p Price) Value(sat int64, cur string, now time.Time) (int64, int64, error) {
	r, err := p.Rate(cur, now)
	if err != nil {
		return 0, 0, err
	}
	neg := sat < 0
	if neg {
		sat = -sat
	}
	v := divRound(sat, r, 100_000_000)
	if neg {
		v = -v
	}
	return v, r, nil
}

// FormatCents writes micro-units rounded half up to two decimals: what a display shows.
func FormatCents(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	c := (v + Micro/200) / (Micro / 100)
	s := fmt.Sprintf("%d.%02d", c/100, c%100)
	if neg {
		s = "-" + s
	}
	return s
}

// FormatRate writes a price per bitcoin grouped by thousands, with cents only when it has them.
func FormatRate(r int64) string {
	s := group(r / Micro)
	if cents := (r % Micro) / (Micro / 100); cents != 0 {
		s += fmt.Sprintf(".%02d", cents)
	}
	return s
}

func group(v int64) string {
	s := fmt.Sprint(v)
	if v < 0 {
		return "-" + group(-v)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Client fetches prices from one source.
type Client struct {
	URL string
	// Proxy is a SOCKS5 proxy URL, like the backends' (the source sees no address, but the
	// user who routes everything through Tor expects this too to go that way).
	Proxy   string
	Timeout time.Duration
}

// maxAnswer bounds the price answer read: mempool's is a few hundred bytes.
const maxAnswer = 64 << 10

// Fetch asks the source for its prices. The source's own time stamps the answer; Rate judges
// its age.
func (c Client) Fetch(ctx context.Context) (Price, error) {
	if c.URL == "" {
		return Price{}, ErrNoSource
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Price{}, fmt.Errorf("%w: price source %q is not an http(s) URL", ErrBadPrice, c.URL)
	}
	dialer, err := netutil.NewDialer(c.Proxy)
	if err != nil {
		return Price{}, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{
		Transport:     &http.Transport{Proxy: nil, DialContext: dialer.DialContext, TLSHandshakeTimeout: 15 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return Price{}, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Price{}, fmt.Errorf("%w: %s: %w", ErrUnreachable, u.Host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Price{}, fmt.Errorf("%w: %s answered %s", ErrUnreachable, u.Host, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return Price{}, fmt.Errorf("%w: %s: %v", ErrUnreachable, u.Host, err)
	}
	return ParseAnswer(body, u.Host)
}

// ParseAnswer reads mempool's /api/v1/prices answer, {"time": T, "USD": P, ...}, without
// floating point. A malformed answer is ErrUnreachable's kind (the server failed), not a
// price; a non-positive one is kept, for Rate to refuse by name.
func ParseAnswer(body []byte, source string) (Price, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		// The parser's words ("invalid character '<'") say nothing to a person: a web page
		// or an error page came back instead of prices.
		return Price{}, fmt.Errorf("%w: %s sent no price answer (not JSON): check that price-source is a URL answering like https://mempool.space/api/v1/prices", ErrUnreachable, source)
	}
	t, err := netutil.ParseDecimal(string(raw["time"]), 0)
	if err != nil || t <= 0 {
		return Price{}, fmt.Errorf("%w: %s sent no time with its prices", ErrUnreachable, source)
	}
	p := Price{Time: time.Unix(t, 0).UTC(), Source: source, Rates: map[string]int64{}}
	for k, v := range raw {
		if len(k) != 3 || strings.ToUpper(k) != k {
			continue
		}
		r, err := netutil.ParseDecimal(strings.TrimSpace(string(v)), 6)
		if err != nil {
			r = -1 // unreadable: Rate refuses it as absurd
		}
		p.Rates[k] = r
	}
	return p, nil
}
