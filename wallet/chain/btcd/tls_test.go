package btcd_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

// fakeNode answers Open's check (getblockchaininfo, searchrawtransactions) as a regtest btcd
// with its indexes on, to the user "u" with password "p" only.
func fakeNode(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "p" {
			http.Error(w, "401 Unauthorized.", http.StatusUnauthorized)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var reqs []struct {
			Method string `json:"method"`
			ID     int    `json:"id"`
		}
		if err := json.Unmarshal(body, &reqs); err != nil {
			http.Error(w, "not a batch", http.StatusBadRequest)
			return
		}
		out := make([]map[string]any, len(reqs))
		for i, q := range reqs {
			out[i] = map[string]any{"jsonrpc": "2.0", "id": q.ID, "result": nil, "error": nil}
			switch q.Method {
			case "getblockchaininfo":
				out[i]["result"] = map[string]any{"chain": "regtest"}
			case "searchrawtransactions":
				out[i]["error"] = map[string]any{"code": -5,
					"message": "No information available about address"}
			default:
				out[i]["error"] = map[string]any{"code": -32601, "message": "Method not found"}
			}
		}
		json.NewEncoder(w).Encode(out)
	}))
	// Open's TCP probe hangs up before any handshake; the server would log each one.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	return s
}

// certFile writes a DER certificate as PEM, as btcd's rpc.cert holds it.
func certFile(t *testing.T, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rpc.cert")
	block := &pem.Block{Type: "CERTIFICATE", Bytes: der}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTLSTrustsOnlyThePinnedCertificate(t *testing.T) {
	node := fakeNode(t)
	defer node.Close()
	other := selfSigned(t) // httptest's servers all share one certificate
	host := strings.TrimPrefix(node.URL, "https://")
	for _, tc := range []struct {
		name, user, cert string
		wantErr          string // "" for success
	}{
		{"pinned", "u", certFile(t, node.Certificate().Raw), ""},
		{"another certificate", "u", certFile(t, other), "certificate"},
		{"wrong password", "x", certFile(t, node.Certificate().Raw), "refused the RPC user or password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := "btcd://" + tc.user + ":p@" + host + "?tls=1&cert=" + tc.cert
			b, err := btcd.Open(context.Background(), raw, chain.Options{Net: regtest.Net})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				b.Close()
				return
			}
			if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Open: %v, want ErrUnreachable saying %q", err, tc.wantErr)
			}
		})
	}
}

// selfSigned makes another certificate for 127.0.0.1, as a second btcd would have.
func selfSigned(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "another btcd"},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestCertificateFileWithoutPEMIsABadURL(t *testing.T) {
	node := fakeNode(t)
	defer node.Close()
	path := filepath.Join(t.TempDir(), "rpc.cert")
	if err := os.WriteFile(path, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	raw := "btcd://u:p@" + strings.TrimPrefix(node.URL, "https://") + "?tls=1&cert=" + path
	_, err := btcd.Open(context.Background(), raw, chain.Options{Net: regtest.Net})
	if !errors.Is(err, btcd.ErrBadURL) || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("Open: %v, want ErrBadURL saying the file holds no certificate", err)
	}
}
