package electrum

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/chain/electrum/electrumtest"
)

// lyingRig is a rig whose server tells the given lies from the start.
func lyingRig(t *testing.T, opts Options, lies ...electrumtest.Option) *rig {
	t.Helper()
	c := chaintest.New()
	s := electrumtest.Start(t, c, lies...)
	b, err := dial(context.Background(), s.URL(), paramsFor(t, c), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return &rig{chain: c, server: s, client: b}
}

// spvFailure checks err is a failed light-client check that says want.
func spvFailure(t *testing.T, err error, want string) {
	t.Helper()
	if !errors.Is(err, ErrBadProof) || !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(fmtErr(err), want) {
		t.Fatalf("err = %v; want a failed check (ErrBadProof, chain.ErrUnreachable) saying %q", err, want)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// Each way a server can lie about a confirmation or the chain is caught, through the call that
// meets it first.
func TestLiesAreCaught(t *testing.T) {
	ctx := context.Background()
	sc := script(1)
	for _, tc := range []struct {
		name   string
		lie    electrumtest.Lie
		height int32
		call   func(b *Backend) error
		want   string
		proof  bool // the error is ErrBadProof (else a malformed answer)
	}{
		{"mempool transaction claimed confirmed", electrumtest.LieConfirmMempool, 0, histories(sc),
			"does not match the block header", true},
		{"branch with a changed hash", electrumtest.LieBadBranch, 5, histories(sc),
			"does not match the block header", true},
		{"pos beyond the branch", electrumtest.LieWrongPos, 0, histories(sc),
			"does not fit a branch", false},
		{"header missing its target, seen by histories", electrumtest.LieBadPoW, 4, histories(sc),
			"the header at height 4", true},
		{"header missing its target, seen by BlockHeaders", electrumtest.LieBadPoW, 7, headersAt(7),
			"does not meet its own proof-of-work target", true},
		{"header missing its target at the tip", electrumtest.LieBadPoW, 12, func(b *Backend) error {
			_, err := b.Tip(ctx)
			return err
		}, "does not meet its own proof-of-work target", true},
		{"header that does not link", electrumtest.LieBrokenLink, 6, histories(sc),
			"the header at height 6 does not link to the one at height 5", true},
		{"header easier than the network allows", electrumtest.LieEasyBits, 9, headersAt(9, 3),
			"claims a target easier than regtest allows", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lyingRig(t, options{}, electrumtest.WithLie(tc.lie, tc.height))
			r.server.Watch(sc)
			pay(r.chain, sc, 10, 1, 1) // confirmed at heights 1 to 10
			r.chain.Mine(2)
			pay(r.chain, sc, 1, 0, 100) // one in the mempool
			err := tc.call(r.client)
			if tc.proof {
				spvFailure(t, err, tc.want)
			} else if !errors.Is(err, chain.ErrUnreachable) || !strings.Contains(fmtErr(err), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			// The same call with the checks off believes the lie (or at least does not check it).
			off, err := dial(ctx, r.server.URL(), paramsFor(t, r.chain), options{NoSPV: true})
			if err != nil {
				t.Fatal(err)
			}
			defer off.Close()
			if err := tc.call(off); err != nil {
				t.Fatalf("with NoSPV: %v", err)
			}
		})
	}
}

func histories(sc []byte) func(b *Backend) error {
	return func(b *Backend) error {
		_, err := b.ScriptHistories(context.Background(), [][]byte{sc})
		return err
	}
}

func headersAt(heights ...int32) func(b *Backend) error {
	return func(b *Backend) error {
		_, err := b.BlockHeaders(context.Background(), heights)
		return err
	}
}

// The message names the transaction and the height the server claimed.
func TestFakeConfirmationNamesTheTransaction(t *testing.T) {
	r := lyingRig(t, options{}, electrumtest.WithLie(electrumtest.LieConfirmMempool, 0))
	sc := script(2)
	r.server.Watch(sc)
	r.chain.Mine(3)
	fake := chaintest.Pay(7, wire.NewTxOut(5000, sc))
	r.chain.AddMempool(fake)
	_, err := r.client.ScriptHistories(context.Background(), [][]byte{sc})
	spvFailure(t, err, "merkle proof for "+fake.TxHash().String()+" at height 3 does not match the block header")
}

// A server that hides a transaction is not caught: a light client cannot know what it was not
// told. The hidden payment is simply missing.
func TestHiddenTransactionIsNotSeen(t *testing.T) {
	ctx := context.Background()
	r := lyingRig(t, options{}, electrumtest.WithLie(electrumtest.LieHide, 2))
	sc := script(3)
	r.server.Watch(sc)
	pay(r.chain, sc, 3, 1, 1) // heights 1, 2, 3
	got, err := r.client.ScriptHistories(ctx, [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0]) != 2 {
		t.Fatalf("history %v, want the two transactions not hidden", got[0])
	}
	for _, it := range got[0] {
		if it.Height == 2 {
			t.Fatalf("the hidden transaction came through: %v", got[0])
		}
	}
}

// An honest server passes; the first call pays for the tip, one message of headers and one of
// proofs, and asking again costs only the histories.
func TestHonestServerAndTheCache(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	a, b := script(4), script(5)
	r.server.Watch(a, b)
	pay(r.chain, a, 30, 4, 1)
	pay(r.chain, b, 5, 5, 100)
	pay(r.chain, b, 2, 0, 200)
	scripts := [][]byte{a, b}
	want, _ := r.chain.ScriptHistories(ctx, scripts)

	before := r.client.RoundTrips()
	got, err := r.client.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if !reflect.DeepEqual(sorted(got[i]), sorted(want[i])) {
			t.Fatalf("script %d: %v, want %v", i, got[i], want[i])
		}
	}
	if d := r.client.RoundTrips() - before; d != 4 {
		t.Errorf("first call: %d round trips, want 4 (histories, tip, headers, proofs)", d)
	}
	if n := len(r.client.spv.proven); n != 35 {
		t.Errorf("%d transactions proven, want 35", n)
	}

	before = r.client.RoundTrips()
	if _, err := r.client.ScriptHistories(ctx, scripts); err != nil {
		t.Fatal(err)
	}
	tip, _ := r.chain.Tip(ctx)
	hdrs, err := r.client.BlockHeaders(ctx, []int32{1, 5, tip.Height})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.client.RoundTrips() - before; d != 1 {
		t.Errorf("again: %d round trips, want 1 (histories)", d)
	}
	wantHdrs, _ := r.chain.BlockHeaders(ctx, []int32{1, 5, tip.Height})
	for i := range hdrs {
		if hdrs[i].BlockHash() != wantHdrs[i].BlockHash() {
			t.Fatalf("header %d differs", i)
		}
	}

	// A new block with a new payment: the tip, one header and one proof more.
	r.chain.Mine(1, chaintest.Pay(300, wire.NewTxOut(1, a)))
	if _, err := r.client.Tip(ctx); err != nil {
		t.Fatal(err)
	}
	before = r.client.RoundTrips()
	if _, err := r.client.ScriptHistories(ctx, scripts); err != nil {
		t.Fatal(err)
	}
	if d := r.client.RoundTrips() - before; d != 3 {
		t.Errorf("after a block: %d round trips, want 3 (histories, a header, a proof)", d)
	}
}

// Reorganisations of every depth: the cache drops what left the chain, finds the fork and
// proves the transactions again in their new blocks.
func TestReorgsAreFollowed(t *testing.T) {
	for _, tc := range []struct {
		name      string
		drop, add int
	}{
		{"same height", 1, 1},
		{"one block longer", 2, 3},
		{"deeper than the first look back", 20, 21},
		{"below the cached chain", 40, 41},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := newRig(t, options{})
			sc := script(6)
			r.server.Watch(sc)
			r.chain.Mine(5)
			pay(r.chain, sc, 40, 1, 1) // heights 6 to 45
			r.chain.Mine(2)
			if _, err := r.client.Tip(ctx); err != nil {
				t.Fatal(err)
			}
			first, err := r.client.ScriptHistories(ctx, [][]byte{sc})
			if err != nil || len(first[0]) != 40 {
				t.Fatalf("before: %v, %v", first, err)
			}
			r.chain.Disconnect(tc.drop)
			r.chain.Mine(tc.add)
			tip, err := r.client.Tip(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.client.ScriptHistories(ctx, [][]byte{sc})
			if err != nil {
				t.Fatalf("after the reorg: %v", err)
			}
			want, _ := r.chain.ScriptHistories(ctx, [][]byte{sc})
			if !reflect.DeepEqual(sorted(got[0]), sorted(want[0])) {
				t.Fatalf("after the reorg: %v, want %v", got[0], want[0])
			}
			hdrs, err := r.client.BlockHeaders(ctx, []int32{tip.Height, 6})
			if err != nil || hdrs[0].BlockHash() != tip.Hash {
				t.Fatalf("tip header after the reorg: %v", err)
			}
			for id, p := range r.client.spv.proven {
				if _, hash, ok := r.client.spv.at(p.height); !ok || hash != p.block {
					// Stale entries may stay; they must not be trusted for a confirmed item.
					for _, it := range got[0] {
						if it.TxID == id && it.Height == p.height {
							t.Fatalf("%s is counted as proven in a block that left the chain", id)
						}
					}
				}
			}
		})
	}
}

// A lie that starts after the client cached the honest chain is caught when the forged headers
// replace the cached ones.
func TestLieAfterTheCacheIsCaught(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	sc := script(7)
	r.server.Watch(sc)
	pay(r.chain, sc, 12, 1, 1)
	if _, err := r.client.ScriptHistories(ctx, [][]byte{sc}); err != nil {
		t.Fatal(err)
	}
	r.server.Lie(electrumtest.LieBadPoW, 3)
	r.chain.Mine(1)
	_, err := r.client.BlockHeaders(ctx, []int32{r.chain.Height()})
	spvFailure(t, err, "the header at height 3")
}

// Headers asked below the cached chain extend it downwards, checked to link to it.
func TestChainExtendsDownwards(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	sc := script(8)
	r.server.Watch(sc)
	r.chain.Mine(30)
	pay(r.chain, sc, 3, 1, 1)
	if _, err := r.client.ScriptHistories(ctx, [][]byte{sc}); err != nil {
		t.Fatal(err)
	}
	if from := r.client.spv.chain.from; from != 31 {
		t.Fatalf("the chain starts at %d, want 31 (the first confirmation)", from)
	}
	hdrs, err := r.client.BlockHeaders(ctx, []int32{2, 0})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.chain.BlockHeaders(ctx, []int32{2, 0})
	if hdrs[0].BlockHash() != want[0].BlockHash() || hdrs[1].BlockHash() != want[1].BlockHash() {
		t.Fatal("headers below the cache differ")
	}
	if from := r.client.spv.chain.from; from != 0 {
		t.Fatalf("the chain starts at %d, want 0", from)
	}
}

// A transaction of 64 bytes without witness could pass for an inner node of a merkle tree; the
// client refuses it.
func TestSixtyFourByteTransactionIsRefused(t *testing.T) {
	r := newRig(t, options{})
	tx := chaintest.Pay(1, wire.NewTxOut(1000, []byte{0x51, 0x51, 0x51, 0x51}))
	if n := tx.SerializeSizeStripped(); n != 64 {
		t.Fatalf("the test transaction has %d bytes", n)
	}
	r.chain.AddMempool(tx)
	_, err := r.client.Transactions(context.Background(), []chainhash.Hash{tx.TxHash()})
	spvFailure(t, err, "is 64 bytes long")
}

// A long chain comes in chunks of 2016 headers, two per message, and a reorganisation a few
// hundred blocks deep is found by looking further back each time.
func TestLongChainAndDeepReorg(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, options{})
	sc := script(9)
	r.server.Watch(sc)
	pay(r.chain, sc, 1, 1, 1) // height 1
	r.chain.Mine(4500)
	pay(r.chain, sc, 1, 1, 2) // height 4502
	if _, err := r.client.Tip(ctx); err != nil {
		t.Fatal(err)
	}
	before := r.client.RoundTrips()
	if _, err := r.client.ScriptHistories(ctx, [][]byte{sc}); err != nil {
		t.Fatal(err)
	}
	// histories, two messages of header chunks (2016+2016, then 470), proofs
	if d := r.client.RoundTrips() - before; d != 4 {
		t.Errorf("%d round trips, want 4", d)
	}
	r.chain.Disconnect(300)
	r.chain.Mine(301)
	tip, err := r.client.Tip(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before = r.client.RoundTrips()
	got, err := r.client.ScriptHistories(ctx, [][]byte{sc})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.chain.ScriptHistories(ctx, [][]byte{sc})
	if !reflect.DeepEqual(sorted(got[0]), sorted(want[0])) {
		t.Fatalf("after the reorg: %v, want %v", got[0], want[0])
	}
	// histories, headers from the tip, 8, 72 and 584 blocks back, the moved payment's proof
	if d := r.client.RoundTrips() - before; d != 6 {
		t.Errorf("after the reorg: %d round trips, want 6", d)
	}
	if r.client.spv.chain.from != 1 || r.client.spv.chain.top() != tip.Height {
		t.Fatalf("the chain covers %d to %d, want 1 to %d", r.client.spv.chain.from, r.client.spv.chain.top(), tip.Height)
	}
}

// On a network with checkpoints and the mainnet difficulty rules (here regtest's parameters
// changed so), the checkpoint below the chain is fetched once and must be the network's block,
// and a cached header at a checkpoint's height must be it too.
func TestCheckpointsOnAFakeNetwork(t *testing.T) {
	ctx := context.Background()
	c := chaintest.New()
	s := electrumtest.Start(t, c)
	sc := script(10)
	s.Watch(sc)
	c.Mine(10)
	pay(c, sc, 3, 1, 1) // heights 11 to 13
	hdrs, _ := c.BlockHeaders(ctx, []int32{5, 8})
	for _, tc := range []struct {
		name     string
		cp       chainhash.Hash
		want     string
		messages int64
	}{
		{"the right block", hdrs[0].BlockHash(), "", 5},
		{"another block", hdrs[1].BlockHash(), "but regtest's checkpoint there is", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := *paramsFor(t, c)
			p.ReduceMinDifficulty, p.PoWNoRetargeting = false, false
			p.Checkpoints = []chaincfg.Checkpoint{{Height: 5, Hash: &tc.cp}}
			b, err := dial(ctx, s.URL(), &p, options{})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			before := b.RoundTrips()
			_, err = b.ScriptHistories(ctx, [][]byte{sc})
			if tc.want != "" {
				spvFailure(t, err, tc.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// histories, tip, the checkpoint header, the chain's headers, proofs
			if d := b.RoundTrips() - before; d != tc.messages {
				t.Errorf("%d round trips, want %d", d, tc.messages)
			}
			if _, err := b.BlockHeaders(ctx, []int32{3}); err != nil {
				t.Fatalf("extending the chain below the checkpoint: %v", err)
			}
		})
	}
}

// A chain of the server's own, forked below satchel's anchor for the network, proves nothing:
// with the anchor the client refuses it; without one (what regtest has) it cannot tell. A
// server whose tip is below the anchor is refused too.
func TestAnchorRefusesAChainOfItsOwn(t *testing.T) {
	ctx := context.Background()
	const fakeNet = wire.BitcoinNet(0x5a7c4e1f)
	sc := script(11)
	for _, tc := range []struct {
		name     string
		lie      []electrumtest.Option
		anchorAt int32 // 0: no anchor
		mine     int
		want     string
	}{
		{"forked below the anchor", []electrumtest.Option{electrumtest.WithLie(electrumtest.LieFork, 3)}, 8, 0, "checkpoint there is"},
		{"forked from the first block", []electrumtest.Option{electrumtest.WithLie(electrumtest.LieFork, 1)}, 8, 0, "checkpoint there is"},
		{"no anchor: the fork is believed", []electrumtest.Option{electrumtest.WithLie(electrumtest.LieFork, 3)}, 0, 0, ""},
		{"honest server through the anchor", nil, 8, 0, ""},
		{"tip below the anchor", nil, 8, -1, "below satchel's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := chaintest.New()
			s := electrumtest.Start(t, c, tc.lie...)
			s.Watch(sc)
			c.Mine(10)
			pay(c, sc, 3, 1, 1) // heights 11 to 13
			p := *paramsFor(t, c)
			p.Net = fakeNet
			if tc.anchorAt > 0 {
				at := tc.anchorAt
				if tc.mine < 0 {
					at = 100 // above the tip
				}
				hdrs, err := c.BlockHeaders(ctx, []int32{tc.anchorAt})
				if err != nil {
					t.Fatal(err)
				}
				anchors[fakeNet] = Anchor{Height: at, Hash: hdrs[0].BlockHash()}
				t.Cleanup(func() { delete(anchors, fakeNet) })
			}
			b, err := dial(ctx, s.URL(), &p, options{})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			// The wallet's coins are all above the anchor: its chain would start at 11.
			_, err = b.BlockHeaders(ctx, []int32{11, 12})
			if tc.want != "" {
				spvFailure(t, err, tc.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.anchorAt > 0 && b.spv.chain.from > tc.anchorAt {
				t.Fatalf("the verified chain starts at %d, above the anchor at %d", b.spv.chain.from, tc.anchorAt)
			}
		})
	}
}

// Every public network but regtest has an anchor, and it is not its genesis block.
func TestAnchorsForPublicNetworks(t *testing.T) {
	for _, p := range []*chaincfg.Params{&chaincfg.MainNetParams, &chaincfg.TestNet3Params, &chaincfg.TestNet4Params, &chaincfg.SigNetParams} {
		a, ok := AnchorFor(p)
		if !ok || a.Height <= 0 || a.Hash == *p.GenesisHash || a.ChainWork == nil || a.ChainWork.Sign() <= 0 {
			t.Errorf("%s: anchor %+v, %v", p.Name, a, ok)
		}
		if got := newRules(p).checkpoints[a.Height]; got != a.Hash {
			t.Errorf("%s: the anchor is not a checkpoint", p.Name)
		}
	}
	if _, ok := AnchorFor(&chaincfg.RegressionNetParams); ok {
		t.Error("regtest has an anchor")
	}
	custom := chaincfg.CustomSignetParams([]byte{0x51}, nil)
	if _, ok := AnchorFor(&custom); ok {
		t.Error("a custom signet is held to the default signet's anchor")
	}
}
