package esplora

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// maxBody bounds an answer: a page of 25 large transactions in JSON, or the hex of the largest
// standard transaction, fits many times over.
const maxBody = 32 << 20

// answer is a completed HTTP exchange.
type answer struct {
	status int
	body   []byte
	// tries is how many requests it took (more than 1 after a 429 or 5xx).
	tries int
}

// do sends one request, retrying on 429 and 5xx as b.retry allows. It returns an error for
// transport failures and for retryable statuses that persisted; any other status is the
// caller's to judge.
func (b *Backend) do(ctx context.Context, method, path string, body []byte) (answer, error) {
	op := method + " " + path
	tries := max(b.retry.Tries, 1)
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, b.ep.base+path, bytes.NewReader(body))
		if err != nil {
			return answer{}, fmt.Errorf("%s: %s: %w", b.name, op, err)
		}
		if b.ep.hasLogin {
			req.SetBasicAuth(b.ep.user, b.ep.pass)
		}
		if b.userAgent != "" {
			req.Header.Set("User-Agent", b.userAgent)
		}
		if body != nil {
			req.Header.Set("Content-Type", "text/plain")
		}
		b.roundTrips.Add(1)
		resp, err := b.client.Do(req)
		if err != nil {
			return answer{}, b.errs.Fail(op, err)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err != nil {
			return answer{}, b.errs.Fail(op, err)
		}
		if len(data) > maxBody {
			return answer{}, b.errs.Bad(op, "the answer is larger than %d MiB", maxBody>>20)
		}
		if !netutil.Retryable(resp.StatusCode) {
			return answer{status: resp.StatusCode, body: data, tries: attempt}, nil
		}
		if attempt >= tries {
			return answer{}, b.errs.Refused(op, fmt.Sprintf("%s, %d tries", statusText(resp.StatusCode, data), attempt))
		}
		wait := b.retry.Wait(attempt+1, resp.Header.Get("Retry-After"), time.Now())
		if !netutil.Sleep(ctx, wait) {
			if ctx.Err() != nil && ctx.Err() != context.DeadlineExceeded {
				return answer{}, b.errs.Fail(op, ctx.Err())
			}
			return answer{}, b.errs.Refused(op, fmt.Sprintf("%s; waiting %v more would pass the time limit",
				statusText(resp.StatusCode, data), wait))
		}
	}
}

// get fetches path and insists on 200 OK.
func (b *Backend) get(ctx context.Context, path string) ([]byte, error) {
	a, err := b.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if a.status != http.StatusOK {
		return nil, b.errs.Refused("GET "+path, statusText(a.status, a.body))
	}
	return a.body, nil
}

// statusText is "HTTP 404: Block not found", the server's words cut short and made printable.
func statusText(status int, body []byte) string {
	s := "HTTP " + strconv.Itoa(status)
	text := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, string(body)))
	if len(text) > 200 {
		text = text[:200] + "..."
	}
	if text != "" {
		s += ": " + text
	}
	return s
}
