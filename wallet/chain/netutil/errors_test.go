package netutil_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want netutil.Kind
	}{
		{"deadline", context.DeadlineExceeded, netutil.KindSlow},
		{"socket timeout", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, netutil.KindSlow},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), netutil.KindCancelled},
		{"dial refused", &netutil.DialError{Addr: "h:1", Err: syscall.ECONNREFUSED}, netutil.KindUnreachable},
		{"eof mid answer", io.ErrUnexpectedEOF, netutil.KindDropped},
		{"reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, netutil.KindDropped},
		{"anything else", errors.New("tls: bad certificate"), netutil.KindUnreachable},
	} {
		if got := netutil.Classify(tc.err); got != tc.want {
			t.Errorf("%s: Classify = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestErrorsNameTheServerAndWrapUnreachable(t *testing.T) {
	p := netutil.Endpoint{Name: "https://u:***@esplora.example/api", Timeout: 30 * time.Second}
	for _, tc := range []struct {
		err  error
		want []string
	}{
		{p.Fail("GET /blocks/tip/height", &netutil.DialError{Addr: "esplora.example:443", Err: syscall.ECONNREFUSED}),
			[]string{"cannot reach the server", "connection refused"}},
		{p.Fail("GET /blocks/tip/height", context.DeadlineExceeded), []string{"no answer within 30s"}},
		{p.Refused("GET /tx/ab/hex", "HTTP 503: busy"), []string{"refused", "HTTP 503: busy"}},
		{p.Bad("GET /tx/ab/hex", "transaction %s is not hex", "ab"), []string{"bad answer", "not hex"}},
		{p.WrongNetwork("aa", "bb"), []string{"genesis block is aa"}},
	} {
		msg := tc.err.Error()
		if !errors.Is(tc.err, chain.ErrUnreachable) {
			t.Errorf("%q does not wrap chain.ErrUnreachable", msg)
		}
		if !strings.HasPrefix(msg, p.Name+": ") {
			t.Errorf("%q does not start with the server name", msg)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q does not say %q", msg, w)
			}
		}
	}
	if err := p.WrongNetwork("a", "b"); !errors.Is(err, netutil.ErrWrongNetwork) {
		t.Errorf("WrongNetwork does not wrap ErrWrongNetwork")
	}
	if err := p.Fail("x", context.DeadlineExceeded); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Fail loses its cause")
	}
	inner := p.Refused("a", "b")
	if p.Fail("outer", inner) != inner {
		t.Errorf("Fail re-wraps an error that is already classified")
	}
}
