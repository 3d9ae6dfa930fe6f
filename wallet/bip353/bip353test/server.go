// Package bip353test serves a signed test DNS hierarchy (".", "test.", "example.test.") from a
// local server that answers like a recursive resolver, for BIP353 tests: its root key is the
// test's trust anchor.
package bip353test

import (
	"crypto"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Zone is a signed zone of the test hierarchy.
type Zone struct {
	Name string
	Key  *dns.DNSKEY
	Priv crypto.Signer
}

// Server is the test resolver.
type Server struct {
	// Addr is HOST:PORT (UDP and TCP).
	Addr string
	// Anchor is the DS of the test root key, presentation form: the trust anchor to use.
	Anchor string
	// Zones by name: ".", "test.", "example.test.", and "unsigned.test." (delegated without DS).
	Zones map[string]*Zone
	// Now is when signatures are made: valid from an hour before it for 30 days.
	Now time.Time

	mu      sync.Mutex
	records map[string][]dns.RR // name|type -> records, RRSIGs included
	names   map[string]bool
	// tcpOnly answers UDP queries truncated, so the client must retry over TCP.
	tcpOnly bool
	// queries counts questions by transport.
	queries map[string]int
}

// SetTCPOnly makes the server answer UDP queries truncated (true), so a client must retry
// over TCP. It is safe while the server runs.
func (s *Server) SetTCPOnly(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tcpOnly = on
}

// Queries is how many questions came over network ("udp" or "tcp") so far.
func (s *Server) Queries(network string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[network]
}

func key(name string, t uint16) string {
	return strings.ToLower(dns.Fqdn(name)) + "|" + dns.TypeToString[t]
}

// Start builds and serves the hierarchy; the server stops when the test ends.
func Start(t testing.TB, now time.Time) *Server {
	t.Helper()
	s := &Server{Zones: map[string]*Zone{}, Now: now, records: map[string][]dns.RR{}, names: map[string]bool{}, queries: map[string]int{}}
	for _, z := range []string{".", "test.", "example.test.", "unsigned.test."} {
		s.Zones[z] = newZone(t, z)
	}
	for _, z := range s.Zones {
		s.PutSigned(z.Name, z.Key)
	}
	s.PutSigned(".", s.Zones["test."].Key.ToDS(dns.SHA256))
	s.PutSigned("test.", s.Zones["example.test."].Key.ToDS(dns.SHA256))
	s.Anchor = s.Zones["."].Key.ToDS(dns.SHA256).String()
	s.serve(t)
	return s
}

func newZone(t testing.TB, name string) *Zone {
	k := &dns.DNSKEY{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 3600},
		Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
	priv, err := k.Generate(256)
	if err != nil {
		t.Fatal(err)
	}
	return &Zone{Name: name, Key: k, Priv: priv.(crypto.Signer)}
}

// NewKey makes a key of zone's name that no DS vouches for (a wrong key for tests).
func NewKey(t testing.TB, zone string) *Zone { return newZone(t, zone) }

// Sign returns the RRSIG of rrs (one owner, one type) by z, valid from an hour before s.Now
// for 30 days; change may alter it before it is signed (an expired validity, another signer).
func (s *Server) Sign(z *Zone, rrs []dns.RR, change func(*dns.RRSIG)) *dns.RRSIG {
	h := rrs[0].Header()
	sig := &dns.RRSIG{Hdr: dns.RR_Header{Name: h.Name, Rrtype: dns.TypeRRSIG, Class: dns.ClassINET, Ttl: h.Ttl},
		TypeCovered: h.Rrtype, Algorithm: z.Key.Algorithm, Labels: uint8(dns.CountLabel(h.Name)), OrigTtl: h.Ttl,
		Expiration: uint32(s.Now.Add(30 * 24 * time.Hour).Unix()), Inception: uint32(s.Now.Add(-time.Hour).Unix()),
		KeyTag: z.Key.KeyTag(), SignerName: z.Name}
	if change != nil {
		change(sig)
	}
	if err := sig.Sign(z.Priv, rrs); err != nil {
		panic(err)
	}
	return sig
}

// PutSigned stores records of one owner and type, signed by zone's key.
func (s *Server) PutSigned(zone string, rrs ...dns.RR) {
	s.Put(append(rrs, s.Sign(s.Zones[zone], rrs, nil))...)
}

// Put stores records as given (signed or not).
func (s *Server) Put(rrs ...dns.RR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rr := range rrs {
		h := rr.Header()
		t := h.Rrtype
		if sig, ok := rr.(*dns.RRSIG); ok {
			t = sig.TypeCovered
		}
		s.records[key(h.Name, t)] = append(s.records[key(h.Name, t)], rr)
		s.names[strings.ToLower(h.Name)] = true
	}
}

// Delete removes the records (and their signatures) of one owner and type.
func (s *Server) Delete(name string, t uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.records, key(name, t))
}

// TXT makes a TXT record.
func TXT(name string, texts ...string) *dns.TXT {
	return &dns.TXT{Hdr: dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 300}, Txt: texts}
}

// CNAME makes a CNAME record.
func CNAME(name, target string) *dns.CNAME {
	return &dns.CNAME{Hdr: dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 300}, Target: dns.Fqdn(target)}
}

func (s *Server) handle(w dns.ResponseWriter, q *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries[w.LocalAddr().Network()]++
	if s.tcpOnly && w.LocalAddr().Network() == "udp" {
		m.Truncated = true
		_ = w.WriteMsg(m)
		return
	}
	qn := q.Question[0]
	if rrs, ok := s.records[key(qn.Name, qn.Qtype)]; ok {
		m.Answer = rrs
	} else if rrs, ok := s.records[key(qn.Name, dns.TypeCNAME)]; ok {
		m.Answer = rrs
	} else if !s.names[strings.ToLower(qn.Name)] {
		m.Rcode = dns.RcodeNameError
	}
	_ = w.WriteMsg(m)
}

func (s *Server) serve(t testing.TB) {
	for try := 0; ; try++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		l, err := net.Listen("tcp", pc.LocalAddr().String())
		if err != nil {
			pc.Close()
			if try < 10 {
				continue
			}
			t.Fatal(err)
		}
		s.Addr = pc.LocalAddr().String()
		h := dns.HandlerFunc(s.handle)
		u := &dns.Server{PacketConn: pc, Handler: h}
		tc := &dns.Server{Listener: l, Handler: h}
		go func() { _ = u.ActivateAndServe() }()
		go func() { _ = tc.ActivateAndServe() }()
		t.Cleanup(func() { _ = u.Shutdown(); _ = tc.Shutdown() })
		return
	}
}
