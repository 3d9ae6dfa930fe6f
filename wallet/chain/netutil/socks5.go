package netutil

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// SOCKS5 (RFC 1928) constants used by the client.
const (
	socksVersion    = 5
	socksNoAuth     = 0x00
	socksNoMethod   = 0xff
	socksCmdConnect = 0x01
	socksATypIPv4   = 0x01
	socksATypDomain = 0x03
	socksATypIPv6   = 0x04
	// socksHandshakeLimit bounds the handshake when the caller's context has no deadline, so
	// a proxy that accepts and then says nothing cannot hang a call.
	socksHandshakeLimit = 30 * time.Second
)

// ErrSOCKS marks a proxy that refused or garbled the SOCKS5 handshake.
var ErrSOCKS = errors.New("SOCKS5 proxy")

// socksReplies are RFC 1928's reply codes, section 6.
var socksReplies = map[byte]string{
	1: "general SOCKS server failure",
	2: "connection not allowed by ruleset",
	3: "network unreachable",
	4: "host unreachable",
	5: "connection refused",
	6: "TTL expired",
	7: "command not supported",
	8: "address type not supported",
}

// socksConnect asks the proxy on c to connect to addr. A host name goes as a domain name
// (ATYP 3) so the proxy resolves it; an IP literal as an address.
func socksConnect(ctx context.Context, c net.Conn, addr string) error {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: bad address %q: %v", ErrSOCKS, addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 1 || port > 65535 {
		return fmt.Errorf("%w: bad port in %q", ErrSOCKS, addr)
	}
	req, err := socksRequest(host, uint16(port))
	if err != nil {
		return err
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(socksHandshakeLimit)
	}
	if err := c.SetDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	// Greeting: version 5, one method, "no authentication".
	if _, err := c.Write([]byte{socksVersion, 1, socksNoAuth}); err != nil {
		return ctxErr(ctx, err)
	}
	var choice [2]byte
	if _, err := io.ReadFull(c, choice[:]); err != nil {
		return ctxErr(ctx, err)
	}
	if choice[0] != socksVersion {
		return fmt.Errorf("%w: not a SOCKS5 proxy (version byte %d)", ErrSOCKS, choice[0])
	}
	if choice[1] == socksNoMethod {
		return fmt.Errorf("%w: the proxy requires a login", ErrSOCKS)
	}
	if choice[1] != socksNoAuth {
		return fmt.Errorf("%w: the proxy chose authentication method %d", ErrSOCKS, choice[1])
	}
	if _, err := c.Write(req); err != nil {
		return ctxErr(ctx, err)
	}
	if err := readSocksReply(c); err != nil {
		return ctxErr(ctx, err)
	}
	if stop() {
		return c.SetDeadline(time.Time{})
	}
	return ctxErr(ctx, context.Cause(ctx))
}

// ctxErr prefers the context's error over the I/O error it caused, so a timeout reads as one.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %v", ctx.Err(), err)
	}
	return err
}

// socksRequest builds a CONNECT request for host:port.
func socksRequest(host string, port uint16) ([]byte, error) {
	req := []byte{socksVersion, socksCmdConnect, 0}
	if ip := net.ParseIP(host); ip != nil {
		if v4 := ip.To4(); v4 != nil {
			req = append(append(req, socksATypIPv4), v4...)
		} else {
			req = append(append(req, socksATypIPv6), ip.To16()...)
		}
	} else {
		if len(host) == 0 || len(host) > 255 {
			return nil, fmt.Errorf("%w: host name %q is empty or longer than 255 bytes", ErrSOCKS, host)
		}
		req = append(append(req, socksATypDomain, byte(len(host))), host...)
	}
	return binary.BigEndian.AppendUint16(req, port), nil
}

// readSocksReply reads the proxy's answer to CONNECT and its bound address.
func readSocksReply(r io.Reader) error {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return err
	}
	if head[0] != socksVersion {
		return fmt.Errorf("%w: bad reply version %d", ErrSOCKS, head[0])
	}
	if head[1] != 0 {
		msg, ok := socksReplies[head[1]]
		if !ok {
			msg = "unknown reply code " + strconv.Itoa(int(head[1]))
		}
		return fmt.Errorf("%w: %s", ErrSOCKS, msg)
	}
	var n int
	switch head[3] {
	case socksATypIPv4:
		n = 4
	case socksATypIPv6:
		n = 16
	case socksATypDomain:
		var l [1]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return err
		}
		n = int(l[0])
	default:
		return fmt.Errorf("%w: bad address type %d in reply", ErrSOCKS, head[3])
	}
	// The bound address and port mean nothing to a CONNECT client: skip them.
	_, err := io.ReadFull(r, make([]byte, n+2))
	return err
}
