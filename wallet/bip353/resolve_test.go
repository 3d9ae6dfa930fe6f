package bip353_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/satchel-wallet/satchel/wallet/bip353"
	"github.com/satchel-wallet/satchel/wallet/bip353/bip353test"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const uri = "bitcoin:bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080?label=alice"

func qname(user, domain string) string { return user + ".user._bitcoin-payment." + domain + "." }

func setup(t *testing.T) (*bip353test.Server, *bip353.Resolver) {
	s := bip353test.Start(t, now)
	ex := "example.test."
	s.PutSigned(ex, bip353test.TXT(qname("alice", "example.test"), uri))
	s.PutSigned(ex, bip353test.TXT(qname("split", "example.test"), "bitcoin:bcrt1qw508d6qejxtdg4y5r3z", "arvary0c5xw7kygt080"))
	s.PutSigned(ex, bip353test.TXT(qname("mixed", "example.test"), "v=spf1 -all"), bip353test.TXT(qname("mixed", "example.test"), uri))
	s.PutSigned(ex, bip353test.TXT(qname("two", "example.test"), uri), bip353test.TXT(qname("two", "example.test"), "BITCOIN:bcrt1qother"))
	s.PutSigned(ex, bip353test.CNAME(qname("alias", "example.test"), qname("alice", "example.test")))
	s.PutSigned(ex, bip353test.CNAME(qname("loop", "example.test"), qname("loop", "example.test")))
	// Unsigned, expired, not yet valid, wrong key, wrong signer.
	s.Put(bip353test.TXT(qname("nosig", "example.test"), uri))
	exp := []dns.RR{bip353test.TXT(qname("expired", "example.test"), uri)}
	s.Put(exp[0], s.Sign(s.Zones[ex], exp, func(r *dns.RRSIG) {
		r.Inception, r.Expiration = uint32(now.Add(-48*time.Hour).Unix()), uint32(now.Add(-time.Hour).Unix())
	}))
	future := []dns.RR{bip353test.TXT(qname("future", "example.test"), uri)}
	s.Put(future[0], s.Sign(s.Zones[ex], future, func(r *dns.RRSIG) { r.Inception = uint32(now.Add(time.Hour).Unix()) }))
	wrong := []dns.RR{bip353test.TXT(qname("wrongkey", "example.test"), uri)}
	s.Put(wrong[0], s.Sign(bip353test.NewKey(t, ex), wrong, nil))
	// Signed with a valid key of another zone, which has no say over this name.
	other := []dns.RR{bip353test.TXT(qname("otherzone", "example.test"), uri)}
	s.Put(other[0], s.Sign(s.Zones["unsigned.test."], other, nil))
	// Tampered: the signature is over another URI.
	tam := []dns.RR{bip353test.TXT(qname("tampered", "example.test"), "bitcoin:bcrt1qsomeoneelse")}
	sig := s.Sign(s.Zones[ex], tam, nil)
	s.Put(bip353test.TXT(qname("tampered", "example.test"), uri), sig)
	// A zone delegated without DS: its own signatures prove nothing.
	s.PutSigned("unsigned.test.", bip353test.TXT(qname("bob", "unsigned.test"), uri))
	// Absence, with the NSEC a signed zone would give (satchel refuses either way).
	nsec := &dns.NSEC{Hdr: dns.RR_Header{Name: qname("alice", "example.test"), Rrtype: dns.TypeNSEC, Class: dns.ClassINET, Ttl: 300},
		NextDomain: qname("split", "example.test"), TypeBitMap: []uint16{dns.TypeTXT, dns.TypeRRSIG, dns.TypeNSEC}}
	s.PutSigned(ex, nsec)
	return s, &bip353.Resolver{Server: s.Addr, Anchors: []string{s.Anchor}, Now: func() time.Time { return now }, Timeout: 5 * time.Second}
}

func TestResolve(t *testing.T) {
	_, r := setup(t)
	for _, tc := range []struct {
		user string
		want string
		err  error
	}{
		{"alice", uri, nil},
		{"split", "bitcoin:bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", nil},
		{"mixed", uri, nil},
		{"alias", uri, nil},
		{"two", "", bip353.ErrAmbiguous},
		{"nosig", "", bip353.ErrInsecure},
		{"expired", "", bip353.ErrInsecure},
		{"future", "", bip353.ErrInsecure},
		{"wrongkey", "", bip353.ErrInsecure},
		{"otherzone", "", bip353.ErrInsecure},
		{"tampered", "", bip353.ErrInsecure},
		{"loop", "", bip353.ErrInsecure},
		{"nobody", "", bip353.ErrNoRecord},
	} {
		t.Run(tc.user, func(t *testing.T) {
			n, err := bip353.ParseName("₿" + tc.user + "@example.test")
			if err != nil {
				t.Fatal(err)
			}
			rec, err := r.Resolve(context.Background(), n)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %q, %v; want %v", rec.URI, err, tc.err)
				}
				return
			}
			if err != nil || rec.URI != tc.want {
				t.Fatalf("got %q, %v; want %q", rec.URI, err, tc.want)
			}
		})
	}
}

func TestResolveRefusesInsecureDelegation(t *testing.T) {
	_, r := setup(t)
	n, _ := bip353.ParseName("bob@unsigned.test")
	if _, err := r.Resolve(context.Background(), n); !errors.Is(err, bip353.ErrInsecure) {
		t.Fatalf("a zone without DS at its parent: %v", err)
	}
}

func TestResolveRefusesAnotherTrustAnchor(t *testing.T) {
	_, r := setup(t)
	r.Anchors = nil // the real root's keys: the test hierarchy is not under them
	n, _ := bip353.ParseName("alice@example.test")
	if _, err := r.Resolve(context.Background(), n); !errors.Is(err, bip353.ErrInsecure) {
		t.Fatalf("resolved under the wrong trust anchor: %v", err)
	}
}

func TestResolveFallsBackToTCP(t *testing.T) {
	s, r := setup(t)
	s.SetTCPOnly(true)
	n, _ := bip353.ParseName("alice@example.test")
	rec, err := r.Resolve(context.Background(), n)
	if err != nil || rec.URI != uri || s.Queries("tcp") == 0 {
		t.Fatalf("%q %v, tcp queries %d", rec.URI, err, s.Queries("tcp"))
	}
}

func TestResolveUnreachable(t *testing.T) {
	r := &bip353.Resolver{Server: "127.0.0.1:1", Anchors: []string{". IN DS 1 13 2 00"}, Timeout: time.Second}
	n, _ := bip353.ParseName("alice@example.test")
	if _, err := r.Resolve(context.Background(), n); !errors.Is(err, bip353.ErrUnreachable) {
		t.Fatalf("closed port: %v", err)
	}
}

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		in, q string
		ok    bool
	}{
		{"₿alice@example.com", "alice.user._bitcoin-payment.example.com.", true},
		{"Alice@Example.COM", "alice.user._bitcoin-payment.example.com.", true},
		{"alice@example.com.", "alice.user._bitcoin-payment.example.com.", true},
		{"alice@localhost", "", false},
		{"@example.com", "", false},
		{"alice@", "", false},
		{"a@b@example.com", "", false},
		{"al ice@example.com", "", false},
		{"alice@exa..mple.com", "", false},
		{"-alice@example.com", "", false},
	} {
		n, err := bip353.ParseName(tc.in)
		if (err == nil) != tc.ok || (tc.ok && n.QName() != tc.q) {
			t.Errorf("ParseName(%q) = %q, %v", tc.in, n.QName(), err)
		}
	}
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"₿alice@example.com", "a@b.c", "x@y", "@@", "₿₿a@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := bip353.ParseName(s)
		if err != nil {
			return
		}
		if _, ok := dns.IsDomainName(n.QName()); !ok {
			t.Fatalf("%q gives %q", s, n.QName())
		}
		back, err := bip353.ParseName(n.String())
		if err != nil || back != n {
			t.Fatalf("%q -> %v -> %v %v", s, n, back, err)
		}
	})
}

func TestResolveThroughProxyUsesTCP(t *testing.T) {
	s, r := setup(t)
	px := socks5test.Start(t, func(string, uint16) string { return s.Addr })
	r.Server, r.Proxy = "dns.invalid:53", px.URL()
	n, _ := bip353.ParseName("alice@example.test")
	rec, err := r.Resolve(context.Background(), n)
	if err != nil || rec.URI != uri {
		t.Fatalf("%q %v", rec.URI, err)
	}
	if s.Queries("udp") != 0 || s.Queries("tcp") == 0 || len(px.Requests()) == 0 || px.Requests()[0].Host != "dns.invalid" {
		t.Fatalf("queries udp %d tcp %d, proxy %v: every query must go over TCP through the proxy", s.Queries("udp"), s.Queries("tcp"), px.Requests())
	}
}
