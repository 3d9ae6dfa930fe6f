package electrum

import (
	"context"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// Over a real btcd node (real proof of work, blocks with a coinbase and several transactions),
// the client proves every confirmation, and follows an invalidated block and a competing,
// longer branch.
func TestProofsOverARegtestNode(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	be, err := btcd.Open(ctx, node.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	s := electrumtest.Start(t, be)
	k := regtest.NewKey("electrum spv", txbuilder.P2WPKH)
	s.Watch(k.PkScript)
	for i := 0; i < 3; i++ {
		node.Send(t, k.Address, txbuilder.Amount(10_000*(i+1)))
	}
	node.Mine(t, 1)
	node.Send(t, k.Address, 5_000)
	mined := node.Mine(t, 1)
	c, err := dial(ctx, s.URL(), regtest.Net, options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	hist, err := c.ScriptHistories(ctx, [][]byte{k.PkScript})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist[0]) != 4 || len(c.spv.proven) != 4 {
		t.Fatalf("history %v, %d proven; want 4 and 4", hist[0], len(c.spv.proven))
	}

	node.InvalidateBlock(t, mined[0])
	node.Mine(t, 2)
	tip, err := c.Tip(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hist, err = c.ScriptHistories(ctx, [][]byte{k.PkScript})
	if err != nil {
		t.Fatalf("after the reorg: %v", err)
	}
	var moved chainhash.Hash
	for _, it := range hist[0] {
		if it.Height == tip.Height-1 {
			moved = it.TxID
		}
	}
	if p, ok := c.spv.proven[moved]; !ok || p.height != tip.Height-1 {
		t.Fatalf("the re-mined payment is not proven in its new block: %v", hist[0])
	}
	hdrs, err := c.BlockHeaders(ctx, []int32{tip.Height})
	if err != nil || hdrs[0].BlockHash() != tip.Hash {
		t.Fatalf("tip header: %v", err)
	}
}
