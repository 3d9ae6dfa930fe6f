package chain

import (
	"context"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

// Options are the settings every backend takes, whatever its protocol. A backend ignores the
// fields that mean nothing to it (a btcd RPC node has no use for DataDir) and refuses a
// setting it cannot honour rather than working around it (a Proxy its transport would bypass).
type Options struct {
	// Net is the network the wallet is on; a backend serving another network is refused.
	Net *chaincfg.Params
	// Timeout bounds each call as a whole; zero means the backend's own default.
	Timeout time.Duration
	// Proxy is a SOCKS5 proxy, socks5://HOST:PORT (Tor: socks5://127.0.0.1:9050). Host names
	// are resolved by the proxy.
	Proxy string
	// UserAgent names the client to the server; empty sends "satchel".
	UserAgent string
	// DataDir is the wallet's folder, where a backend may keep what it verified between runs
	// (Electrum's proven headers, the p2p client's headers and filter headers). Empty keeps
	// them in memory only.
	DataDir string
	// CertPath is a certificate file (PEM or DER) to pin for a TLS backend: the only one then
	// trusted, instead of the system's authorities. The URL's own ?cert=PATH, where a backend
	// takes one (btcd, electrums), wins over it. A backend that cannot pin refuses it.
	CertPath string
	// FeeSource is where a backend that cannot estimate fees itself (p2p) asks for them: an
	// Esplora URL. Empty means no estimates (the user gives --fee-rate).
	FeeSource string
}

// OpenFunc builds a backend from its URL. Each backend package provides one.
type OpenFunc func(ctx context.Context, rawURL string, o Options) (Backend, error)
