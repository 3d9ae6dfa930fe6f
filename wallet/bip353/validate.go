package bip353

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// validator builds the chain of trust from the root down for the records of one resolution.
type validator struct {
	r       *Resolver
	ctx     context.Context
	now     func() time.Time
	anchors []*dns.DS
	// keys are the DNSKEYs of each zone already proven, by zone name.
	keys    map[string][]*dns.DNSKEY
	queries int
	depth   int
}

// supportedAlgorithm lists the signing algorithms accepted: RSA/SHA-256 and SHA-512, ECDSA
// P-256 and P-384, Ed25519. SHA-1 and older ones are refused.
func supportedAlgorithm(a uint8) bool {
	switch a {
	case dns.RSASHA256, dns.RSASHA512, dns.ECDSAP256SHA256, dns.ECDSAP384SHA384, dns.ED25519:
		return true
	}
	return false
}

func supportedDigest(d uint8) bool { return d == dns.SHA256 || d == dns.SHA384 }

func (v *validator) query(name string, t uint16) (*dns.Msg, error) {
	if v.queries++; v.queries > maxQueries {
		return nil, fmt.Errorf("%w: more than %d questions", ErrInsecure, maxQueries)
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), t)
	m.RecursionDesired = true
	// CD: the resolver hands over what it has even if it would call it bogus; satchel judges.
	m.CheckingDisabled = true
	m.SetEdns0(4096, true) // DO: send the signatures
	return v.r.exchange(v.ctx, m)
}

// verify accepts rrset (one owner, one type) when one of sigs is valid now and made by a key
// of its signer zone that the chain from the root vouches for.
func (v *validator) verify(rrset []dns.RR, sigs []*dns.RRSIG) error {
	if len(sigs) == 0 {
		return fmt.Errorf("%w: %s %s is not signed (no RRSIG)", ErrInsecure, rrset[0].Header().Name, dns.TypeToString[rrset[0].Header().Rrtype])
	}
	owner := rrset[0].Header().Name
	var last error
	for _, sig := range sigs {
		signer := dns.CanonicalName(sig.SignerName)
		switch {
		case !dns.IsSubDomain(signer, dns.CanonicalName(owner)):
			last = fmt.Errorf("%w: %s is signed by %s, which is not its zone", ErrInsecure, owner, signer)
			continue
		case !supportedAlgorithm(sig.Algorithm):
			last = fmt.Errorf("%w: %s is signed with algorithm %d, not accepted", ErrInsecure, owner, sig.Algorithm)
			continue
		case !sig.ValidityPeriod(v.now()):
			last = fmt.Errorf("%w: the signature of %s is not valid now (expired or not yet valid)", ErrInsecure, owner)
			continue
		}
		keys, err := v.trusted(signer)
		if err != nil {
			last = err
			continue
		}
		for _, k := range keys {
			if k.KeyTag() == sig.KeyTag && k.Algorithm == sig.Algorithm && sig.Verify(k, rrset) == nil {
				return nil
			}
		}
		last = fmt.Errorf("%w: no key of %s verifies the signature of %s", ErrInsecure, signer, owner)
	}
	return last
}

// trusted returns the DNSKEYs of zone once its DNSKEY set is proven: signed by a key that a
// DS record vouches for, the DS set itself verified in the parent (or, for the root, a trust
// anchor). A zone without DS at its parent is unsigned: refused.
func (v *validator) trusted(zone string) ([]*dns.DNSKEY, error) {
	if k, ok := v.keys[zone]; ok {
		return k, nil
	}
	if v.depth++; v.depth > 40 {
		return nil, fmt.Errorf("%w: chain of trust too deep", ErrInsecure)
	}
	defer func() { v.depth-- }()
	m, err := v.query(zone, dns.TypeDNSKEY)
	if err != nil {
		return nil, err
	}
	keyRRs, keySigs := rrset(m.Answer, zone, dns.TypeDNSKEY)
	if len(keyRRs) == 0 {
		return nil, fmt.Errorf("%w: zone %s has no DNSKEY: it is not signed", ErrInsecure, zone)
	}
	var dss []*dns.DS
	if zone == "." {
		dss = v.anchors
	} else {
		dm, err := v.query(zone, dns.TypeDS)
		if err != nil {
			return nil, err
		}
		dsRRs, dsSigs := rrset(dm.Answer, zone, dns.TypeDS)
		if len(dsRRs) == 0 {
			return nil, fmt.Errorf("%w: %s has no DS record in its parent zone: the delegation is not signed", ErrInsecure, zone)
		}
		for _, s := range dsSigs {
			if dns.CanonicalName(s.SignerName) == zone {
				return nil, fmt.Errorf("%w: the DS of %s is signed by the zone itself, not its parent", ErrInsecure, zone)
			}
		}
		if err := v.verify(dsRRs, dsSigs); err != nil {
			return nil, fmt.Errorf("the DS of %s: %w", zone, err)
		}
		for _, rr := range dsRRs {
			dss = append(dss, rr.(*dns.DS))
		}
	}
	var zoneKeys []*dns.DNSKEY
	for _, rr := range keyRRs {
		k := rr.(*dns.DNSKEY)
		if k.Flags&dns.ZONE != 0 && k.Protocol == 3 && supportedAlgorithm(k.Algorithm) {
			zoneKeys = append(zoneKeys, k)
		}
	}
	for _, k := range zoneKeys {
		if !vouched(k, dss) {
			continue
		}
		for _, s := range keySigs {
			if s.KeyTag == k.KeyTag() && s.Algorithm == k.Algorithm && dns.CanonicalName(s.SignerName) == zone &&
				s.ValidityPeriod(v.now()) && s.Verify(k, keyRRs) == nil {
				v.keys[zone] = zoneKeys
				return zoneKeys, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: the keys of %s are not signed by a key its parent (or the trust anchor) vouches for, or the signature is not valid now", ErrInsecure, zone)
}

// vouched says whether one of dss is the digest of k.
func vouched(k *dns.DNSKEY, dss []*dns.DS) bool {
	for _, ds := range dss {
		if ds.KeyTag != k.KeyTag() || ds.Algorithm != k.Algorithm || !supportedDigest(ds.DigestType) {
			continue
		}
		if d := k.ToDS(ds.DigestType); d != nil && strings.EqualFold(d.Digest, ds.Digest) {
			return true
		}
	}
	return false
}
