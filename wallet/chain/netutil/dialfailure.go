package netutil

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/satchel-wallet/satchel/wallet/chain"
)

// DialFailure finds in err, from any backend, why no connection to the server could be made
// or no answer came: the HOST:PORT tried (empty when err does not say) and the reason in a
// few words ("connection refused", "no such host", "no answer in time"). ok is false for
// every other failure (a refusal, a bad answer, a server on another chain), whose own words
// say more. A person reads these words; the Go chain of dial, lookup and syscall says less.
func DialFailure(err error) (addr, reason string, ok bool) {
	if err == nil || errors.Is(err, chain.ErrWrongNetwork) || errors.Is(err, context.Canceled) ||
		!(errors.Is(err, chain.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded)) {
		return "", "", false
	}
	var dns *net.DNSError
	var ne net.Error
	var ce *Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = "connection refused"
	case errors.As(err, &dns) && dns.IsNotFound:
		reason = "no such host"
	case errors.As(err, &dns):
		reason = "the name lookup failed"
	case errors.Is(err, syscall.EHOSTUNREACH):
		reason = "no route to host"
	case errors.Is(err, syscall.ENETUNREACH):
		reason = "network unreachable"
	case errors.As(err, &ce) && ce.Kind == KindSlow && ce.Timeout > 0:
		reason = "no answer within " + ce.Timeout.String()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		reason = "no answer in time"
	default:
		return "", "", false
	}
	return failedAddr(err), reason, true
}

// failedAddr is the HOST:PORT a failed call went to, from the most precise error that names it.
func failedAddr(err error) string {
	var de *DialError
	var op *net.OpError
	var ue *url.Error
	var ce *Error
	switch {
	case errors.As(err, &de):
		return de.Addr
	case errors.As(err, &op) && op.Addr != nil:
		return op.Addr.String()
	case errors.As(err, &ue):
		return hostPort(ue.URL)
	case errors.As(err, &ce):
		return hostPort(ce.Server)
	}
	return ""
}

// hostPort is a URL's HOST:PORT, with the scheme's port when the URL gives none.
func hostPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	if u.Port() != "" {
		return u.Host
	}
	port := map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	if port == "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), port)
}
