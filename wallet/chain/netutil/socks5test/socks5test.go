package socks5test

import (
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
)

// Request is one CONNECT the proxy received.
type Request struct {
	// AddrType is the SOCKS address type: 1 IPv4, 3 domain name, 4 IPv6.
	AddrType byte
	// Host is the domain name or IP address as sent.
	Host string
	Port uint16
}

// Proxy is a running test proxy.
type Proxy struct {
	ln    net.Listener
	route func(host string, port uint16) string
	// Reply, when not 0, is the reply code sent instead of connecting (5 = refused).
	Reply byte

	mu     sync.Mutex
	reqs   []Request
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// Start runs a proxy on 127.0.0.1 until the test ends. route maps each requested host and port
// to the HOST:PORT actually dialled; nil dials what was asked.
func Start(t testing.TB, route func(host string, port uint16) string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("socks5test: listen: %v", err)
	}
	p := &Proxy{ln: ln, route: route, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's HOST:PORT.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// URL is the proxy as a client option takes it: socks5://127.0.0.1:PORT.
func (p *Proxy) URL() string { return "socks5://" + p.Addr() }

// Requests returns the CONNECTs received so far.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.reqs...)
}

// Close stops the proxy, cuts its connections and waits for them to end.
func (p *Proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// track registers c to be cut by Close; it reports false (and closes c) when closing.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(c)
		}()
	}
}

func (p *Proxy) handle(c net.Conn) {
	if !p.track(c) {
		return
	}
	defer p.untrack(c)
	var head [2]byte
	if _, err := io.ReadFull(c, head[:]); err != nil || head[0] != 5 {
		return
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(c, methods); err != nil {
		return
	}
	noAuth := false
	for _, m := range methods {
		noAuth = noAuth || m == 0
	}
	if !noAuth {
		c.Write([]byte{5, 0xff})
		return
	}
	if _, err := c.Write([]byte{5, 0}); err != nil {
		return
	}
	var req [4]byte
	if _, err := io.ReadFull(c, req[:]); err != nil || req[0] != 5 || req[1] != 1 {
		return
	}
	var r Request
	r.AddrType = req[3]
	switch req[3] {
	case 1, 4:
		ip := make([]byte, 4)
		if req[3] == 4 {
			ip = make([]byte, 16)
		}
		if _, err := io.ReadFull(c, ip); err != nil {
			return
		}
		r.Host = net.IP(ip).String()
	case 3:
		var l [1]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return
		}
		name := make([]byte, l[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return
		}
		r.Host = string(name)
	default:
		c.Write([]byte{5, 8, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	var port [2]byte
	if _, err := io.ReadFull(c, port[:]); err != nil {
		return
	}
	r.Port = binary.BigEndian.Uint16(port[:])
	p.mu.Lock()
	p.reqs = append(p.reqs, r)
	p.mu.Unlock()

	if p.Reply != 0 {
		c.Write([]byte{5, p.Reply, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	target := net.JoinHostPort(r.Host, strconv.Itoa(int(r.Port)))
	if p.route != nil {
		target = p.route(r.Host, r.Port)
	}
	up, err := net.Dial("tcp", target)
	if err != nil {
		c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	if !p.track(up) {
		return
	}
	defer p.untrack(up)
	// Bound address: a domain, to exercise the client's parsing of that form.
	reply := append([]byte{5, 0, 0, 3, 9}, "localhost"...)
	reply = append(reply, 0, 0)
	if _, err := c.Write(reply); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); closeWrite(up); done <- struct{}{} }()
	go func() { io.Copy(c, up); closeWrite(c); done <- struct{}{} }()
	<-done
	<-done
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
}
