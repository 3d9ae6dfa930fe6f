package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/address"
	"github.com/satchel-wallet/satchel/wallet/bip353"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
	"github.com/satchel-wallet/satchel/wallet/uri"
)

// nameJSON is a BIP353 name a plan pays, and what it resolved to.
type nameJSON struct {
	Name    string   `json:"name"`
	URI     string   `json:"uri"`
	Via     []string `json:"via,omitempty"`
	Label   string   `json:"label,omitempty"`
	Message string   `json:"message,omitempty"`
}

// checkResolver checks config dns-resolver: HOST:PORT.
func checkResolver(v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil || port == "" || host == "" {
		return errors.New("must be HOST:PORT, e.g. 127.0.0.1:53")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("must be HOST:PORT with a port from 1 to 65,535 (not %q), e.g. 127.0.0.1:53", port)
	}
	return nil
}

// resolver is the BIP353 resolver: config dns-resolver, else the system's first nameserver,
// through --proxy (then DNS over TCP), validating from the root trust anchor.
func (a *App) resolver() (*bip353.Resolver, error) {
	server, err := a.setting(nil, "dns-resolver")
	if err != nil {
		return nil, err
	}
	if server == "" {
		cfg, err := dns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil || len(cfg.Servers) == 0 {
			return nil, usagef("no_dns_resolver", "no DNS resolver found in /etc/resolv.conf: satchel config set dns-resolver HOST:PORT")
		}
		server = net.JoinHostPort(cfg.Servers[0], cfg.Port)
	}
	proxy, err := a.setting(nil, "proxy")
	if err != nil {
		return nil, err
	}
	return &bip353.Resolver{Server: server, Proxy: proxy, Anchors: a.DNSAnchors, Now: a.Now}, nil
}

// resolveDest turns a BIP353 name into its bitcoin: URI (other destinations pass unchanged),
// and remembers it for the plan. A name whose record offers only lightning is refused.
func (a *App) resolveDest(ctx context.Context, dest string) (string, error) {
	d := strings.TrimSpace(dest)
	if !bip353.Looks(d) {
		return dest, nil
	}
	n, err := bip353.ParseName(d)
	if err != nil {
		return "", usagef("bad_name", err.Error())
	}
	if a.flags.offline {
		return "", usagef("offline", fmt.Sprintf("%s is a name to look up: drop --offline, or give its address", n))
	}
	r, err := a.resolver()
	if err != nil {
		return "", err
	}
	rec, err := r.Resolve(ctx, n)
	if err != nil {
		if why, ok := resolverTrouble(err, r.Server); ok {
			err = &wrappedMessage{msg: why, err: err}
		}
		return "", &codedError{exit: exitBackend, code: "name_unresolved", err: fmt.Errorf("%s: %w; nothing was sent", n, err)}
	}
	net, err := wallet.NetworkParams(a.flags.network)
	if err != nil {
		return "", err
	}
	u, err := uri.Parse(rec.URI, net, func(s string) error { _, err := address.Decode(s, net); return err })
	if err != nil {
		return "", &codedError{exit: exitBackend, code: "name_unresolved", err: fmt.Errorf("%s resolved to a URI satchel cannot pay: %v", n, err)}
	}
	if u.Address == "" && u.SilentPayment == "" {
		return "", usagef("lightning_only", fmt.Sprintf("%s offers only lightning payment instructions: satchel pays on chain; ask for an on-chain or silent payment address", n))
	}
	j := nameJSON{Name: n.String(), URI: rec.URI, Via: rec.Via, Label: wallet.FitLabel(u.Label), Message: wallet.FitLabel(u.Message)}
	a.names = append(a.names, j)
	line := fmt.Sprintf("%s resolved (DNSSEC validated) to %s", j.Name, clipArg(j.URI))
	if j.Label != "" {
		line += "; label: " + printable(j.Label)
	}
	if j.Message != "" {
		line += "; message: " + printable(j.Message)
	}
	a.warn("bip353_resolved", line)
	return rec.URI, nil
}

// resolveArgs resolves the names among send's destination and --to values.
func (a *App) resolveArgs(ctx context.Context, args, to []string) ([]string, []string, error) {
	args = append([]string(nil), args...)
	if len(args) > 0 {
		d, err := a.resolveDest(ctx, args[0])
		if err != nil {
			return nil, nil, err
		}
		args[0] = d
	}
	out := make([]string, len(to))
	for i, t := range to {
		out[i] = t
		dest, amount, ok := strings.Cut(t, "=")
		if !ok || !bip353.Looks(dest) {
			continue
		}
		d, err := a.resolveDest(ctx, dest)
		if err != nil {
			return nil, nil, err
		}
		out[i] = d + "=" + amount
	}
	return args, out, nil
}

// nameResolver resolves a recurring tip's name again when its occurrences are queued, showing
// what it resolved to as resolveDest does.
func (a *App) nameResolver(ctx context.Context) wallet.NameResolver {
	return func(name string) (wallet.Payment, error) {
		s, err := a.resolveDest(ctx, name)
		if err != nil {
			return wallet.Payment{}, err
		}
		net, err := wallet.NetworkParams(a.flags.network)
		if err != nil {
			return wallet.Payment{}, err
		}
		u, err := uri.Parse(s, net, func(s string) error { _, err := address.Decode(s, net); return err })
		if err != nil || u.Address == "" {
			return wallet.Payment{}, fmt.Errorf("%s names no on-chain address a tip can be queued to", name)
		}
		ad, err := address.Decode(u.Address, net)
		if err != nil {
			return wallet.Payment{}, err
		}
		return wallet.Payment{Address: ad.String, Script: ad.PkScript, Type: ad.Type}, nil
	}
}

// resolverTrouble says in a few words, as for a backend, that the DNS resolver could not be
// reached, where and why, and what to check, instead of the chain of Go's dial errors.
func resolverTrouble(err error, server string) (string, bool) {
	if !errors.Is(err, bip353.ErrUnreachable) {
		return "", false
	}
	_, reason, ok := netutil.DialFailure(fmt.Errorf("%w: %w", chain.ErrUnreachable, err))
	if !ok {
		return "", false
	}
	return fmt.Sprintf("cannot reach the DNS resolver at %s (%s): is it running there? check satchel config set dns-resolver HOST:PORT, or give the address instead of the name", server, reason), true
}
