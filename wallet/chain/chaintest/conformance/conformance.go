// Package conformance is the one test suite every chain.Backend passes: each backend's test
// file calls Run with a Harness that puts the backend's own test server in front of a
// chaintest.Chain, and the suite checks that the backend, over it, answers what the fake
// chain answers directly and that a wallet synced through it ends where one synced against
// the chain does, reorganisations included.
//
// It lives apart from chaintest because it builds wallets (package wallet), whose own tests
// import chaintest.
package conformance

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/keystore"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
	"github.com/satchel-wallet/satchel/wallet/keys"
)

// Harness is a backend under test.
type Harness struct {
	// Name names the backend in failure messages ("Electrum").
	Name string
	// Open starts the backend's test server over c and returns a client on it, with
	// Params(t, c) as its network, closed when the test ends. watch tells the server which
	// scripts to index (the test servers find histories by script); nil when it needs not.
	Open func(t testing.TB, c *chaintest.Chain) (be chain.Backend, watch func(scripts ...[]byte))
	// NoRelayFee says the protocol has no relay-fee call (Esplora): RelayFee then answers
	// 1 sat/vB, or the lowest estimate when that is lower, not the node's own floor.
	NoRelayFee bool
	// KnowsOnlyHistories says the backend can give only the transactions of histories it
	// was asked for (p2p: it cannot ask peers for a transaction by id), so the suite asks
	// for the histories before the transactions.
	KnowsOnlyHistories bool
}

// Params is regtest with c's genesis block, so that a backend's network check passes over
// the fake chain.
func Params(t testing.TB, c *chaintest.Chain) *chaincfg.Params {
	t.Helper()
	hdrs, err := c.BlockHeaders(context.Background(), []int32{0})
	if err != nil {
		t.Fatal(err)
	}
	p := chaincfg.RegressionNetParams
	g := hdrs[0].BlockHash()
	p.GenesisHash = &g
	if b, ok := c.Block(0); ok {
		p.GenesisBlock = b // a light client starts its header chain from it
	}
	return &p
}

// Run runs every case of the suite against h, each as a subtest on a chain of its own.
func Run(t *testing.T, h Harness) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, h Harness)
	}{
		{"Tip", testTip},
		{"ScriptHistoriesMatchTheChain", testHistories},
		{"TransactionsMatchTheirIDs", testTransactions},
		{"BlockHeadersAtAnyHeights", testHeaders},
		{"FeeEstimatesAndRelayFee", testFees},
		{"BroadcastAcceptedAlreadyKnownAndConflict", testBroadcast},
		{"WalletSyncMatchesTheChain", testWalletSync},
		{"WalletSyncFollowsAReorg", testWalletReorg},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h) })
	}
}

// Script makes a distinct P2WPKH-shaped output script.
func Script(n int) []byte {
	s := make([]byte, 22)
	s[1] = 0x14
	s[2], s[3] = byte(n), byte(n>>8)
	s[21] = 0xee
	return s
}

// Pay puts n payments to sc on the chain, mining a block after every perBlock of them (0:
// leave them in the mempool).
func Pay(c *chaintest.Chain, sc []byte, n, perBlock int, tag uint32) {
	for i := 0; i < n; i++ {
		c.AddMempool(chaintest.Pay(tag+uint32(i), wire.NewTxOut(int64(1000+i), sc)))
		if perBlock > 0 && (i+1)%perBlock == 0 {
			c.Mine(1)
		}
	}
	if perBlock > 0 && n%perBlock != 0 {
		c.Mine(1)
	}
}

// busyChain is the chain most cases ask about: 30 confirmed payments to a over five
// blocks, two to b, a confirmed spend from a to b, then mempool payments to both. It returns
// the scripts (a, b and one never used) and the outpoint the spend took.
func busyChain(c *chaintest.Chain) (scripts [][]byte, spent wire.OutPoint) {
	ctx := context.Background()
	a, b, unused := Script(1), Script(2), Script(3)
	c.Mine(3)
	Pay(c, a, 30, 7, 100)
	Pay(c, b, 2, 1, 200)
	hist, _ := c.ScriptHistories(ctx, [][]byte{a})
	spent = *wire.NewOutPoint(&hist[0][0].TxID, 0)
	spend := wire.NewMsgTx(2)
	spend.AddTxIn(wire.NewTxIn(&spent, nil, nil))
	spend.AddTxOut(wire.NewTxOut(500, b))
	c.AddMempool(spend)
	c.Mine(1)
	Pay(c, a, 3, 0, 300)
	Pay(c, b, 1, 0, 400)
	return [][]byte{a, b, unused}, spent
}

// open opens h's backend over c and tells its server about scripts.
func open(t *testing.T, h Harness, c *chaintest.Chain, scripts ...[]byte) chain.Backend {
	t.Helper()
	be, watch := h.Open(t, c)
	if watch != nil {
		watch(scripts...)
	}
	return be
}

func sorted(h []chain.HistoryItem) []chain.HistoryItem {
	out := append([]chain.HistoryItem(nil), h...)
	sort.Slice(out, func(i, j int) bool { return out[i].TxID.String() < out[j].TxID.String() })
	return out
}

func testTip(t *testing.T, h Harness) {
	ctx := context.Background()
	c := chaintest.New()
	be := open(t, h, c)
	for _, n := range []int{0, 1, 5} {
		c.Mine(n)
		want, _ := c.Tip(ctx)
		if got, err := be.Tip(ctx); err != nil || got != want {
			t.Fatalf("%s: Tip = %+v, %v; want %+v", h.Name, got, err, want)
		}
	}
}

func testHistories(t *testing.T, h Harness) {
	ctx := context.Background()
	c := chaintest.New()
	scripts, _ := busyChain(c)
	be := open(t, h, c, scripts...)
	want, _ := c.ScriptHistories(ctx, scripts)
	got, err := be.ScriptHistories(ctx, scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range scripts {
		if !reflect.DeepEqual(sorted(got[i]), sorted(want[i])) {
			t.Errorf("%s: script %d: %v, chain %v", h.Name, i, sorted(got[i]), sorted(want[i]))
		}
	}
	if len(got[0]) != 34 || len(got[2]) != 0 {
		t.Fatalf("%s: a has %d items (want 30 + 1 spend + 3 in the mempool), unused %d",
			h.Name, len(got[0]), len(got[2]))
	}
}

func testTransactions(t *testing.T, h Harness) {
	ctx := context.Background()
	c := chaintest.New()
	scripts, _ := busyChain(c)
	be := open(t, h, c, scripts...)
	hist, _ := c.ScriptHistories(ctx, scripts[:1])
	if h.KnowsOnlyHistories {
		if _, err := be.ScriptHistories(ctx, scripts[:1]); err != nil {
			t.Fatal(err)
		}
	}
	var ids []chainhash.Hash
	for _, it := range hist[0] {
		ids = append(ids, it.TxID)
	}
	ids = append(ids, ids[0]) // asked twice
	txs, err := be.Transactions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) != len(ids) {
		t.Fatalf("%s: %d transactions for %d ids", h.Name, len(txs), len(ids))
	}
	for i := range ids {
		if txs[i].TxHash() != ids[i] {
			t.Fatalf("%s: transaction %d: %s, want %s", h.Name, i, txs[i].TxHash(), ids[i])
		}
	}
	if txs[0] == txs[len(txs)-1] {
		t.Fatalf("%s: an id asked twice shares one transaction", h.Name)
	}
}

func testHeaders(t *testing.T, h Harness) {
	ctx := context.Background()
	c := chaintest.New()
	busyChain(c)
	be := open(t, h, c)
	tip, _ := c.Tip(ctx)
	heights := []int32{0, 5, 6, tip.Height, 5}
	got, err := be.BlockHeaders(ctx, heights)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := c.BlockHeaders(ctx, heights)
	for i := range heights {
		if got[i].BlockHash() != want[i].BlockHash() {
			t.Fatalf("%s: header at %d differs", h.Name, heights[i])
		}
	}
}

func testFees(t *testing.T, h Harness) {
	ctx := context.Background()
	c := chaintest.New()
	c.Mine(1)
	be := open(t, h, c)
	if _, err := be.EstimateFee(ctx, 6); !errors.Is(err, chain.ErrNoEstimate) {
		t.Fatalf("%s: EstimateFee without estimates: %v, want ErrNoEstimate", h.Name, err)
	}
	c.Fee, c.Relay = 2501, 100
	if fee, err := be.EstimateFee(ctx, 6); err != nil || fee != 2501 {
		t.Fatalf("%s: EstimateFee = %v, %v; want 2501", h.Name, fee, err)
	}
	want := c.Relay
	if h.NoRelayFee {
		want = txbuilder.SatPerVB(1)
	}
	if relay, err := be.RelayFee(ctx); err != nil || relay != want {
		t.Fatalf("%s: RelayFee = %v, %v; want %v", h.Name, relay, err, want)
	}
}

func testBroadcast(t *testing.T, h Harness) {
	ctx := context.Background()
	c := chaintest.New()
	scripts, spent := busyChain(c)
	be := open(t, h, c, scripts...)
	fresh := chaintest.Pay(999, wire.NewTxOut(1234, scripts[1]))
	if id, err := be.Broadcast(ctx, fresh); err != nil || id != fresh.TxHash() {
		t.Fatalf("%s: Broadcast = %s, %v", h.Name, id, err)
	}
	if hist, _ := c.ScriptHistories(ctx, scripts[1:2]); !hasTx(hist[0], fresh.TxHash()) {
		t.Fatalf("%s: the broadcast transaction did not reach the chain's mempool", h.Name)
	}
	var berr *chain.BroadcastError
	if _, err := be.Broadcast(ctx, fresh); !errors.As(err, &berr) || berr.Cause != chain.CauseAlreadyInChain {
		t.Fatalf("%s: the same transaction again: %v, want already_in_chain", h.Name, err)
	}
	double := wire.NewMsgTx(2)
	double.AddTxIn(wire.NewTxIn(&spent, nil, nil))
	double.AddTxOut(wire.NewTxOut(400, scripts[0]))
	_, err := be.Broadcast(ctx, double)
	if !errors.As(err, &berr) || berr.Cause != chain.CauseConflict ||
		!strings.Contains(berr.Message, "output already spent") {
		t.Fatalf("%s: double spend: %#v, want a conflict keeping the node's words", h.Name, err)
	}
}

func hasTx(h []chain.HistoryItem, id chainhash.Hash) bool {
	for _, it := range h {
		if it.TxID == id {
			return true
		}
	}
	return false
}

const abandon = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// NewWallet makes a regtest BIP84 wallet of the "abandon ... about" seed, closed when the
// test ends.
func NewWallet(t testing.TB) *wallet.Wallet {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "regtest", "w")
	_, err := wallet.Create(context.Background(), wallet.CreateOptions{Dir: dir, Network: "regtest",
		Type: txbuilder.P2WPKH, Mnemonic: []byte(abandon), Passphrase: []byte("pw"),
		Keystore: []keystore.Option{keystore.WithKDF(keystore.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1})}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Open(dir, "regtest", wallet.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// WalletScripts derives the first n receive ([0]) and change ([1]) scripts of NewWallet's
// wallet.
func WalletScripts(t testing.TB, n uint32) [2][][]byte {
	t.Helper()
	master, err := keys.Master(keys.SeedFromMnemonic([]byte(abandon), nil), &chaincfg.RegressionNetParams)
	if err != nil {
		t.Fatal(err)
	}
	acct, err := keys.DeriveAccount(master, keys.BIP84, &chaincfg.RegressionNetParams, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out [2][][]byte
	for c := uint32(0); c < 2; c++ {
		for i := uint32(0); i < n; i++ {
			d, err := acct.Derive(c, i)
			if err != nil {
				t.Fatal(err)
			}
			out[c] = append(out[c], d.PkScript)
		}
	}
	return out
}

// SyncWith syncs w over be (gap limit 20) and returns its balance.
func SyncWith(t testing.TB, w *wallet.Wallet, be chain.Backend) wallet.Balance {
	t.Helper()
	if _, err := w.Sync(context.Background(), be, wallet.SyncOptions{GapLimit: 20,
		Now: func() time.Time { return time.Unix(1800000000, 0) }}); err != nil {
		t.Fatalf("sync over %s: %v", be.Name(), err)
	}
	b, err := w.Balance()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameWallets fails the test unless the two wallets show the same balance and history.
func sameWallets(t *testing.T, h Harness, round int, direct, over *wallet.Wallet, want, got wallet.Balance) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round %d: balance over %s %+v, direct %+v", round, h.Name, got, want)
	}
	hw, _ := direct.History(0, 100)
	hg, _ := over.History(0, 100)
	if !reflect.DeepEqual(hg, hw) {
		t.Fatalf("round %d: history over %s %+v, direct %+v", round, h.Name, hg, hw)
	}
}

// A wallet synced through the backend (over its test server, over the fake chain) ends up
// where a wallet synced against the fake chain directly does, payments past the first gap and
// in the mempool included.
func testWalletSync(t *testing.T, h Harness) {
	c := chaintest.New()
	c.Mine(2)
	sc := WalletScripts(t, 60)
	be := open(t, h, c, append(sc[0], sc[1]...)...)
	c.AddMempool(chaintest.Pay(1, wire.NewTxOut(50_000, sc[0][0])), chaintest.Pay(2, wire.NewTxOut(20_000, sc[0][0])))
	c.Mine(1)
	c.AddMempool(chaintest.Pay(3, wire.NewTxOut(70_000, sc[0][15]))) // past the first gap
	c.Mine(2)
	c.AddMempool(chaintest.Pay(4, wire.NewTxOut(9_000, sc[1][2])), chaintest.Pay(5, wire.NewTxOut(1_000, sc[0][1])))

	direct, over := NewWallet(t), NewWallet(t)
	for round := 0; round < 2; round++ {
		want := SyncWith(t, direct, c)
		got := SyncWith(t, over, be)
		sameWallets(t, h, round, direct, over, want, got)
		if round == 0 && want.Confirmed != 140_000 {
			t.Fatalf("confirmed %d, want 140000", want.Confirmed)
		}
		c.Mine(1)
	}
}

// A reorganisation that moves the wallet's payments to other blocks, or back to the
// mempool, is followed through the backend as against the chain directly.
func testWalletReorg(t *testing.T, h Harness) {
	c := chaintest.New()
	sc := WalletScripts(t, 5)
	be := open(t, h, c, append(sc[0], sc[1]...)...)
	for i := 0; i < 4; i++ {
		c.AddMempool(chaintest.Pay(uint32(i), wire.NewTxOut(int64(10_000*(i+1)), sc[0][i])))
		c.Mine(1)
	}
	c.Mine(3)
	direct, over := NewWallet(t), NewWallet(t)
	for round, reorg := range [][2]int{{0, 0}, {2, 3}, {5, 5}, {1, 2}} {
		c.Disconnect(reorg[0])
		c.Mine(reorg[1])
		want := SyncWith(t, direct, c)
		got := SyncWith(t, over, be)
		sameWallets(t, h, round, direct, over, want, got)
	}
}
