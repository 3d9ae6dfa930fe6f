package chain

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// ErrBadURL marks a backend URL or option that cannot be used: a usage error, not an
// unreachable server. Every backend's URL errors wrap it.
var ErrBadURL = errors.New("bad backend URL")

// ErrProxyRefused means a proxy is set for a backend that cannot keep it (btcd's RPC client
// dials the node itself, around any proxy). It is also an ErrBadURL: a usage error.
var ErrProxyRefused error = proxyRefused{}

type proxyRefused struct{}

func (proxyRefused) Error() string        { return "this backend cannot go through a proxy" }
func (proxyRefused) Is(target error) bool { return target == ErrBadURL }

// ErrWrongNetwork means the backend serves another chain than the wallet's. Every backend's
// network check fails with an error wrapping it.
var ErrWrongNetwork = errors.New("backend is on another network")

// Driver is one kind of backend as the registry knows it. The backend packages each export
// one; wallet/chain/backends registers them, so that this package, which they import, can
// build any of them from a URL.
type Driver struct {
	// Kind names the backend in messages and in `satchel info` ("btcd", "esplora",
	// "electrum", "p2p").
	Kind string
	// Schemes are the URL schemes that select it, lower case.
	Schemes []string
	// Usage is the URL form shown when a URL is refused ("electrum(s)://HOST:PORT").
	Usage string
	// Open connects (or prepares to connect) to the server a URL names.
	Open OpenFunc
	// Check says whether a URL is one Open would accept, without connecting, so that a bad
	// one is refused when it is saved. Nil means Open alone can tell.
	Check func(rawURL string) error
	// PeerList says the driver's URLs may not parse as one URL (p2p://HOST:PORT,[::1]:PORT):
	// Check, which it must then have, reads them; other drivers' URLs must parse.
	PeerList bool
	// Learns says, in one sentence for the user, what the server (or whoever is on the way)
	// learns about the wallet and its user. `satchel info` shows it.
	Learns string
	// LearnsProxied is Learns when a SOCKS5 proxy (Tor) is set; empty means the same.
	LearnsProxied string
	// NoFeeEstimates says the backend has no fee estimates of its own (the p2p network gives
	// none): it asks Options.FeeSource, and without one answers ErrNoEstimate.
	NoFeeEstimates bool
}

var (
	registryMu sync.RWMutex
	drivers    []Driver
	bySchemes  = map[string]int{}
)

// Register makes a driver's schemes usable by Open and CheckURL. It is called at start-up
// (wallet/chain/backends' init), before any Open; a scheme registered twice panics, as it
// is a programming error.
func Register(d Driver) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, s := range d.Schemes {
		if _, dup := bySchemes[s]; dup {
			panic("chain: scheme " + s + " registered twice")
		}
		bySchemes[s] = len(drivers)
	}
	drivers = append(drivers, d)
}

// Drivers lists the registered drivers in the order they were registered.
func Drivers() []Driver {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return slices.Clone(drivers)
}

// Lookup finds the driver for a URL by its scheme. Its errors wrap ErrBadURL and never
// contain the URL's password.
func Lookup(rawURL string) (Driver, error) {
	scheme, err := schemeOf(rawURL)
	if err != nil {
		return Driver{}, err
	}
	registryMu.RLock()
	defer registryMu.RUnlock()
	i, ok := bySchemes[scheme]
	if !ok {
		return Driver{}, fmt.Errorf("%w: backend scheme %q is not supported: use %s", ErrBadURL,
			scheme, usages())
	}
	// Only a driver that reads its own URL form (a list of peers) takes what does not parse
	// as one URL.
	if !drivers[i].PeerList || drivers[i].Check == nil {
		if _, err := url.Parse(rawURL); err != nil {
			return Driver{}, fmt.Errorf("%w: not a URL: use %s", ErrBadURL, usages())
		}
	}
	return drivers[i], nil
}

// Open builds the backend a URL names, whatever its kind: btcd://, http(s):// (Esplora),
// electrum:// and electrums://, p2p://, as registered. A URL no driver takes fails with an
// error wrapping ErrBadURL; the backend's own errors (ErrUnreachable, ErrBadURL...) come back
// as it returned them.
func Open(ctx context.Context, rawURL string, o Options) (Backend, error) {
	d, err := Lookup(rawURL)
	if err != nil {
		return nil, err
	}
	if d.Check != nil {
		if err := d.Check(rawURL); err != nil {
			return nil, err
		}
	}
	return d.Open(ctx, rawURL, o)
}

// CheckURL says whether a URL names a backend that Open would accept, without connecting.
func CheckURL(rawURL string) error {
	d, err := Lookup(rawURL)
	if err != nil || d.Check == nil {
		return err
	}
	return d.Check(rawURL)
}

// schemeOf reads a URL's scheme (RFC 3986: a letter, then letters, digits, "+", "-" or "."
// up to the first colon), lower case. It does not parse the rest: a p2p:// list of peers is
// not one URL host (an IPv6 peer first in it would not parse as one), and the driver checks
// its own URLs. Only our words are returned, never the input, which may hold a password.
func schemeOf(rawURL string) (string, error) {
	i := strings.IndexByte(rawURL, ':')
	if i <= 0 || !validScheme(rawURL[:i]) {
		registryMu.RLock()
		defer registryMu.RUnlock()
		return "", fmt.Errorf("%w: not a URL: use %s", ErrBadURL, usages())
	}
	return strings.ToLower(rawURL[:i]), nil
}

func validScheme(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// usages lists the URL forms of the registered drivers ("A, B or C"). The caller holds
// registryMu.
func usages() string {
	var forms []string
	for _, d := range drivers {
		if d.Usage != "" {
			forms = append(forms, d.Usage)
		}
	}
	switch len(forms) {
	case 0:
		return "a backend URL (no backend is built in)"
	case 1:
		return forms[0]
	}
	return strings.Join(forms[:len(forms)-1], ", ") + " or " + forms[len(forms)-1]
}
