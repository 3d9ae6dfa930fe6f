package p2p

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora"
)

// defaultRelayFee is the network's usual minimum relay fee, 1 sat/vB, used when no peer sent
// a feefilter.
var defaultRelayFee = txbuilder.SatPerVB(1)

// feeSource asks an Esplora server for fee estimates: the peer-to-peer network has none. An
// estimate request names no address or transaction, so the server learns nothing about the
// wallet but the IP (hidden too through the proxy).
type feeSource struct {
	url     string
	net     *chaincfg.Params
	proxy   string
	timeout time.Duration

	once sync.Once
	be   chain.Backend
	err  error
}

func (f *feeSource) backend() (chain.Backend, error) {
	f.once.Do(func() {
		f.be, f.err = esplora.Open(context.Background(), f.url, chain.Options{Net: f.net, Timeout: f.timeout, Proxy: f.proxy})
		if f.err != nil {
			f.err = fmt.Errorf("fee source: %w", f.err)
		}
	})
	return f.be, f.err
}

// EstimateFee asks the fee source, or answers chain.ErrNoEstimate when there is none.
func (b *Backend) EstimateFee(ctx context.Context, target int) (txbuilder.FeeRate, error) {
	if b.fees == nil {
		return 0, chain.ErrNoEstimate
	}
	be, err := b.fees.backend()
	if err != nil {
		return 0, err
	}
	return be.EstimateFee(ctx, target)
}

// RelayFee is the highest fee filter a peer announced, or 1 sat/vB.
func (b *Backend) RelayFee(ctx context.Context) (txbuilder.FeeRate, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	best := txbuilder.FeeRate(0)
	for _, c := range b.conns {
		if r := txbuilder.FeeRate(c.feeFilter.Load()); r > best {
			best = r
		}
	}
	if best == 0 {
		return defaultRelayFee, nil
	}
	return best, nil
}
