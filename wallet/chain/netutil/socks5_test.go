package netutil_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

// echoServer answers every line with the same line, on loopback.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

func roundTrip(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 5)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "ping\n" {
		t.Fatalf("echo through proxy: %q, %v", got, err)
	}
}

func TestSOCKSSendsHostNamesUnresolved(t *testing.T) {
	target := echoServer(t)
	p := socks5test.Start(t, func(string, uint16) string { return target })
	d, err := netutil.NewDialer(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	onion := strings.Repeat("a", 56) + ".onion"
	c, err := d.DialContext(context.Background(), "tcp", onion+":50001")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c)
	reqs := p.Requests()
	if len(reqs) != 1 || reqs[0].AddrType != 3 || reqs[0].Host != onion || reqs[0].Port != 50001 {
		t.Fatalf("proxy saw %+v, want one domain-name CONNECT to %s:50001", reqs, onion)
	}
}

func TestSOCKSSendsIPLiteralsAsAddresses(t *testing.T) {
	target := echoServer(t)
	p := socks5test.Start(t, nil)
	d, _ := netutil.NewDialer(p.URL())
	c, err := d.DialContext(context.Background(), "tcp", target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	roundTrip(t, c)
	if reqs := p.Requests(); len(reqs) != 1 || reqs[0].AddrType != 1 || reqs[0].Host != "127.0.0.1" {
		t.Fatalf("proxy saw %+v, want an IPv4 CONNECT", reqs)
	}
}

func TestSOCKSRefusalIsUnreachable(t *testing.T) {
	p := socks5test.Start(t, nil)
	p.Reply = 5
	d, _ := netutil.NewDialer(p.URL())
	_, err := d.DialContext(context.Background(), "tcp", "example.invalid:80")
	var de *netutil.DialError
	if !errors.As(err, &de) || !errors.Is(err, netutil.ErrSOCKS) || de.Proxy != p.Addr() {
		t.Fatalf("got %v, want a DialError through the proxy wrapping ErrSOCKS", err)
	}
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("message %q does not give the proxy's reason", err)
	}
	if k := netutil.Classify(err); k != netutil.KindUnreachable {
		t.Errorf("kind %s, want unreachable", k)
	}
}

func TestSOCKSProxyDownIsUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	d, _ := netutil.NewDialer("socks5://" + addr)
	_, err := d.DialContext(context.Background(), "tcp", "example.invalid:80")
	var de *netutil.DialError
	if !errors.As(err, &de) || netutil.Classify(err) != netutil.KindUnreachable {
		t.Fatalf("got %v, want an unreachable DialError", err)
	}
}

// fakeProxy answers the greeting with the given bytes and then stalls.
func fakeProxy(t *testing.T, answer []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 3)
				io.ReadFull(c, buf)
				c.Write(answer)
				<-done
			}()
		}
	}()
	return ln.Addr().String()
}

func TestSOCKSHandshakeFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer []byte
		want   string
	}{
		{"proxy wants a login", []byte{5, 0xff}, "requires a login"},
		{"not socks5", []byte{4, 0}, "not a SOCKS5 proxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := netutil.NewDialer("socks5://" + fakeProxy(t, tc.answer))
			_, err := d.DialContext(context.Background(), "tcp", "host.example:1")
			if !errors.Is(err, netutil.ErrSOCKS) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrSOCKS saying %q", err, tc.want)
			}
		})
	}
}

// A proxy that picks a method it was not offered (2, GSSAPI) is taken at its word by
// golang.org/x/net, which goes on to CONNECT: the call then ends with its context, as with
// any proxy that stops answering.
func TestSOCKSUnofferedAuthMethodEndsWithTheContext(t *testing.T) {
	d, _ := netutil.NewDialer("socks5://" + fakeProxy(t, []byte{5, 2}))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := d.DialContext(ctx, "tcp", "host.example:1")
	if !errors.Is(err, netutil.ErrSOCKS) || netutil.Classify(err) != netutil.KindSlow {
		t.Fatalf("got %v, want a slow ErrSOCKS", err)
	}
}

func TestSOCKSSilentProxyTimesOut(t *testing.T) {
	d, _ := netutil.NewDialer("socks5://" + fakeProxy(t, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := d.DialContext(ctx, "tcp", "host.example:1")
	if k := netutil.Classify(err); k != netutil.KindSlow {
		t.Fatalf("got %v (kind %s), want slow", err, k)
	}
}

func TestNewDialer(t *testing.T) {
	for _, tc := range []struct {
		url, proxy string
		ok         bool
	}{
		{"", "", true},
		{"socks5://127.0.0.1:9050", "127.0.0.1:9050", true},
		{"socks5h://localhost:9150", "localhost:9150", true},
		{"socks5://[::1]:9050", "[::1]:9050", true},
		{"http://127.0.0.1:8080", "", false},
		{"socks5://127.0.0.1", "", false},
		{"socks5://127.0.0.1:0", "", false},
		{"socks5://127.0.0.1:70000", "", false},
		{"socks5://user:pw@127.0.0.1:9050", "", false},
		{"socks5://127.0.0.1:9050/path", "", false},
		{"socks5://:9050", "", false},
	} {
		d, err := netutil.NewDialer(tc.url)
		if (err == nil) != tc.ok || d.Proxy != tc.proxy {
			t.Errorf("NewDialer(%q) = %+v, %v", tc.url, d, err)
		}
		if err != nil && !errors.Is(err, netutil.ErrBadURL) {
			t.Errorf("NewDialer(%q): %v does not wrap ErrBadURL", tc.url, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("NewDialer(%q): error shows the password: %v", tc.url, err)
		}
	}
}

func TestHostKinds(t *testing.T) {
	for _, tc := range []struct {
		host            string
		loopback, onion bool
	}{
		{"localhost", true, false},
		{"LOCALHOST.", true, false},
		{"127.0.0.1", true, false},
		{"127.8.9.10", true, false},
		{"::1", true, false},
		{"[::1]", true, false},
		{"10.0.0.1", false, false},
		{"example.com", false, false},
		{"localhost.example.com", false, false},
		{"abc.onion", false, true},
		{"ABC.ONION", false, true},
		{"onion.example", false, false},
	} {
		if got := netutil.IsLoopback(tc.host); got != tc.loopback {
			t.Errorf("IsLoopback(%q) = %v", tc.host, got)
		}
		if got := netutil.IsOnion(tc.host); got != tc.onion {
			t.Errorf("IsOnion(%q) = %v", tc.host, got)
		}
	}
}

func TestSOCKSReplyForms(t *testing.T) {
	// Through the real dialer: a fake proxy that answers the greeting, then CONNECT with a
	// given reply, then echoes.
	for _, tc := range []struct {
		name  string
		reply []byte
		ok    bool
	}{
		{"ipv4 bound address", []byte{5, 0, 0, 1, 1, 2, 3, 4, 0, 80}, true},
		{"ipv6 bound address", append(append([]byte{5, 0, 0, 4}, make([]byte, 16)...), 0, 80), true},
		{"domain bound address", append([]byte{5, 0, 0, 3, 3, 'a', 'b', 'c'}, 0, 80), true},
		{"bad address type", []byte{5, 0, 0, 9, 0, 0}, false},
		{"bad version", []byte{4, 0, 0, 1, 1, 2, 3, 4, 0, 80}, false},
		{"host unreachable", []byte{5, 4, 0, 1, 0, 0, 0, 0, 0, 0}, false},
		{"unknown code", []byte{5, 99, 0, 1, 0, 0, 0, 0, 0, 0}, false},
		{"cut short", []byte{5, 0, 0, 1, 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := scriptedProxy(t, tc.reply)
			d, _ := netutil.NewDialer("socks5://" + addr)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			c, err := d.DialContext(ctx, "tcp", "host.example:80")
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if err == nil {
				c.Close()
			}
		})
	}
}

// scriptedProxy accepts the greeting, reads a CONNECT for a domain and sends reply, then
// closes.
func scriptedProxy(t *testing.T, reply []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		greet := make([]byte, 3)
		if _, err := io.ReadFull(c, greet); err != nil || !bytes.Equal(greet, []byte{5, 1, 0}) {
			return
		}
		c.Write([]byte{5, 0})
		head := make([]byte, 5)
		if _, err := io.ReadFull(c, head); err != nil {
			return
		}
		rest := make([]byte, int(head[4])+2)
		io.ReadFull(c, rest)
		c.Write(reply)
	}()
	return ln.Addr().String()
}
