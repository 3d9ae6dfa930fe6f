package chain

import (
	"context"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// BlockMatcher is an optional extension of Backend for a light client that holds each block's
// verified compact filter (BIP158): it can say which transactions of one block pay a set of
// scripts, downloading the block only when its filter may hold one of them. A silent-payment
// scan with a tweak server asks about thousands of candidate scripts per block on mainnet, each
// relevant to that block alone: ScriptHistories would watch them all for good and match each
// against every filter since the scan start.
type BlockMatcher interface {
	// MatchBlock returns the transactions of the block at height that pay any of scripts, in
	// block order; none, with no block downloaded, when the block's filter rules every script
	// out. hash is the block the caller expects at height: another block there is an error
	// wrapping ErrUnreachable (the chain moved). The scripts are not watched afterwards: a
	// caller that keeps an output as a coin asks ScriptHistories about its script, as for any
	// new address, so that its spend is followed.
	MatchBlock(ctx context.Context, height int32, hash chainhash.Hash, scripts [][]byte) ([]*wire.MsgTx, error)
}
