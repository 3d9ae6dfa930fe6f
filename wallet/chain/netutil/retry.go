package netutil

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry is a bounded exponential backoff for answers that say "try again later" (HTTP 429 and
// 5xx): public servers rate-limit, and a load balancer may have one bad node.
type Retry struct {
	// Tries is the number of attempts in all, at least 1.
	Tries int
	// Base is the wait before the second attempt; it doubles each time.
	Base time.Duration
	// Cap bounds any single wait, including one a server asks for with Retry-After.
	Cap time.Duration
}

// DefaultRetry makes three attempts, waiting 0.5 s then 1 s, or what the server asks up to
// 10 s.
var DefaultRetry = Retry{Tries: 3, Base: 500 * time.Millisecond, Cap: 10 * time.Second}

// Wait is how long to wait before attempt number next (2 for the first retry), given the
// server's Retry-After header (may be empty).
func (r Retry) Wait(next int, retryAfter string, now time.Time) time.Duration {
	d := r.Base << max(0, next-2)
	if ra, ok := ParseRetryAfter(retryAfter, now); ok {
		d = ra
	}
	if r.Cap > 0 && d > r.Cap {
		d = r.Cap
	}
	return max(d, 0)
}

// ParseRetryAfter reads an HTTP Retry-After header: whole seconds or an HTTP date.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > 86400 {
			n = 86400
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Retryable says whether an HTTP status asks to try again later.
func Retryable(status int) bool {
	return status == http.StatusTooManyRequests || (status >= 500 && status <= 599)
}

// Sleep waits d or until ctx ends. It reports false when the wait would outlast ctx's deadline
// (no point waiting to be cut off) or ctx ended.
func Sleep(ctx context.Context, d time.Duration) bool {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
