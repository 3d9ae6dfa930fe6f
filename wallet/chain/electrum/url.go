package electrum

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"

	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// URL schemes: plain TCP and TLS.
const (
	SchemeTCP = "electrum"
	SchemeTLS = "electrums"
)

// ErrBadURL marks a server URL or option that cannot be used (the CLI's usage error).
var ErrBadURL = netutil.ErrBadURL

// config is a parsed server URL.
type config struct {
	host string
	// addr is HOST:PORT.
	addr     string
	tls      bool
	certPath string
}

// CheckURL says whether raw can name an Electrum server, without connecting; its error never
// contains the password.
func CheckURL(raw string) error {
	_, err := parseURL(raw)
	return err
}

// parseURL reads electrum://HOST:PORT or electrums://HOST:PORT[?cert=PATH].
func parseURL(raw string) (config, error) {
	masked := netutil.MaskURL(raw)
	fail := func(why string) (config, error) {
		return config{}, fmt.Errorf("%w %q: %s", ErrBadURL, masked, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fail("not a URL")
	}
	var c config
	switch u.Scheme {
	case SchemeTCP:
	case SchemeTLS:
		c.tls = true
	default:
		return fail("an Electrum URL is electrums://HOST:PORT (TLS) or electrum://HOST:PORT")
	}
	if u.Opaque != "" || u.Host == "" {
		return fail("write " + u.Scheme + "://HOST:PORT")
	}
	if u.User != nil {
		return fail("Electrum servers have no login")
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return fail("an Electrum URL has no path")
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || port == "" {
		return fail("missing port (50002 is usual for TLS, 50001 for TCP)")
	}
	if host == "" {
		return fail("missing host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fail("port out of range")
	}
	c.host, c.addr = host, net.JoinHostPort(host, port)
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fail("unreadable options")
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return fail("option " + key + " given more than once")
		}
		switch key {
		case "cert":
			if vals[0] == "" {
				return fail("cert needs a file path")
			}
			c.certPath = vals[0]
		default:
			return fail("unknown option " + strconv.Quote(key) + " (known: cert)")
		}
	}
	if c.certPath != "" && !c.tls {
		return fail("cert is only used with electrums://")
	}
	return c, nil
}

// loadCert reads the certificate to pin: PEM (the first CERTIFICATE block) or DER.
func loadCert(path string) (*x509.Certificate, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the server's certificate: %w", err)
	}
	der := raw
	for rest := raw; ; {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type == "CERTIFICATE" {
			der = blk.Bytes
			break
		}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not a certificate (PEM or DER): %v", ErrBadURL, path, err)
	}
	return cert, nil
}
