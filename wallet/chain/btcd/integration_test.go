package btcd_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
)

func dial(t testing.TB, node *regtest.Node) *btcd.Backend {
	t.Helper()
	be, err := btcd.Open(context.Background(), node.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	return be.(*btcd.Backend)
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentServer accepts connections and never answers, like a hung node.
func silentServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				io.Copy(io.Discard, c) // until the client hangs up
			}()
		}
	}()
	return l.Addr().String()
}

// checkUnreachable wants err to wrap ErrUnreachable and name the URL with its password masked.
func checkUnreachable(t *testing.T, err error, rawURL string) {
	t.Helper()
	if !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("error does not wrap ErrUnreachable: %v", err)
	}
	msg := err.Error()
	u, _ := btcd.ParseURL(rawURL)
	if !strings.Contains(msg, btcd.MaskURL(rawURL)) || strings.Contains(msg, u.Pass) {
		t.Fatalf("error does not name the masked URL: %q", msg)
	}
}

func TestDialAcceptsAnIndexedNodeInOneRoundTrip(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	if got := b.RoundTrips(); got != 1 {
		t.Fatalf("Dial took %d round trips, want 1", got)
	}
	if want := strings.Replace(node.URL(), regtest.RPCPass, "***", 1); b.Name() != want {
		t.Fatalf("Name() = %q, want %q", b.Name(), want)
	}
}

func TestDialRefusesNodeWithoutIndexes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []regtest.Option
	}{
		{"no index at all", []regtest.Option{regtest.WithoutIndexes()}},
		{"txindex only", []regtest.Option{regtest.WithoutIndexes(), regtest.WithArgs("--txindex")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			node := regtest.Start(t, append(tc.opts, regtest.WithBlocks(1))...)
			_, err := btcd.Open(context.Background(), node.URL(), chain.Options{Net: regtest.Net})
			if !errors.Is(err, btcd.ErrNoIndex) {
				t.Fatalf("Dial: %v, want ErrNoIndex", err)
			}
			if !strings.Contains(err.Error(), "btcd must run with --txindex --addrindex") {
				t.Fatalf("error %q does not say how to fix it", err)
			}
		})
	}
}

func TestDialRefusesAnotherNetwork(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(0))
	_, err := btcd.Open(context.Background(), node.URL(), chain.Options{Net: &chaincfg.TestNet3Params})
	if !errors.Is(err, btcd.ErrWrongNetwork) || !strings.Contains(err.Error(), `"regtest"`) {
		t.Fatalf("Dial with testnet3 params: %v", err)
	}
}

func TestDialUnreachableFailsFastWithMaskedURL(t *testing.T) {
	addr := closedPort(t)
	start := time.Now()
	_, err := btcd.Open(context.Background(), "btcd://user:secretpw@"+addr, chain.Options{Net: regtest.Net})
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("took %s to report a refused connection", took)
	}
	checkUnreachable(t, err, "btcd://user:secretpw@"+addr)
	if !strings.Contains(err.Error(), "refused") {
		t.Fatalf("error does not give the cause: %v", err)
	}
}

func TestDialWrongPasswordIsUnreachableAndSaysWhy(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(0))
	_, err := btcd.Open(context.Background(), "btcd://user:secretpw@"+node.RPCAddr(), chain.Options{Net: regtest.Net})
	checkUnreachable(t, err, "btcd://user:secretpw@"+node.RPCAddr())
	if !strings.Contains(err.Error(), "refused the RPC user or password") {
		t.Fatalf("error does not say the login failed: %v", err)
	}
}

func TestSilentNodeTimesOut(t *testing.T) {
	addr := silentServer(t)
	start := time.Now()
	_, err := btcd.Open(context.Background(), "btcd://user:secretpw@"+addr,
		chain.Options{Net: regtest.Net, Timeout: time.Second})
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("took %s with a 1 s timeout", took)
	}
	checkUnreachable(t, err, "btcd://user:secretpw@"+addr)
	if !strings.Contains(err.Error(), "no answer within 1s") {
		t.Fatalf("error does not say it timed out: %v", err)
	}
}

func TestContextEndsTheWait(t *testing.T) {
	addr := silentServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := btcd.Open(ctx, "btcd://user:secretpw@"+addr, chain.Options{Net: regtest.Net})
	checkUnreachable(t, err, "btcd://user:secretpw@"+addr)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error does not wrap the context's: %v", err)
	}
}

func TestNodeDyingMidSessionIsReportedQuickly(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(0))
	b := dial(t, node)
	node.Kill()
	start := time.Now()
	_, err := b.Tip(context.Background())
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %s to notice the node is gone (rpcclient alone retries ~20 s)", took)
	}
	checkUnreachable(t, err, node.URL())
	if !strings.Contains(err.Error(), "getbestblock") {
		t.Fatalf("error does not say what was asked: %v", err)
	}
}

func TestClosedBackendRefusesCalls(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(0))
	b := dial(t, node)
	b.Close()
	if _, err := b.Tip(context.Background()); !errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("Tip after Close: %v", err)
	}
}

func TestTip(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	hashes := node.Mine(t, 2)
	tip, err := b.Tip(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tip.Height != regtest.InitialBlocks+2 || tip.Hash != hashes[1] {
		t.Fatalf("tip %d %s, want %d %s", tip.Height, tip.Hash, regtest.InitialBlocks+2, hashes[1])
	}
}

// history is the (txid, height) pairs of one script, for comparing.
func history(t *testing.T, b *btcd.Backend, scripts ...[]byte) [][]chain.HistoryItem {
	t.Helper()
	h, err := b.ScriptHistories(context.Background(), scripts)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != len(scripts) {
		t.Fatalf("%d histories for %d scripts", len(h), len(scripts))
	}
	return h
}

func sameHistory(t *testing.T, what string, got, want []chain.HistoryItem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: history %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: history %v, want %v", what, got, want)
		}
	}
}

// The address index lists the transactions spending from a script as well as those paying to
// it, in the mempool and once confirmed, for every script type a wallet uses.
func TestScriptHistoriesIncludeSpendsForEveryScriptType(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	for _, typ := range []txbuilder.ScriptType{txbuilder.P2WPKH, txbuilder.P2TR, txbuilder.P2PKH,
		txbuilder.P2SHP2WPKH} {
		t.Run(typ.String(), func(t *testing.T) {
			k := regtest.NewKey("history "+typ.String(), typ)
			fresh := regtest.NewKey("never used "+typ.String(), typ)
			sameHistory(t, "unused script", history(t, b, fresh.PkScript)[0], nil)

			receive := node.Send(t, k.Address, 100_000)
			sameHistory(t, "received, in mempool", history(t, b, k.PkScript)[0],
				[]chain.HistoryItem{{TxID: receive, Height: 0}})

			node.Mine(t, 1)
			h1 := node.Height(t)
			sameHistory(t, "received, confirmed", history(t, b, k.PkScript)[0],
				[]chain.HistoryItem{{TxID: receive, Height: h1}})

			// Spend to another script entirely: no output of this tx pays k, so only the
			// input can put it into k's history. What is left after the fee is below dust, so
			// there is no change.
			spend := node.CreateTx(t, k, []regtest.Output{{Address: regtest.Faucet.Address, Amount: 99_500}},
				regtest.TxOptions{})
			if len(spend.TxOut) != 1 {
				t.Fatalf("spend has change: %d outputs", len(spend.TxOut))
			}
			spendID := node.Broadcast(t, spend)
			sameHistory(t, "spent, in mempool", history(t, b, k.PkScript)[0],
				[]chain.HistoryItem{{TxID: receive, Height: h1}, {TxID: spendID, Height: 0}})

			node.Mine(t, 1)
			sameHistory(t, "spent, confirmed", history(t, b, k.PkScript)[0],
				[]chain.HistoryItem{{TxID: receive, Height: h1}, {TxID: spendID, Height: h1 + 1}})
		})
	}
}

func TestScriptHistoriesAnswerInOrderWithDuplicates(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	a := regtest.NewKey("order a", txbuilder.P2WPKH)
	c := regtest.NewKey("order c", txbuilder.P2TR)
	empty := regtest.NewKey("order empty", txbuilder.P2WPKH)
	ta := node.Send(t, a.Address, 10_000)
	tc := node.Send(t, c.Address, 20_000)
	got := history(t, b, c.PkScript, empty.PkScript, a.PkScript, c.PkScript)
	sameHistory(t, "c", got[0], []chain.HistoryItem{{TxID: tc}})
	sameHistory(t, "empty", got[1], nil)
	sameHistory(t, "a", got[2], []chain.HistoryItem{{TxID: ta}})
	sameHistory(t, "c again", got[3], []chain.HistoryItem{{TxID: tc}})
}

func TestScriptHistoriesPageThroughBusyScripts(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	btcd.SetPageSize(b, 2)
	busy := regtest.NewKey("busy", txbuilder.P2WPKH)
	quiet := regtest.NewKey("quiet", txbuilder.P2WPKH)
	var want []chain.HistoryItem
	for i := 0; i < 5; i++ {
		id := node.Send(t, busy.Address, txbuilder.Amount(10_000+i))
		node.Mine(t, 1)
		want = append(want, chain.HistoryItem{TxID: id, Height: node.Height(t)})
	}
	id := node.Send(t, busy.Address, 9_999) // and one in the mempool, last
	want = append(want, chain.HistoryItem{TxID: id})
	qid := node.Send(t, quiet.Address, 5_000)

	before := b.RoundTrips()
	got := history(t, b, busy.PkScript, quiet.PkScript)
	sameHistory(t, "busy", got[0], want)
	sameHistory(t, "quiet", got[1], []chain.HistoryItem{{TxID: qid}})
	// Pages of 2, 2, 2 and an empty one for the busy script (the quiet one rides along in
	// the first), then one batch of block heights.
	if n := b.RoundTrips() - before; n != 5 {
		t.Fatalf("%d round trips, want 5", n)
	}
}

func TestScriptHistoriesRefuseScriptsWithoutAddress(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(0))
	b := dial(t, node)
	_, err := b.ScriptHistories(context.Background(), [][]byte{{0x6a, 0x01, 0x00}}) // OP_RETURN
	if err == nil || errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("OP_RETURN script: %v", err)
	}
}

func TestScriptHistoriesOf100AddressesTakeTwoRoundTrips(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	scripts, outs := make([][]byte, 100), []regtest.Output{}
	for i := range scripts {
		k := regtest.NewKey("hundred "+strconv.Itoa(i), txbuilder.P2WPKH)
		scripts[i] = k.PkScript
		if i%2 == 0 {
			outs = append(outs, regtest.Output{Address: k.Address, Amount: 1_000})
		}
	}
	id := node.SendMany(t, outs)
	node.Mine(t, 1)
	height := node.Height(t)

	before := b.RoundTrips()
	got := history(t, b, scripts...)
	if n := b.RoundTrips() - before; n != 2 {
		t.Fatalf("first sync: %d round trips, want 2 (histories, block heights)", n)
	}
	for i, h := range got {
		var want []chain.HistoryItem
		if i%2 == 0 {
			want = []chain.HistoryItem{{TxID: id, Height: height}}
		}
		sameHistory(t, "script "+strconv.Itoa(i), h, want)
	}
	before = b.RoundTrips()
	history(t, b, scripts...)
	if n := b.RoundTrips() - before; n != 1 {
		t.Fatalf("second sync: %d round trips, want 1 (heights are cached)", n)
	}
}

func TestTransactionsMatchTheirIDs(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	k := regtest.NewKey("txs", txbuilder.P2WPKH)
	confirmed := node.Send(t, k.Address, 30_000)
	node.Mine(t, 1)
	mempool := node.Send(t, k.Address, 40_000)

	before := b.RoundTrips()
	txs, err := b.Transactions(context.Background(), []chainhash.Hash{mempool, confirmed, mempool})
	if err != nil {
		t.Fatal(err)
	}
	if n := b.RoundTrips() - before; n != 1 {
		t.Fatalf("%d round trips for 3 transactions", n)
	}
	for i, want := range []chainhash.Hash{mempool, confirmed, mempool} {
		if txs[i].TxHash() != want {
			t.Fatalf("transaction %d is %s, want %s", i, txs[i].TxHash(), want)
		}
	}
	if txs[1].TxOut[0].Value != 30_000 {
		t.Fatalf("confirmed transaction pays %d", txs[1].TxOut[0].Value)
	}

	var unknown chainhash.Hash
	unknown[0] = 1
	_, err = b.Transactions(context.Background(), []chainhash.Hash{confirmed, unknown})
	if err == nil || errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), unknown.String()) {
		t.Fatalf("unknown txid: %v", err)
	}
}

func TestBlockHeadersFollowTheChain(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	tip := node.Height(t)
	heights := []int32{0, 1, 2, tip, 1}
	before := b.RoundTrips()
	hdrs, err := b.BlockHeaders(context.Background(), heights)
	if err != nil {
		t.Fatal(err)
	}
	if n := b.RoundTrips() - before; n != 2 {
		t.Fatalf("%d round trips, want 2", n)
	}
	if hdrs[0].BlockHash() != *regtest.Net.GenesisHash {
		t.Fatalf("height 0 is %s, not the genesis block", hdrs[0].BlockHash())
	}
	if hdrs[1].PrevBlock != hdrs[0].BlockHash() || hdrs[2].PrevBlock != hdrs[1].BlockHash() {
		t.Fatal("headers 0-2 do not chain")
	}
	best, err := b.Tip(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if hdrs[3].BlockHash() != best.Hash || hdrs[4].BlockHash() != hdrs[1].BlockHash() {
		t.Fatal("tip or repeated height answered wrong")
	}
	if _, err := b.BlockHeaders(context.Background(), []int32{tip + 1}); err == nil ||
		errors.Is(err, chain.ErrUnreachable) || !strings.Contains(err.Error(), strconv.Itoa(int(tip+1))) {
		t.Fatalf("height above the tip: %v", err)
	}
}

// BlockTxIDs lists a block's transactions, coinbase first, and they hash to the header's
// merkle root.
func TestBlockTxIDsMatchTheMerkleRoot(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	k := regtest.NewKey("block-txids", txbuilder.P2WPKH)
	sent := []chainhash.Hash{node.Send(t, k.Address, 10_000), node.Send(t, k.Address, 20_000)}
	node.Mine(t, 1)
	tip := node.Height(t)
	ids, err := b.BlockTxIDs(context.Background(), tip)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 {
		t.Fatalf("block %d lists %d transactions, want the coinbase and 2", tip, len(ids))
	}
	for _, id := range sent {
		if id != ids[1] && id != ids[2] {
			t.Fatalf("%s is not listed after the coinbase: %v", id, ids)
		}
	}
	hdrs, err := b.BlockHeaders(context.Background(), []int32{tip})
	if err != nil {
		t.Fatal(err)
	}
	pair := func(a, b chainhash.Hash) chainhash.Hash { return chainhash.DoubleHashH(append(a[:], b[:]...)) }
	if root := pair(pair(ids[0], ids[1]), pair(ids[2], ids[2])); root != hdrs[0].MerkleRoot {
		t.Fatalf("the ids hash to %s, the header's root is %s", root, hdrs[0].MerkleRoot)
	}
	if _, err := b.BlockTxIDs(context.Background(), tip+1); err == nil {
		t.Fatal("a block above the tip was listed")
	}
}

func broadcastCause(t *testing.T, b *btcd.Backend, tx *wire.MsgTx) *chain.BroadcastError {
	t.Helper()
	_, err := b.Broadcast(context.Background(), tx)
	var berr *chain.BroadcastError
	if !errors.As(err, &berr) {
		t.Fatalf("broadcast: %v, want a BroadcastError", err)
	}
	if errors.Is(err, chain.ErrUnreachable) {
		t.Fatalf("a refusal is not unreachable: %v", err)
	}
	return berr
}

func TestBroadcastMapsRefusals(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	k := regtest.NewKey("broadcast", txbuilder.P2WPKH)
	to := []regtest.Output{{Address: regtest.Faucet.Address, Amount: 10_000}}

	t.Run("accepted", func(t *testing.T) {
		tx := node.CreateTx(t, regtest.Faucet, []regtest.Output{{Address: k.Address, Amount: 100_000}}, regtest.TxOptions{})
		id, err := b.Broadcast(context.Background(), tx)
		if err != nil || id != tx.TxHash() {
			t.Fatalf("Broadcast = %s, %v", id, err)
		}
		if node.TxConfirmations(t, id) != 0 {
			t.Fatal("not in the mempool")
		}
		berr := broadcastCause(t, b, tx)
		if berr.Cause != chain.CauseAlreadyInChain {
			t.Fatalf("again, while in the mempool: %+v", berr)
		}
		node.Mine(t, 1)
		if berr := broadcastCause(t, b, tx); berr.Cause != chain.CauseAlreadyInChain {
			t.Fatalf("again, once confirmed: %+v", berr)
		}
	})
	t.Run("dust", func(t *testing.T) {
		tx := node.CreateTx(t, regtest.Faucet, []regtest.Output{{Address: k.Address, Amount: 293}}, regtest.TxOptions{})
		berr := broadcastCause(t, b, tx)
		if berr.Cause != chain.CauseDust || !strings.Contains(berr.Message, "payment is dust") {
			t.Fatalf("293 sat P2WPKH output: %+v", berr)
		}
	})
	t.Run("fee below the relay minimum", func(t *testing.T) {
		tx := node.CreateTx(t, k, to, regtest.TxOptions{FeeRate: 500})
		if berr := broadcastCause(t, b, tx); berr.Cause != chain.CauseFeeTooLow {
			t.Fatalf("0.5 sat/vB: %+v", berr)
		}
	})
	t.Run("double spend in the mempool", func(t *testing.T) {
		coins, err := node.Coins(k)
		if err != nil || len(coins) == 0 {
			t.Fatalf("coins: %v %v", coins, err)
		}
		in := regtest.TxOptions{Inputs: []wire.OutPoint{coins[0].OutPoint}}
		first := node.CreateTx(t, k, to, in)
		second := node.CreateTx(t, k, []regtest.Output{{Address: regtest.Faucet.Address, Amount: 20_000}}, in)
		if _, err := b.Broadcast(context.Background(), first); err != nil {
			t.Fatal(err)
		}
		if berr := broadcastCause(t, b, second); berr.Cause != chain.CauseConflict {
			t.Fatalf("second spend of %s: %+v", coins[0].OutPoint, berr)
		}
		node.Mine(t, 1)
		// Once the first spend is confirmed, btcd no longer knows the coin at all.
		if berr := broadcastCause(t, b, second); berr.Cause != chain.CauseConflict {
			t.Fatalf("second spend after the first confirmed: %+v", berr)
		}
	})
}

func TestEstimateFee(t *testing.T) {
	t.Run("before three blocks: node error", func(t *testing.T) {
		node := regtest.Start(t, regtest.WithBlocks(0))
		b := dial(t, node)
		_, err := b.EstimateFee(context.Background(), 1)
		if !errors.Is(err, chain.ErrNoEstimate) || errors.Is(err, chain.ErrUnreachable) {
			t.Fatalf("EstimateFee: %v", err)
		}
	})
	node := regtest.Start(t)
	b := dial(t, node)
	t.Run("blocks but no data: zero", func(t *testing.T) {
		_, err := b.EstimateFee(context.Background(), 2)
		if !errors.Is(err, chain.ErrNoEstimate) || !strings.Contains(err.Error(), "answered 0") {
			t.Fatalf("EstimateFee: %v", err)
		}
	})
	t.Run("target beyond 25 blocks", func(t *testing.T) {
		if _, err := b.EstimateFee(context.Background(), 26); !errors.Is(err, chain.ErrNoEstimate) {
			t.Fatalf("EstimateFee(26): %v", err)
		}
	})
	t.Run("with fee data", func(t *testing.T) {
		dest := regtest.NewKey("fee data", txbuilder.P2WPKH)
		for round := 0; round < 6; round++ {
			for i := 1; i <= 15; i++ {
				node.Broadcast(t, node.CreateTx(t, regtest.Faucet,
					[]regtest.Output{{Address: dest.Address, Amount: 10_000}},
					regtest.TxOptions{FeeRate: txbuilder.SatPerVB(int64(i))}))
			}
			node.Mine(t, 1)
		}
		for _, target := range []int{1, 6, 25} {
			rate, err := b.EstimateFee(context.Background(), target)
			if err != nil {
				t.Fatalf("EstimateFee(%d): %v", target, err)
			}
			// btcd's estimates lie between the lowest and the highest rate paid; they need not be
			// whole sat/vB (7,050 sat/kvB was seen), since btcd divides fees by sizes.
			if rate < 1000 || rate > 15_000 {
				t.Fatalf("EstimateFee(%d) = %d sat/kvB", target, rate)
			}
		}
	})
}

func TestRelayFee(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want txbuilder.FeeRate
	}{
		{"default", nil, 1000},
		{"raised", []string{"--minrelaytxfee=0.00002"}, 2000},
		{"sub-sat/vB", []string{"--minrelaytxfee=0.000005"}, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			node := regtest.Start(t, regtest.WithBlocks(0), regtest.WithArgs(tc.args...))
			b := dial(t, node)
			got, err := b.RelayFee(context.Background())
			if err != nil || got != tc.want {
				t.Fatalf("RelayFee = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

func TestConcurrentCallsShareTheBackend(t *testing.T) {
	node := regtest.Start(t)
	b := dial(t, node)
	k := regtest.NewKey("concurrent", txbuilder.P2WPKH)
	id := node.Send(t, k.Address, 12_345)
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := 0; i < 10; i++ {
		wg.Add(3)
		go func() {
			defer wg.Done()
			h, err := b.ScriptHistories(context.Background(), [][]byte{k.PkScript})
			if err == nil && (len(h[0]) != 1 || h[0][0].TxID != id) {
				err = errors.New("wrong history")
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := b.Tip(context.Background())
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := b.Transactions(context.Background(), []chainhash.Hash{id})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
