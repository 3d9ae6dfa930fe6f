package btcd

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// Scheme is the URL scheme that selects this backend.
const Scheme = "btcd"

// ErrBadURL marks a backend URL that cannot name a btcd node, so the CLI can treat it as a
// usage error rather than an unreachable node. It is also a chain.ErrBadURL.
var ErrBadURL error = badURL{}

// badURL is ErrBadURL's type: its own words, and the class every backend's URL errors share.
type badURL struct{}

func (badURL) Error() string        { return "bad btcd URL" }
func (badURL) Is(target error) bool { return target == chain.ErrBadURL }

// Config is a parsed backend URL: where the node listens and how to log in.
type Config struct {
	User string
	Pass string
	// Host is HOST:PORT as the backend dials it.
	Host string
	// TLS selects HTTPS; btcd serves plain HTTP only with --notls, on loopback.
	TLS bool
	// CertPath is the node's rpc.cert to trust (TLS only). Empty means the system roots.
	CertPath string
}

// ParseURL reads btcd://USER:PASS@HOST:PORT[?tls=1&cert=PATH]. Without TLS the host must be
// this machine (or a .onion service); another host needs tls=1 and the node's certificate to
// pin (cert=PATH, the only certificate then trusted). It refuses what it does not
// understand (unknown options, a path, a missing port) so that a typo is not silently ignored.
// Its errors wrap ErrBadURL and never contain the password.
func ParseURL(raw string) (Config, error) {
	masked := MaskURL(raw)
	fail := func(why string) (Config, error) {
		return Config{}, fmt.Errorf("%w %q: %s", ErrBadURL, masked, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the whole input, password included: keep only our words.
		return fail("not a URL")
	}
	if u.Scheme != Scheme {
		return fail("the scheme must be " + Scheme + "://")
	}
	if u.Opaque != "" {
		return fail("write " + Scheme + "://USER:PASS@HOST:PORT")
	}
	if u.Path != "" && u.Path != "/" {
		return fail("a btcd URL has no path")
	}
	if u.Fragment != "" {
		return fail("a btcd URL has no fragment")
	}
	var c Config
	if u.User == nil || u.User.Username() == "" {
		return fail("missing RPC user (btcd://USER:PASS@HOST:PORT)")
	}
	c.User = u.User.Username()
	pass, ok := u.User.Password()
	if !ok || pass == "" {
		return fail("missing RPC password (btcd://USER:PASS@HOST:PORT)")
	}
	c.Pass = pass
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || port == "" {
		if !strings.Contains(u.Host, ":") || strings.HasSuffix(u.Host, "]") {
			return fail("missing port (btcd's RPC port, e.g. 8334 on mainnet)")
		}
		return fail("write the host as HOST:PORT, an IPv6 address as [ADDR]:PORT")
	}
	if host == "" {
		return fail("missing host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fail("port out of range")
	}
	c.Host = net.JoinHostPort(host, port)

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fail("unreadable options")
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return fail("option " + key + " given more than once")
		}
		switch key {
		case "tls":
			switch vals[0] {
			case "1", "true":
				c.TLS = true
			case "0", "false":
				c.TLS = false
			default:
				return fail("tls must be 1 or 0")
			}
		case "cert":
			if vals[0] == "" {
				return fail("cert needs a file path")
			}
			c.CertPath = vals[0]
		default:
			return fail("unknown option " + strconv.Quote(key) + " (known: tls, cert)")
		}
	}
	if c.CertPath != "" && !c.TLS {
		return fail("cert is only used with tls=1")
	}
	// As for Esplora: plain HTTP would show the RPC password and every address the wallet
	// asks about to anyone on the way, and TLS trusting any certificate a public authority
	// signed would let anyone with one stand in for the node. Off this machine (and off Tor),
	// the node's own certificate is pinned.
	if !netutil.IsLoopback(host) && !netutil.IsOnion(host) {
		if !c.TLS {
			return fail("plain HTTP would show the RPC password and your addresses to anyone on the way: " +
				"for a node on another machine add ?tls=1&cert=PATH (the node's rpc.cert); plain HTTP is only for this machine and .onion services")
		}
		if c.CertPath == "" {
			return fail("a node on another machine needs its certificate pinned: add &cert=PATH (a copy of the node's rpc.cert)")
		}
	}
	return c, nil
}

// String prints the config back as a URL that ParseURL reads to the same Config. It shows the
// password: use Masked for anything a person may see.
func (c Config) String() string {
	u := url.URL{Scheme: Scheme, User: url.UserPassword(c.User, c.Pass), Host: c.Host}
	q := url.Values{}
	if c.TLS {
		q.Set("tls", "1")
	}
	if c.CertPath != "" {
		q.Set("cert", c.CertPath)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Masked is the URL with the password replaced by ***, for messages and logs.
func (c Config) Masked() string { return MaskURL(c.String()) }

// MaskURL hides the password of a backend URL (btcd://user:***@host:port) so it can appear in
// error messages. It works on malformed URLs too: everything between the first ':' and the
// last '@' of the whole string is taken as the password, so no part of a password with odd
// characters ('@', '/', '?', '#') leaks. The price is over-masking: an '@' in a cert path
// hides the host as well.
func MaskURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		// Not a URL with an authority; a bare "user:pass@host" still gets masked.
		scheme, rest = "", raw
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return raw
	}
	out := user + ":***" + rest[at:]
	if ok {
		out = scheme + "://" + out
	}
	return out
}
