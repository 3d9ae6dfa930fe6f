package p2p_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
	"github.com/satchel-wallet/satchel/wallet/chain/netutil/socks5test"
	"github.com/satchel-wallet/satchel/wallet/chain/p2p"
)

func openP2P(t testing.TB, url, dir string) *p2p.Backend {
	t.Helper()
	b, err := p2p.New(url, chain.Options{Net: regtest.Net, DataDir: dir, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func openRPC(t testing.TB, node *regtest.Node) chain.Backend {
	t.Helper()
	b, err := btcd.Open(context.Background(), node.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// sameAnswers checks that the p2p backend answers like the node's RPC for scripts: tip,
// histories, the transactions they name and the headers at their heights.
func sameAnswers(t *testing.T, ctx context.Context, pb, rb chain.Backend, scripts [][]byte) [][]chain.HistoryItem {
	t.Helper()
	pt, err := pb.Tip(ctx)
	if err != nil {
		t.Fatalf("p2p tip: %v", err)
	}
	rt, err := rb.Tip(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pt != rt {
		t.Fatalf("p2p tip %+v, node %+v", pt, rt)
	}
	ph, err := pb.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatalf("p2p histories: %v", err)
	}
	rh, err := rb.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if !sameHistory(ph[i], rh[i]) {
			t.Fatalf("script %d: p2p history %v, node %v", i, ph[i], rh[i])
		}
	}
	var ids []chainhash.Hash
	var heights []int32
	for _, h := range ph {
		for _, it := range h {
			ids = append(ids, it.TxID)
			if it.Height > 0 {
				heights = append(heights, it.Height)
			}
		}
	}
	ptx, err := pb.Transactions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for i, tx := range ptx {
		if tx == nil || tx.TxHash() != ids[i] {
			t.Fatalf("p2p transaction %d: got %v for %s", i, tx, ids[i])
		}
	}
	phd, err := pb.BlockHeaders(ctx, heights)
	if err != nil {
		t.Fatal(err)
	}
	rhd, err := rb.BlockHeaders(ctx, heights)
	if err != nil {
		t.Fatal(err)
	}
	if len(phd) != len(rhd) {
		t.Fatalf("p2p gave %d headers, the node %d", len(phd), len(rhd))
	}
	for i := range phd {
		if !reflect.DeepEqual(phd[i], rhd[i]) {
			t.Fatalf("p2p header at %d differs from the node's", heights[i])
		}
	}
	return ph
}

// sameHistory compares histories as sets of (txid, height): servers order a block's
// transactions differently.
func sameHistory(a, b []chain.HistoryItem) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[chain.HistoryItem]int{}
	for _, it := range a {
		m[normal(it)]++
	}
	for _, it := range b {
		m[normal(it)]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func normal(it chain.HistoryItem) chain.HistoryItem {
	if it.Height < 0 {
		it.Height = 0
	}
	return it
}

func TestRegtestHistoriesMatchTheNode(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	a := regtest.NewKey("p2p payee a", txbuilder.P2WPKH)
	b := regtest.NewKey("p2p payee b", txbuilder.P2TR)
	unused := regtest.NewKey("p2p unused", txbuilder.P2WPKH)
	node.Send(t, a.Address, 500_000)
	node.Send(t, a.Address, 70_000)
	node.Mine(t, 1)
	node.SendFrom(t, a, []regtest.Output{{Address: b.Address, Amount: 300_000}})
	node.Mine(t, 2)
	node.Send(t, b.Address, 20_000) // unconfirmed: the node shows it, p2p does not yet

	rb := openRPC(t, node)
	dir := t.TempDir()
	pb := openP2P(t, "p2p://"+node.P2PAddr(), dir)
	scripts := [][]byte{a.PkScript, b.PkScript, unused.PkScript}
	node.Mine(t, 1)
	hs := sameAnswers(t, ctx, pb, rb, scripts)
	if len(hs[0]) != 3 || len(hs[1]) != 2 || len(hs[2]) != 0 {
		t.Fatalf("histories %v", hs)
	}
	// The faucet is paid by every coinbase: many matching blocks.
	sameAnswers(t, ctx, pb, rb, [][]byte{regtest.Faucet.PkScript})

	// A second Open on the same folder catches up without downloading the headers again.
	first := pb.BytesReceived()
	pb.Close()
	node.Mine(t, 2)
	pb2 := openP2P(t, "p2p://"+node.P2PAddr(), dir)
	sameAnswers(t, ctx, pb2, rb, scripts)
	if got := pb2.BytesReceived(); got >= first/2 {
		t.Fatalf("the second run received %d bytes, the first %d: headers and filters were fetched again", got, first)
	}
}

func TestRegtestBroadcastShowsUnconfirmedThenMined(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	k := regtest.NewKey("p2p broadcaster", txbuilder.P2WPKH)
	to := regtest.NewKey("p2p broadcast payee", txbuilder.P2WPKH)
	node.Send(t, k.Address, 200_000)
	node.Mine(t, 1)
	rb := openRPC(t, node)
	pb := openP2P(t, "p2p://"+node.P2PAddr(), t.TempDir())
	if _, err := pb.ScriptHistories(ctx, [][]byte{k.PkScript, to.PkScript}); err != nil {
		t.Fatal(err)
	}
	tx := node.CreateTx(t, k, []regtest.Output{{Address: to.Address, Amount: 50_000}}, regtest.TxOptions{})
	id, err := pb.Broadcast(ctx, tx)
	if err != nil {
		t.Fatalf("broadcast: %v", err)
	}
	if id != tx.TxHash() {
		t.Fatalf("id %s, want %s", id, tx.TxHash())
	}
	if got := node.MempoolTxIDs(t); len(got) != 1 || got[0] != id {
		t.Fatalf("node mempool %v, want %s", got, id)
	}
	hs, err := pb.ScriptHistories(ctx, [][]byte{to.PkScript})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs[0]) != 1 || hs[0][0].TxID != id || hs[0][0].Height != 0 {
		t.Fatalf("history of the payee %v, want %s unconfirmed", hs[0], id)
	}
	// The same again is refused as already known.
	_, err = pb.Broadcast(ctx, tx)
	var be *chain.BroadcastError
	if !errors.As(err, &be) || be.Cause != chain.CauseAlreadyInChain {
		t.Fatalf("second broadcast: %v, want already_in_chain", err)
	}
	// A double spend is refused as a conflict.
	tx2 := node.CreateTx(t, k, []regtest.Output{{Address: to.Address, Amount: 60_000}}, regtest.TxOptions{Inputs: []wire.OutPoint{tx.TxIn[0].PreviousOutPoint}})
	_, err = pb.Broadcast(ctx, tx2)
	if !errors.As(err, &be) || be.Cause != chain.CauseConflict {
		t.Fatalf("double spend: %v, want conflict", err)
	}
	node.Mine(t, 1)
	sameAnswers(t, ctx, pb, rb, [][]byte{k.PkScript, to.PkScript})

	// A broadcast the network no longer has (evicted, or never taken) is forgotten once the
	// peer's mempool shows it missing, as other backends would show it gone.
	lost := node.CreateTx(t, k, []regtest.Output{{Address: to.Address, Amount: 10_000}}, regtest.TxOptions{})
	pb.AddPending(lost)
	hs, err = pb.ScriptHistories(ctx, [][]byte{to.PkScript})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range hs[0] {
		if it.TxID == lost.TxHash() {
			t.Fatalf("a broadcast missing from the mempool is still shown: %v", hs[0])
		}
	}
}

// A broadcast one peer refused and another took is in the network's mempools but not in the
// refusing peer's: when that peer's mempool is the one downloaded, the broadcast is still shown.
func TestRegtestBroadcastMissingFromAPeerThatRefusedItIsKept(t *testing.T) {
	ctx := context.Background()
	// The node offers no bloom filtering, so the picky peer's mempool is the one asked.
	node := regtest.Start(t, regtest.WithArgs("--nopeerbloomfilters"))
	k := regtest.NewKey("p2p broadcaster to a picky peer", txbuilder.P2WPKH)
	to := regtest.NewKey("p2p payee of a picky peer", txbuilder.P2WPKH)
	node.Send(t, k.Address, 200_000)
	node.Mine(t, 1)
	picky := startFakePeer(t, node, &lyingPeer{lieAt: -1, refusesTxs: true})
	pb := openP2P(t, "p2p://"+picky+","+node.P2PAddr(), t.TempDir())
	if _, err := pb.ScriptHistories(ctx, [][]byte{k.PkScript, to.PkScript}); err != nil {
		t.Fatal(err)
	}
	tx := node.CreateTx(t, k, []regtest.Output{{Address: to.Address, Amount: 50_000}}, regtest.TxOptions{})
	if _, err := pb.Broadcast(ctx, tx); err != nil {
		t.Fatalf("broadcast: %v", err)
	}
	if got := node.MempoolTxIDs(t); len(got) != 1 || got[0] != tx.TxHash() {
		t.Fatalf("node mempool %v, want %s", got, tx.TxHash())
	}
	hs, err := pb.ScriptHistories(ctx, [][]byte{to.PkScript})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs[0]) != 1 || hs[0][0].TxID != tx.TxHash() || hs[0][0].Height != 0 {
		t.Fatalf("history of the payee %v, want %s unconfirmed (peers %v, dropped %v)", hs[0], tx.TxHash(), pb.Peers(), pb.Dropped())
	}
}

func TestRegtestReorgIsFollowed(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	k := regtest.NewKey("p2p reorg payee", txbuilder.P2WPKH)
	node.Send(t, k.Address, 100_000)
	mined := node.Mine(t, 2)
	rb := openRPC(t, node)
	pb := openP2P(t, "p2p://"+node.P2PAddr(), t.TempDir())
	hs := sameAnswers(t, ctx, pb, rb, [][]byte{k.PkScript})
	if len(hs[0]) != 1 {
		t.Fatalf("history %v", hs[0])
	}
	// Replace both blocks by three coinbase-only ones: the payment goes back to the node's
	// mempool, which p2p does not see; then it is mined again higher up.
	node.InvalidateBlock(t, mined[0])
	node.MineTo(t, regtest.Faucet.Address, 3)
	tip, err := pb.Tip(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rt, _ := rb.Tip(ctx); tip != rt {
		t.Fatalf("p2p tip after the reorg %+v, node %+v", tip, rt)
	}
	hs, err = pb.ScriptHistories(ctx, [][]byte{k.PkScript})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs[0]) != 0 {
		t.Fatalf("history after the reorg, before the payment is mined again: %v", hs[0])
	}
	node.Mine(t, 1) // now the payment is mined again
	hs = sameAnswers(t, ctx, pb, rb, [][]byte{k.PkScript})
	if len(hs[0]) != 1 {
		t.Fatalf("history after the reorg %v", hs[0])
	}
}

func TestRegtestPeerServingWrongFilterHeadersIsDropped(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	k := regtest.NewKey("p2p liar victim", txbuilder.P2WPKH)
	node.Send(t, k.Address, 100_000)
	mined := node.Mine(t, 1)
	payHeight := node.Height(t)
	node.Mine(t, 1)
	_ = mined
	// The liar hides the block that pays k.
	liar := startLyingPeer(t, node, payHeight)
	rb := openRPC(t, node)
	pb := openP2P(t, "p2p://"+liar+","+node.P2PAddr(), t.TempDir())
	hs := sameAnswers(t, ctx, pb, rb, [][]byte{k.PkScript})
	if len(hs[0]) != 1 || hs[0][0].Height != payHeight {
		t.Fatalf("history %v, want the payment at %d", hs[0], payHeight)
	}
	peers := pb.Peers()
	if len(peers) != 1 || peers[0] != node.P2PAddr() {
		t.Fatalf("peers left %v, want only the node %s", peers, node.P2PAddr())
	}
	dropped := pb.Dropped()
	if len(dropped) != 1 || !strings.Contains(dropped[0], liar) || !strings.Contains(dropped[0], "leaves out") {
		t.Fatalf("dropped %v, want the liar %s for a filter that leaves out a script", dropped, liar)
	}
}

func TestRegtestTipTakenBackByTheNodeIsFollowed(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	k := regtest.NewKey("p2p invalidated payee", txbuilder.P2WPKH)
	node.Send(t, k.Address, 100_000)
	mined := node.Mine(t, 1)
	rb := openRPC(t, node)
	dir := t.TempDir()
	pb := openP2P(t, "p2p://"+node.P2PAddr(), dir)
	if hs := sameAnswers(t, ctx, pb, rb, [][]byte{k.PkScript}); len(hs[0]) != 1 {
		t.Fatalf("history %v", hs[0])
	}
	pb.Close()
	// The node takes its tip back: less work than what we saw, but no peer has it any more.
	node.InvalidateBlock(t, mined[0])
	pb = openP2P(t, "p2p://"+node.P2PAddr(), dir)
	hs := sameAnswers(t, ctx, pb, rb, [][]byte{k.PkScript})
	if len(hs[0]) != 1 || hs[0][0].Height != 0 {
		t.Fatalf("history %v, want the payment back in the mempool", hs[0])
	}
}

func TestRegtestThroughASocksProxyNamesAreResolvedByIt(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	// The proxy sends every name to the node: it stands for Tor reaching an onion service.
	proxy := socks5test.Start(t, func(string, uint16) string { return node.P2PAddr() })
	pb, err := p2p.New("p2p://satchelpeerxyz.onion:18444", chain.Options{Net: regtest.Net, Proxy: proxy.URL(), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer pb.Close()
	if _, err := pb.Tip(ctx); err != nil {
		t.Fatalf("tip through the proxy: %v", err)
	}
	reqs := proxy.Requests()
	if len(reqs) == 0 || reqs[0].AddrType != 3 || reqs[0].Host != "satchelpeerxyz.onion" || reqs[0].Port != 18444 {
		t.Fatalf("proxy requests %+v, want the onion name unresolved", reqs)
	}
	// Without the proxy an onion peer is refused up front.
	if _, err := p2p.New("p2p://satchelpeerxyz.onion:18444", chain.Options{Net: regtest.Net}); err == nil {
		t.Fatal("an onion peer without a proxy was accepted")
	}
}

func TestRegtestHonestPeersThatAgreeAreKept(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	other := startLyingPeer(t, node, -1) // lies nowhere
	rb := openRPC(t, node)
	pb := openP2P(t, "p2p://"+other+","+node.P2PAddr(), t.TempDir())
	sameAnswers(t, ctx, pb, rb, [][]byte{regtest.Faucet.PkScript})
	if got := pb.Peers(); len(got) != 2 {
		t.Fatalf("peers %v, dropped %v: two honest peers should both stay", got, pb.Dropped())
	}
}

func TestRegtestFeesFromTheFeeSource(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	rb := openRPC(t, node)
	_, esploraURL := esploratest.Start(t, rb)
	without := openP2P(t, "p2p://"+node.P2PAddr(), "")
	if _, err := without.EstimateFee(ctx, 2); !errors.Is(err, chain.ErrNoEstimate) {
		t.Fatalf("no fee source: %v, want ErrNoEstimate", err)
	}
	if r, err := without.RelayFee(ctx); err != nil || r != txbuilder.SatPerVB(1) {
		t.Fatalf("relay fee %v %v", r, err)
	}
	with, err := p2p.New("p2p://"+node.P2PAddr(), chain.Options{Net: regtest.Net, FeeSource: esploraURL})
	if err != nil {
		t.Fatal(err)
	}
	defer with.Close()
	want, werr := rb.EstimateFee(ctx, 2)
	got, gerr := with.EstimateFee(ctx, 2)
	if got != want || (werr == nil) != (gerr == nil) {
		t.Fatalf("estimate %v (%v), the source's backend says %v (%v)", got, gerr, want, werr)
	}
}

// On a chain past a few checkpoints, peers that agree on their checkpoints (one message each)
// let one peer serve each stretch of filter headers; a peer whose checkpoints disagree is
// caught in the stretch where it lies.
func TestRegtestCheckpointsSpareFilterHeaderDownloads(t *testing.T) {
	ctx := context.Background()
	node := regtest.Start(t)
	node.Mine(t, 3020-int(node.Height(t))) // tip 3020: stretches 0-1000, 1001-3000, 3001-3020
	rb := openRPC(t, node)

	honest := startLyingPeer(t, node, -1)
	pb := openP2P(t, "p2p://"+honest+","+node.P2PAddr(), t.TempDir())
	sameAnswers(t, ctx, pb, rb, [][]byte{regtest.Faucet.PkScript})
	if got := pb.Peers(); len(got) != 2 {
		t.Fatalf("peers %v, dropped %v", got, pb.Dropped())
	}
	// Two stretches from one peer each, the last (no checkpoint at its end) from both.
	if got := pb.CFHeadersRequests(); got != 4 {
		t.Fatalf("%d getcfheaders, want 4", got)
	}

	liar := startLyingPeer(t, node, 1500)
	pl := openP2P(t, "p2p://"+liar+","+node.P2PAddr(), t.TempDir())
	sameAnswers(t, ctx, pl, rb, [][]byte{regtest.Faucet.PkScript})
	if got := pl.Peers(); len(got) != 1 || got[0] != node.P2PAddr() {
		t.Fatalf("peers %v, dropped %v", got, pl.Dropped())
	}
	if d := pl.Dropped(); len(d) != 1 || !strings.Contains(d[0], "leaves out") {
		t.Fatalf("dropped %v, want the liar for a filter that leaves out a script", d)
	}
}
