package electrum

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

// ErrCertMismatch means the server showed another certificate than the pinned one: someone may
// be in the middle, or the server changed its certificate.
var ErrCertMismatch = errors.New("the server's certificate is not the pinned one")

// tlsConfig checks the server against the system roots, or, with a pinned certificate, accepts
// exactly that certificate and nothing else (Electrum servers often use self-signed ones).
func tlsConfig(host string, pinned *x509.Certificate) *tls.Config {
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if pinned == nil {
		return cfg
	}
	// The pin replaces chain verification, so the standard check is off and ours runs
	// instead, on every handshake.
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return ErrCertMismatch
		}
		if !bytes.Equal(cs.PeerCertificates[0].Raw, pinned.Raw) {
			return fmt.Errorf("%w (it shows one for %q)", ErrCertMismatch, cs.PeerCertificates[0].Subject.CommonName)
		}
		return nil
	}
	return cfg
}

// certHint explains a certificate the system does not trust.
func certHint(err error) string {
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		return "the server's certificate is not signed by an authority this system trusts; " +
			"if the server uses a self-signed certificate, save it and add ?cert=PATH to pin it"
	}
	return ""
}

// tlsClient wraps a connection in TLS.
func tlsClient(c net.Conn, cfg *tls.Config) *tls.Conn { return tls.Client(c, cfg) }
