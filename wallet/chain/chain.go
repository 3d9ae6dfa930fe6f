package chain

import (
	"context"
	"errors"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
)

// Backend is what the wallet needs from a chain source. A btcd node, an Esplora server and an
// Electrum server each implement it; the sync logic knows nothing else about them. Methods
// that take many items answer them in one round trip where the protocol allows, so a sync of
// a large wallet stays cheap.
type Backend interface {
	// Tip returns the height and hash of the best block.
	Tip(ctx context.Context) (Tip, error)
	// ScriptHistories returns, for each output script, every transaction that pays to it or
	// spends from it, confirmed or in the mempool, in the same order as scripts.
	ScriptHistories(ctx context.Context, scripts [][]byte) ([][]HistoryItem, error)
	// Transactions returns the transactions with the given ids, in the same order.
	// Each returned transaction's TxHash must equal the id asked for.
	Transactions(ctx context.Context, txids []chainhash.Hash) ([]*wire.MsgTx, error)
	// BlockHeaders returns the headers of the best chain at the given heights, in order.
	BlockHeaders(ctx context.Context, heights []int32) ([]*wire.BlockHeader, error)
	// Broadcast sends a signed transaction to the network and returns its id. A refusal is a
	// *BroadcastError.
	Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error)
	// EstimateFee returns the fee rate for confirmation within target blocks, or
	// ErrNoEstimate when the backend has none.
	EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error)
	// RelayFee returns the backend's minimum relay fee rate.
	RelayFee(ctx context.Context) (txbuilder.FeeRate, error)
	// Name says which server this is, with any password masked, for messages.
	Name() string
	// Close releases connections.
	Close() error
}

// BlockTxLister is an optional extension of Backend, for servers that stand in front of a
// backend and must prove confirmations (the Electrum test server's
// blockchain.transaction.get_merkle): a merkle branch needs the whole list of a block's
// transactions, which Backend does not give. The wallet itself never needs it.
type BlockTxLister interface {
	// BlockTxIDs returns the ids of the transactions of the best chain's block at height, in
	// block order (the coinbase first).
	BlockTxIDs(ctx context.Context, height int32) ([]chainhash.Hash, error)
}

// Notifier is an optional extension of Backend, for servers that push news (Electrum's
// subscriptions), so a command waiting for a payment need not poll. Esplora and btcd do not
// implement it; callers poll those.
type Notifier interface {
	// WatchScripts subscribes to the scripts and to new blocks. The channel receives a value
	// (several changes may come as one) whenever any script's history changes or the tip moves;
	// the caller then asks the Backend what changed. It is closed when ctx ends, the Backend is
	// closed or the subscription breaks (the server went away): the caller then falls back to
	// polling.
	WatchScripts(ctx context.Context, scripts [][]byte) (<-chan struct{}, error)
}

// Tip is the best block of the chain.
type Tip struct {
	Height int32
	Hash   chainhash.Hash
}

// HistoryItem is one transaction touching a script. Height 0 (or below) means it is in the
// mempool.
type HistoryItem struct {
	TxID   chainhash.Hash
	Height int32
}

// ErrNoEstimate means the backend cannot estimate a fee rate (regtest nodes, fresh nodes).
var ErrNoEstimate = errors.New("the backend has no fee estimate")

// ErrUnreachable marks every failure to get an answer from a backend: refused connections,
// timeouts, malformed or inconsistent answers. Commands exit 5 on it.
var ErrUnreachable = errors.New("backend unreachable")

// BroadcastCause classifies why a backend refused a transaction, the same way for every backend.
type BroadcastCause string

// The causes a refused broadcast is mapped to.
const (
	CauseAlreadyInChain BroadcastCause = "already_in_chain"
	CauseConflict       BroadcastCause = "conflict"
	CauseFeeTooLow      BroadcastCause = "fee_too_low"
	CauseDust           BroadcastCause = "dust"
	CauseNonStandard    BroadcastCause = "non_standard"
	CauseOther          BroadcastCause = "rejected"
)

// BroadcastError is a backend's refusal of a transaction, with the server's own words kept.
type BroadcastError struct {
	Cause   BroadcastCause
	Message string
}

func (e *BroadcastError) Error() string {
	return "broadcast refused (" + string(e.Cause) + "): " + e.Message
}
