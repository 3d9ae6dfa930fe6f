package bip353

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Errors of a resolution. Every one of them means: pay nothing to this name now.
var (
	// ErrUnreachable: the resolver did not answer (or answered garbage).
	ErrUnreachable = errors.New("DNS resolver unreachable")
	// ErrInsecure: the answer's DNSSEC chain is missing, broken, expired or signed by the
	// wrong key.
	ErrInsecure = errors.New("DNSSEC validation failed")
	// ErrNoRecord: the name has no bitcoin: TXT record.
	ErrNoRecord = errors.New("no payment instructions")
	// ErrAmbiguous: more than one bitcoin: TXT record (BIP353 says: refuse).
	ErrAmbiguous = errors.New("more than one payment instruction")
)

// RootAnchors are the DS records of the root zone's key-signing keys as IANA publishes them
// (KSK-2017 and KSK-2024).
var RootAnchors = []string{
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
}

// Resolver resolves BIP353 names through one DNS server, validating DNSSEC itself.
type Resolver struct {
	// Server is HOST:PORT of a recursive resolver.
	Server string
	// Proxy, a SOCKS5 URL, sends every query over TCP through it (DNS over TCP).
	Proxy string
	// Anchors are DS records (presentation form) of the root's keys; nil means RootAnchors.
	// Tests give their own.
	Anchors []string
	// Now is the clock signatures are judged by (the wallet's).
	Now     func() time.Time
	Timeout time.Duration
}

// Record is what a name resolved to.
type Record struct {
	Name Name
	// URI is the BIP321 URI of the TXT record.
	URI string
	// Via lists the CNAMEs followed, in order.
	Via []string
}

// maxQueries bounds the questions one resolution asks, so a hostile server cannot make it
// loop; maxCNAME the aliases followed.
const (
	maxQueries = 64
	maxCNAME   = 8
)

// Resolve looks the name up and returns its payment URI once every signature from the root
// down checks out.
func (r *Resolver) Resolve(ctx context.Context, n Name) (Record, error) {
	anchors := r.Anchors
	if anchors == nil {
		anchors = RootAnchors
	}
	v := &validator{r: r, ctx: ctx, now: time.Now, keys: map[string][]*dns.DNSKEY{}}
	if r.Now != nil {
		v.now = r.Now
	}
	for _, a := range anchors {
		rr, err := dns.NewRR(a)
		ds, ok := rr.(*dns.DS)
		if err != nil || !ok || ds.Hdr.Name != "." {
			return Record{}, fmt.Errorf("%w: bad trust anchor %q", ErrInsecure, a)
		}
		v.anchors = append(v.anchors, ds)
	}
	rec := Record{Name: n}
	name := n.QName()
	for hop := 0; ; hop++ {
		if hop > maxCNAME {
			return rec, fmt.Errorf("%w: %s: more than %d CNAMEs", ErrInsecure, n, maxCNAME)
		}
		m, err := v.query(name, dns.TypeTXT)
		if err != nil {
			return rec, err
		}
		if m.Rcode == dns.RcodeNameError {
			return rec, fmt.Errorf("%w: %s: %s does not exist", ErrNoRecord, n, name)
		}
		if m.Rcode != dns.RcodeSuccess {
			return rec, fmt.Errorf("%w: %s answered %s for %s", ErrUnreachable, r.Server, dns.RcodeToString[m.Rcode], name)
		}
		txts, tsigs := rrset(m.Answer, name, dns.TypeTXT)
		if len(txts) > 0 {
			if err := v.verify(txts, tsigs); err != nil {
				return rec, fmt.Errorf("%s: the TXT record of %s: %w", n, name, err)
			}
			uri, err := pick(txts)
			if err != nil {
				return rec, fmt.Errorf("%s: %w", n, err)
			}
			rec.URI = uri
			return rec, nil
		}
		cn, csigs := rrset(m.Answer, name, dns.TypeCNAME)
		if len(cn) != 1 {
			return rec, fmt.Errorf("%w: %s: %s has no TXT record", ErrNoRecord, n, name)
		}
		if err := v.verify(cn, csigs); err != nil {
			return rec, fmt.Errorf("%s: the CNAME at %s: %w", n, name, err)
		}
		name = dns.CanonicalName(cn[0].(*dns.CNAME).Target)
		rec.Via = append(rec.Via, name)
	}
}

// pick returns the one TXT record that is a bitcoin: URI (its strings joined, as BIP353 says).
func pick(txts []dns.RR) (string, error) {
	var found []string
	for _, rr := range txts {
		s := strings.Join(rr.(*dns.TXT).Txt, "")
		if len(s) >= 8 && strings.EqualFold(s[:8], "bitcoin:") {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w: no TXT record holds a bitcoin: URI", ErrNoRecord)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%w: %d TXT records start with bitcoin:, and BIP353 says to refuse them all", ErrAmbiguous, len(found))
}

// rrset returns the records of type t owned by name in rrs, and the RRSIGs covering them.
func rrset(rrs []dns.RR, name string, t uint16) ([]dns.RR, []*dns.RRSIG) {
	var set []dns.RR
	var sigs []*dns.RRSIG
	for _, rr := range rrs {
		h := rr.Header()
		if !strings.EqualFold(h.Name, name) || h.Class != dns.ClassINET {
			continue
		}
		if h.Rrtype == t {
			set = append(set, rr)
		} else if s, ok := rr.(*dns.RRSIG); ok && s.TypeCovered == t {
			sigs = append(sigs, s)
		}
	}
	return set, sigs
}

// exchange asks the server one question: UDP first, TCP when the answer was truncated or
// UDP failed, and only TCP (through the proxy) when a proxy is set.
func (r *Resolver) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if r.Proxy == "" {
		c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: 4096}
		if resp, _, err := c.ExchangeContext(ctx, m, r.Server); err == nil && !resp.Truncated {
			return resp, checkReply(m, resp)
		}
	}
	d, err := netutil.NewDialer(r.Proxy)
	if err != nil {
		return nil, err
	}
	conn, err := d.DialContext(ctx, "tcp", r.Server)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, r.Server, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	co := &dns.Conn{Conn: conn, UDPSize: 65535}
	if err := co.WriteMsg(m); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, r.Server, err)
	}
	resp, err := co.ReadMsg()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, r.Server, err)
	}
	return resp, checkReply(m, resp)
}

// checkReply refuses an answer to another question.
func checkReply(q, a *dns.Msg) error {
	if a.Id != q.Id || len(a.Question) != 1 || !strings.EqualFold(a.Question[0].Name, q.Question[0].Name) || a.Question[0].Qtype != q.Question[0].Qtype {
		return fmt.Errorf("%w: the answer is not to the question asked", ErrUnreachable)
	}
	return nil
}
