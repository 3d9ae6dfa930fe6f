// Package bip353 resolves human-readable bitcoin payment names (BIP353: ₿alice@example.com) to
// the BIP321 URI in the TXT record at alice.user._bitcoin-payment.example.com, and validates the
// answer's DNSSEC chain itself, from the root trust anchor down, over whatever resolver it is
// given. The resolver's AD bit is never trusted: an answer without a valid chain of signatures
// is refused, so a resolver (or anyone on the path to it) cannot choose where a payment goes.
//
// Scope: positive answers are validated (the TXT RRset, every CNAME on the way, and each zone's
// DS and DNSKEY sets); absence is not proven but refused either way, so a missing NSEC proof can
// only lead to a refusal, never to a payment. A signature must come from a zone that encloses
// the name; that it is the closest such zone is not checked (a parent zone's signature below a
// delegation is accepted: the parent, which publishes the child's DS, could vouch for any key
// there anyway).
package bip353
