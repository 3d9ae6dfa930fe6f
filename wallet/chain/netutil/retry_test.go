package netutil_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestRetryWait(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	r := netutil.Retry{Tries: 4, Base: 100 * time.Millisecond, Cap: 2 * time.Second}
	for _, tc := range []struct {
		name       string
		next       int
		retryAfter string
		want       time.Duration
	}{
		{"first retry waits the base", 2, "", 100 * time.Millisecond},
		{"then doubles", 3, "", 200 * time.Millisecond},
		{"and doubles again", 4, "", 400 * time.Millisecond},
		{"retry-after seconds honoured", 2, "1", time.Second},
		{"retry-after capped", 2, "120", 2 * time.Second},
		{"retry-after zero", 2, "0", 0},
		{"retry-after http date", 2, now.Add(1500 * time.Millisecond).Format(http.TimeFormat), time.Second},
		{"retry-after date in the past", 2, now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"retry-after garbage ignored", 3, "soon", 200 * time.Millisecond},
		{"retry-after negative ignored", 2, "-5", 100 * time.Millisecond},
	} {
		if got := r.Wait(tc.next, tc.retryAfter, now); got != tc.want {
			t.Errorf("%s: Wait = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRetryable(t *testing.T) {
	for status, want := range map[int]bool{429: true, 500: true, 502: true, 503: true, 504: true,
		400: false, 404: false, 200: false, 301: false} {
		if netutil.Retryable(status) != want {
			t.Errorf("Retryable(%d) = %v", status, !want)
		}
	}
}

func TestSleepGivesUpWhenTheDeadlineIsNearer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if netutil.Sleep(ctx, time.Hour) {
		t.Fatal("Sleep waited past the deadline")
	}
	if time.Since(start) > time.Second {
		t.Fatal("Sleep did not give up at once")
	}
	if !netutil.Sleep(context.Background(), time.Millisecond) {
		t.Fatal("a short sleep without deadline failed")
	}
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if netutil.Sleep(cctx, time.Second) {
		t.Fatal("Sleep on a cancelled context succeeded")
	}
}
