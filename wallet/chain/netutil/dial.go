package netutil

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DialError is a failure to open a connection to a server, directly or through the proxy.
// Classify reports it as KindUnreachable (or KindSlow when it timed out).
type DialError struct {
	// Addr is the HOST:PORT asked for.
	Addr string
	// Proxy is the proxy's HOST:PORT, empty for a direct connection.
	Proxy string
	Err   error
}

func (e *DialError) Error() string {
	if e.Proxy != "" {
		return fmt.Sprintf("connect to %s through the SOCKS5 proxy %s: %v", e.Addr, e.Proxy, e.Err)
	}
	return fmt.Sprintf("connect to %s: %v", e.Addr, e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }

// Dialer opens TCP connections, through a SOCKS5 proxy when one is set. Its zero value dials
// directly.
type Dialer struct {
	// Proxy is the SOCKS5 proxy's HOST:PORT; empty dials directly.
	Proxy string
}

// NewDialer reads a proxy URL (socks5://HOST:PORT or socks5h://HOST:PORT; both leave the DNS
// lookup to the proxy). An empty URL gives a direct dialer.
func NewDialer(proxyURL string) (Dialer, error) {
	if proxyURL == "" {
		return Dialer{}, nil
	}
	fail := func(why string) (Dialer, error) {
		return Dialer{}, fmt.Errorf("%w: proxy %q: %s", ErrBadURL, MaskURL(proxyURL), why)
	}
	u, err := url.Parse(proxyURL)
	if err != nil {
		return fail("not a URL")
	}
	if u.Scheme != "socks5" && u.Scheme != "socks5h" {
		return fail("write socks5://HOST:PORT (only SOCKS5 proxies are supported)")
	}
	if u.User != nil {
		return fail("proxy login is not supported")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fail("a proxy URL is only socks5://HOST:PORT")
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" {
		return fail("write socks5://HOST:PORT")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fail("port out of range")
	}
	return Dialer{Proxy: net.JoinHostPort(host, port)}, nil
}

// DialContext opens a TCP connection to addr (HOST:PORT). Through a proxy the host name is
// sent to the proxy unresolved (golang.org/x/net/proxy sends a SOCKS5 domain-name address for
// anything that is not an IP literal), so no DNS query leaves this machine. Errors are
// *DialError; a proxy that refuses or garbles the handshake also wraps ErrSOCKS.
func (d Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var nd net.Dialer
	if d.Proxy == "" {
		c, err := nd.DialContext(ctx, network, addr)
		if err != nil {
			return nil, &DialError{Addr: addr, Err: err}
		}
		return c, nil
	}
	return socksDial(ctx, d.Proxy, addr)
}

// IsLoopback says whether host (no port) is this machine: localhost or a loopback address.
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// IsOnion says whether host (no port) is a Tor onion service, reachable only through a proxy.
func IsOnion(host string) bool {
	return strings.HasSuffix(strings.TrimSuffix(strings.ToLower(host), "."), ".onion")
}
