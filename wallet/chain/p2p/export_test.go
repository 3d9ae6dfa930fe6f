package p2p

import (
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// The fake peers of the tests live in this process.
func init() { allowSelfConns = true }

// CFHeadersRequests is how many getcfheaders the backend sent since Open.
func (b *Backend) CFHeadersRequests() int64 { return b.cfRequests.Load() }

// AddPending records tx as if the wallet had broadcast it, without sending it.
func (b *Backend) AddPending(tx *wire.MsgTx) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.scan.pending[tx.TxHash()] = tx
	b.mempoolAt = time.Time{}
}

// SetNow replaces the backend's clock (the mempool is downloaded at most once a minute).
func (b *Backend) SetNow(now func() time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.now = now
}
