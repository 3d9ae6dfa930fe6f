package netutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"golang.org/x/net/proxy"
)

// socksHandshakeLimit bounds the handshake when the caller's context has no deadline, so a
// proxy that accepts and then says nothing cannot hang a call.
const socksHandshakeLimit = 30 * time.Second

// ErrSOCKS marks a proxy that refused or garbled the SOCKS5 handshake.
var ErrSOCKS = errors.New("SOCKS5 proxy")

// socksWords rewords golang.org/x/net's handshake errors where satchel has something to add:
// it offers no login, and a proxy answering another version is not a SOCKS5 proxy at all.
var socksWords = []struct{ theirs, ours string }{
	{"no acceptable authentication methods", "the proxy requires a login, which satchel does not send"},
	{"unexpected protocol version", "not a SOCKS5 proxy"},
	{"unknown error ", "the proxy could not connect: "},
}

// socksDial connects to addr through the SOCKS5 proxy at proxyAddr (HOST:PORT) with
// golang.org/x/net/proxy. It tells a proxy that cannot be reached (a plain DialError) from
// one that refuses the connection (a DialError wrapping ErrSOCKS).
func socksDial(ctx context.Context, proxyAddr, addr string) (net.Conn, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, socksHandshakeLimit)
		defer cancel()
	}
	var toProxy error // the error of the TCP connection to the proxy itself, if any
	forward := dialFunc(func(ctx context.Context, network, address string) (net.Conn, error) {
		var nd net.Dialer
		c, err := nd.DialContext(ctx, network, address)
		toProxy = err
		return c, err
	})
	pd, err := proxy.SOCKS5("tcp", proxyAddr, nil, forward)
	if err != nil {
		return nil, &DialError{Addr: addr, Proxy: proxyAddr, Err: err}
	}
	c, err := pd.(proxy.ContextDialer).DialContext(ctx, "tcp", addr)
	if err == nil {
		return c, nil
	}
	if toProxy != nil {
		return nil, &DialError{Addr: addr, Proxy: proxyAddr, Err: toProxy}
	}
	// x/net wraps the handshake's error in a net.OpError naming both ends, which DialError
	// names already: keep its cause.
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	if ctx.Err() != nil {
		return nil, &DialError{Addr: addr, Proxy: proxyAddr,
			Err: fmt.Errorf("%w: %w: %v", ErrSOCKS, ctx.Err(), err)}
	}
	msg := err.Error()
	for _, w := range socksWords {
		if strings.HasPrefix(msg, w.theirs) {
			msg = w.ours + strings.TrimPrefix(msg, w.theirs)
			return nil, &DialError{Addr: addr, Proxy: proxyAddr, Err: fmt.Errorf("%w: %s", ErrSOCKS, msg)}
		}
	}
	// Not reworded: keep the cause's chain (an I/O timeout stays one).
	return nil, &DialError{Addr: addr, Proxy: proxyAddr, Err: fmt.Errorf("%w: %w", ErrSOCKS, err)}
}

// dialFunc makes a function a proxy.ContextDialer, the forward dialer x/net's SOCKS5 client
// reaches the proxy with.
type dialFunc func(ctx context.Context, network, address string) (net.Conn, error)

func (f dialFunc) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return f(ctx, network, address)
}

// Dial is the proxy.Dialer half, for completeness; x/net uses DialContext.
func (f dialFunc) Dial(network, address string) (net.Conn, error) {
	return f(context.Background(), network, address)
}
