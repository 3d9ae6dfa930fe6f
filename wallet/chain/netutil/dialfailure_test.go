package netutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

func TestDialFailure(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}
	for _, tc := range []struct {
		name         string
		err          error
		addr, reason string
		ok           bool
	}{
		{"dial refused", Endpoint{Name: "electrum://h:1"}.Fail("connect", &DialError{Addr: "h:1", Err: syscall.ECONNREFUSED}), "h:1", "connection refused", true},
		{"http lookup, port from the scheme", fmt.Errorf("%w: x: %w", chain.ErrUnreachable, &url.Error{Op: "Post", URL: "https://x.invalid/api", Err: refused}), "x.invalid:443", "no such host", true},
		{"slow server", &Error{Server: "https://h:3000/api", Kind: KindSlow, Timeout: 30 * time.Second, Err: context.DeadlineExceeded}, "h:3000", "no answer within 30s", true},
		{"a refusal says more itself", Endpoint{Name: "https://h/api"}.Refused("GET /x", "status 500"), "", "", false},
		{"another chain", Endpoint{Name: "https://h/api"}.WrongNetwork("a", "b"), "", "", false},
		{"not a backend's error", syscall.ECONNREFUSED, "", "", false},
		{"cancelled", fmt.Errorf("%w: %w", chain.ErrUnreachable, context.Canceled), "", "", false},
	} {
		addr, reason, ok := DialFailure(tc.err)
		if addr != tc.addr || reason != tc.reason || ok != tc.ok {
			t.Errorf("%s: %q %q %v, want %q %q %v", tc.name, addr, reason, ok, tc.addr, tc.reason, tc.ok)
		}
	}
	if _, _, ok := DialFailure(errors.New("x")); ok {
		t.Error("a plain error is a dial failure")
	}
}
