// Package backends puts every built-in backend in chain's registry, so that chain.Open and
// chain.CheckURL know their schemes. Import it for its side effect, once, in a main package:
//
//	import _ "github.com/satchel-wallet/satchel/wallet/chain/backends"
//
// Registration is a few map entries of values the linker already holds (chain.Driver
// literals of each backend package): no backend does any work before its Open is called, so
// a command that uses none (`satchel --help`) pays nothing for them beyond their packages'
// own initialisation, which linking them costs anyway. One explicit list, rather than an
// init in each backend package, keeps the set of backends in one place and lets a backend's
// tests run without the others.
package backends

import (
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
)

// p2pDriver registers the compact-block-filter light client (BIP157/158).
var p2pDriver = chain.Driver{Kind: "p2p", Schemes: []string{p2p.Scheme}, Usage: "p2p://HOST:PORT",
	Open: p2p.Open, Check: p2p.CheckURL, PeerList: true, Learns: P2PLearns,
	LearnsProxied: P2PLearnsProxied, NoFeeEstimates: true}

// What the peers of the p2p light client learn, for `satchel info`.
const (
	P2PLearns        = "peers learn which blocks you download, not your addresses, and your IP (use --proxy to hide it)"
	P2PLearnsProxied = "peers learn which blocks you download, not your addresses; the proxy hides your IP"
)

func init() {
	for _, d := range []chain.Driver{btcd.Driver, esplora.Driver, electrum.Driver, p2pDriver} {
		chain.Register(d)
	}
}
