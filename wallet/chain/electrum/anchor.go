package electrum

import (
	"fmt"
	"math/big"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Anchor is a block built into satchel that an Electrum server's headers must lead through
// before any confirmation counts: without it, a server could serve a chain of its own from a
// low height (on the testnets and signet at the minimum difficulty) and prove any payment
// "confirmed" in it. ChainWork is the total work of the chain up to and including the block,
// as Bitcoin Core's getblockheader reports it: an honest tip has more.
type Anchor struct {
	Height    int32
	Hash      chainhash.Hash
	ChainWork *big.Int
}

// anchors are keyed by the network's message start, so a custom signet (whose magic comes from
// its own challenge) is not held to the default signet's chain. Regtest has none: anyone can
// make its blocks. Each network's block is the defaultAssumeValid block of Bitcoin Core 30's
// src/kernel/chainparams.cpp, and ChainWork the nMinimumChainWork set beside it, which Core's
// release process takes from getblockheader of that same block. When they are moved up, take
// both from a Core release again.
var anchors = map[wire.BitcoinNet]Anchor{
	wire.MainNet:  mustAnchor(912683, "00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb", "dee8e2a309ad8a9820433c68"),
	wire.TestNet3: mustAnchor(4550000, "0000000000000065c6c38258e201971a3fdfcc2ceee0dd6e85a6c022d45dee34", "16dd270dd94fac1d7632"),
	wire.TestNet4: mustAnchor(91000, "000000000000000180a58e7fa3b0db84b5ea76377524894f53660d93ac839d9b", "34a4690fe592dc49c7c"),
	chaincfg.SigNetParams.Net: mustAnchor(267665,
		"000000128586e26813922680309f04e1de713c7542fee86ed908f56368aefe2e", "67d328e681a"),
}

func mustAnchor(height int32, hash, work string) Anchor {
	h, err := chainhash.NewHashFromStr(hash)
	if err != nil {
		panic(err)
	}
	w, ok := new(big.Int).SetString(work, 16)
	if !ok {
		panic("bad chain work " + work)
	}
	return Anchor{Height: height, Hash: *h, ChainWork: w}
}

// AnchorFor returns the anchor of a network, if satchel has one for it.
func AnchorFor(p *chaincfg.Params) (Anchor, bool) {
	a, ok := anchors[p.Net]
	return a, ok
}

// errBelowAnchor is a server whose tip is below the anchor: it is behind, or on a chain of its
// own that never reached the real one's height.
func errBelowAnchor(net string, a Anchor, tip int32) error {
	return fmt.Errorf("the server's tip is at height %d, below satchel's %s checkpoint at height %d (%s): it is behind or on a chain of its own",
		tip, net, a.Height, a.Hash)
}
