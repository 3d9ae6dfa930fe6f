package electrum_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest/conformance"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// The wallet helpers are the conformance suite's (TestConformance runs the sync cases every
// backend shares); what follows is Electrum's own: servers that lie.
var (
	newWallet     = conformance.NewWallet
	walletScripts = conformance.WalletScripts
	syncWith      = conformance.SyncWith
)

// dialOver connects a client to a server for c, with the fake chain's genesis as regtest's.
func dialOver(t testing.TB, c *chaintest.Chain, s *electrumtest.Server, opts electrum.Options) *electrum.Backend {
	t.Helper()
	be, err := electrum.Dial(context.Background(), s.URL(), conformance.Params(t, c), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	return be
}

// A server claiming a payment confirmed that is only in the mempool fails the wallet's sync
// (exit code 5 in the CLI), and the wallet keeps what it had; one hiding a payment leaves it
// out, which no light client can notice.
func TestWalletSyncAgainstLies(t *testing.T) {
	ctx := context.Background()
	sc := walletScripts(t, 5)
	c := chaintest.New()
	c.AddMempool(chaintest.Pay(1, wire.NewTxOut(30_000, sc[0][0])))
	c.Mine(1)
	c.AddMempool(chaintest.Pay(2, wire.NewTxOut(12_000, sc[0][1])))
	c.Mine(1)
	c.AddMempool(chaintest.Pay(3, wire.NewTxOut(5_000, sc[0][2])))

	s := electrumtest.Start(t, c, electrumtest.WithLie(electrumtest.LieConfirmMempool, 0))
	s.Watch(append(sc[0], sc[1]...)...)
	w := newWallet(t)
	_, err := w.Sync(ctx, dialOver(t, c, s, electrum.Options{}), wallet.SyncOptions{GapLimit: 20})
	if !errors.Is(err, electrum.ErrBadProof) || !errors.Is(err, chain.ErrUnreachable) ||
		!strings.Contains(err.Error(), "does not match the block header") {
		t.Fatalf("sync with a fake confirmation: %v", err)
	}
	if b, _ := w.Balance(); b.Confirmed != 0 || b.Unconfirmed != 0 {
		t.Fatalf("a failed sync changed the balance: %+v", b)
	}

	hiding := electrumtest.Start(t, c, electrumtest.WithLie(electrumtest.LieHide, 2))
	hiding.Watch(append(sc[0], sc[1]...)...)
	got := syncWith(t, w, dialOver(t, c, hiding, electrum.Options{}))
	if got.Confirmed != 30_000 || got.Unconfirmed != 5_000 {
		t.Fatalf("balance with a hidden payment %+v, want 30000 confirmed and 5000 pending", got)
	}
}
