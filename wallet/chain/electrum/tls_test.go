package electrum

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil"
)

// selfSigned makes a certificate for 127.0.0.1 and writes it, PEM, to a file.
func selfSigned(t *testing.T, name string) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, path
}

func TestTLSWithAPinnedSelfSignedCertificate(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	c.Mine(2)
	cert, certPath := selfSigned(t, "electrum-test")
	_, otherPath := selfSigned(t, "someone-else")
	s := electrumtest.Start(t, c, electrumtest.WithTLS(cert))
	params := paramsFor(t, c)

	b, err := dial(ctx, s.URL()+"?cert="+certPath, params, options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if tip, err := b.Tip(ctx); err != nil || tip.Height != 2 {
		t.Fatalf("Tip over TLS = %+v, %v", tip, err)
	}

	_, err = dial(ctx, s.URL(), params, options{})
	if kindOf(err) != netutil.KindUnreachable || !strings.Contains(err.Error(), "?cert=PATH") {
		t.Fatalf("without the pin: %v", err)
	}
	_, err = dial(ctx, s.URL()+"?cert="+otherPath, params, options{})
	if !errors.Is(err, ErrCertMismatch) {
		t.Fatalf("with another pin: %v", err)
	}
	_, err = dial(ctx, s.URL()+"?cert="+filepath.Join(t.TempDir(), "missing.pem"), params, options{})
	if err == nil || !strings.Contains(err.Error(), "read the server's certificate") {
		t.Fatalf("with a missing file: %v", err)
	}
}

// chain.Options.CertPath pins as ?cert=PATH does; the URL's own pin wins; a plain electrum://
// URL refuses a pin it could not use.
func TestOptionsCertPathPins(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	c.Mine(2)
	cert, certPath := selfSigned(t, "electrum-test")
	_, otherPath := selfSigned(t, "someone-else")
	s := electrumtest.Start(t, c, electrumtest.WithTLS(cert))
	params := paramsFor(t, c)

	b, err := Open(ctx, s.URL(), chain.Options{Net: params, CertPath: certPath})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := Open(ctx, s.URL(), chain.Options{Net: params, CertPath: otherPath}); !errors.Is(err, ErrCertMismatch) {
		t.Fatalf("with another pin in the options: %v", err)
	}
	b, err = Open(ctx, s.URL()+"?cert="+certPath, chain.Options{Net: params, CertPath: otherPath})
	if err != nil {
		t.Fatalf("the URL's pin did not win: %v", err)
	}
	b.Close()
	plain := "electrum://" + strings.TrimPrefix(s.URL(), SchemeTLS+"://")
	if _, err := Open(ctx, plain, chain.Options{Net: params, CertPath: certPath}); !errors.Is(err, chain.ErrBadURL) {
		t.Fatalf("a pin for plain TCP: %v", err)
	}
}
