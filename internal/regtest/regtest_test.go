package regtest_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

func TestFaucetAddressIsTheDocumentedOne(t *testing.T) {
	if regtest.Faucet.Address != regtest.FaucetAddress {
		t.Fatalf("Faucet.Address = %s, FaucetAddress = %s", regtest.Faucet.Address,
			regtest.FaucetAddress)
	}
}

func TestNewKeyGivesTheAskedScriptType(t *testing.T) {
	for _, tc := range []struct {
		typ    txbuilder.ScriptType
		prefix string
		size   int
	}{
		{txbuilder.P2WPKH, "bcrt1q", 22},
		{txbuilder.P2TR, "bcrt1p", 34},
		{txbuilder.P2PKH, "m", 25}, // or n
		{txbuilder.P2SHP2WPKH, "2", 23},
	} {
		k := regtest.NewKey("type test", tc.typ)
		if tc.typ == txbuilder.P2PKH && strings.HasPrefix(k.Address, "n") {
			tc.prefix = "n"
		}
		if !strings.HasPrefix(k.Address, tc.prefix) || len(k.PkScript) != tc.size {
			t.Errorf("%v: address %s, script %x", tc.typ, k.Address, k.PkScript)
		}
		if again := regtest.NewKey("type test", tc.typ); again.Address != k.Address {
			t.Errorf("%v: same seed gave %s then %s", tc.typ, k.Address, again.Address)
		}
	}
}

func TestStartMinesToTheFaucetAndServesRPC(t *testing.T) {
	node := regtest.Start(t)
	if got := node.Height(t); got != regtest.InitialBlocks {
		t.Fatalf("height %d, want %d", got, regtest.InitialBlocks)
	}
	if want := "btcd://" + regtest.RPCUser + ":" + regtest.RPCPass + "@127.0.0.1:"; !strings.HasPrefix(node.URL(), want) {
		t.Fatalf("URL %s", node.URL())
	}
	coins, err := node.Coins(regtest.Faucet)
	if err != nil {
		t.Fatal(err)
	}
	// Heights 1..21 are mature at tip 120: confirmations 120..100.
	if len(coins) != regtest.InitialBlocks-99 {
		t.Fatalf("faucet has %d mature coins, want %d", len(coins), regtest.InitialBlocks-99)
	}
	for _, c := range coins {
		if !c.Coinbase || c.Value != 50*txbuilder.SatPerBTC || c.Confirmations < 100 {
			t.Fatalf("unexpected faucet coin %+v", c)
		}
	}
}

func TestSendsChainWithoutMining(t *testing.T) {
	node := regtest.Start(t)
	dest := regtest.NewKey("chain dest", txbuilder.P2WPKH)
	var ids []string
	// More sends than mature coinbases, so later ones must spend earlier change.
	for i := 0; i < regtest.InitialBlocks-99+3; i++ {
		ids = append(ids, node.Send(t, dest.Address, 10_000).String())
	}
	if got := len(node.MempoolTxIDs(t)); got != len(ids) {
		t.Fatalf("mempool has %d transactions, want %d", got, len(ids))
	}
	node.Mine(t, 1)
	if got := len(node.MempoolTxIDs(t)); got != 0 {
		t.Fatalf("mempool still has %d transactions after mining", got)
	}
	coins, err := node.Coins(dest)
	if err != nil {
		t.Fatal(err)
	}
	if len(coins) != len(ids) {
		t.Fatalf("destination has %d coins, want %d", len(coins), len(ids))
	}
}

func TestSendAndSpendBackEveryScriptType(t *testing.T) {
	node := regtest.Start(t)
	for _, typ := range []txbuilder.ScriptType{txbuilder.P2WPKH, txbuilder.P2TR, txbuilder.P2PKH,
		txbuilder.P2SHP2WPKH} {
		k := regtest.NewKey("spend back", typ)
		in := node.Send(t, k.Address, 100_000)
		// Spend the unconfirmed coin right away: chains work for every type.
		out := node.SendFrom(t, k, []regtest.Output{{Address: regtest.Faucet.Address, Amount: 60_000}})
		node.Mine(t, 1)
		for _, id := range []chainhash.Hash{in, out} {
			if c := node.TxConfirmations(t, id); c != 1 {
				t.Fatalf("%v: %s has %d confirmations", typ, id, c)
			}
		}
		coins, err := node.Coins(k)
		if err != nil {
			t.Fatal(err)
		}
		// 100_000 - 60_000 - fee comes back as change.
		if len(coins) != 1 || coins[0].Value >= 40_000 || coins[0].Value < 39_000 {
			t.Fatalf("%v: coins after spending %+v", typ, coins)
		}
	}
}

func TestSendManyPaysEveryOutputAtTheDefaultRate(t *testing.T) {
	node := regtest.Start(t)
	a := regtest.NewKey("many a", txbuilder.P2TR)
	b := regtest.NewKey("many b", txbuilder.P2PKH)
	id := node.SendMany(t, []regtest.Output{{Address: a.Address, Amount: 1000}, {Address: b.Address, Amount: 2000}})
	tx, err := node.RPC().GetRawTransaction(&id)
	if err != nil {
		t.Fatal(err)
	}
	msg := tx.MsgTx()
	if len(msg.TxOut) != 3 || msg.TxOut[0].Value != 1000 || msg.TxOut[1].Value != 2000 {
		t.Fatalf("outputs %+v", msg.TxOut)
	}
	fee := int64(50*txbuilder.SatPerBTC) - msg.TxOut[0].Value - msg.TxOut[1].Value - msg.TxOut[2].Value
	vsize := txbuilder.Weight(msg.SerializeSizeStripped()*3 + msg.SerializeSize()).VSize()
	if min := regtest.DefaultFeeRate.FeeForVSize(vsize); fee < int64(min) || fee > int64(min)+10 {
		t.Fatalf("fee %d for vsize %d, want about %d", fee, vsize, min)
	}
}

func TestDoubleSpendOfExplicitInputsIsRefused(t *testing.T) {
	node := regtest.Start(t)
	k := regtest.NewKey("double", txbuilder.P2WPKH)
	funding := node.Send(t, k.Address, 50_000)
	coin := wire.OutPoint{Hash: funding, Index: 0}
	first := node.CreateTx(t, k, []regtest.Output{{Address: regtest.Faucet.Address, Amount: 10_000}},
		regtest.TxOptions{Inputs: []wire.OutPoint{coin}})
	second := node.CreateTx(t, k, []regtest.Output{{Address: regtest.Faucet.Address, Amount: 20_000}},
		regtest.TxOptions{Inputs: []wire.OutPoint{coin}})
	node.Broadcast(t, first)
	ok, reason := node.TestMempoolAccept(t, regtest.TxHex(second))
	if ok || !strings.Contains(reason, "already spent") {
		t.Fatalf("double spend accepted=%v reason=%q", ok, reason)
	}
}

func TestTestMempoolAcceptNamesDust(t *testing.T) {
	node := regtest.Start(t)
	dest := regtest.NewKey("dust", txbuilder.P2WPKH)
	dust := node.CreateTx(t, regtest.Faucet, []regtest.Output{{Address: dest.Address, Amount: 293}}, regtest.TxOptions{})
	if ok, reason := node.TestMempoolAccept(t, regtest.TxHex(dust)); ok || !strings.Contains(reason, "dust") {
		t.Fatalf("293 sat P2WPKH: accepted=%v reason=%q", ok, reason)
	}
	fine := node.CreateTx(t, regtest.Faucet, []regtest.Output{{Address: dest.Address, Amount: 294}}, regtest.TxOptions{})
	if ok, reason := node.TestMempoolAccept(t, regtest.TxHex(fine)); !ok {
		t.Fatalf("294 sat P2WPKH refused: %s", reason)
	}
}

func TestMineToPaysTheAddress(t *testing.T) {
	node := regtest.Start(t)
	k := regtest.NewKey("miner", txbuilder.P2TR)
	hashes := node.MineTo(t, k.Address, 2)
	if len(hashes) != 2 || node.Height(t) != regtest.InitialBlocks+2 {
		t.Fatalf("mined %d blocks, height %d", len(hashes), node.Height(t))
	}
	node.Mine(t, 98) // the first of the two is now mature, the second not yet
	coins, err := node.Coins(k)
	if err != nil {
		t.Fatal(err)
	}
	if len(coins) != 1 || !coins[0].Coinbase || coins[0].Value != 50*txbuilder.SatPerBTC {
		t.Fatalf("coins of the mining address: %+v", coins)
	}
	// A coinbase output of a harness-built block is spendable like any other.
	node.SendFrom(t, k, []regtest.Output{{Address: regtest.Faucet.Address, Amount: txbuilder.SatPerBTC}})
}

func TestInvalidateBlockReturnsItsTransactionsToTheMempool(t *testing.T) {
	node := regtest.Start(t)
	k := regtest.NewKey("reorg", txbuilder.P2WPKH)
	id := node.Send(t, k.Address, 70_000)
	block := node.Mine(t, 1)[0]
	if c := node.TxConfirmations(t, id); c != 1 {
		t.Fatalf("confirmations %d after mining", c)
	}
	node.InvalidateBlock(t, block)
	if h := node.Height(t); h != regtest.InitialBlocks {
		t.Fatalf("height %d after invalidating the tip", h)
	}
	if c := node.TxConfirmations(t, id); c != 0 {
		t.Fatalf("confirmations %d after invalidating its block, want 0 (mempool)", c)
	}
	node.ReconsiderBlock(t, block)
	if c := node.TxConfirmations(t, id); c != 1 {
		t.Fatalf("confirmations %d after reconsidering", c)
	}
}

func TestStopKillAndRestart(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(101))
	addr := node.RPCAddr()
	node.Mine(t, 5)
	node.Restart(t)
	if node.RPCAddr() != addr {
		t.Fatalf("restart moved the node from %s to %s", addr, node.RPCAddr())
	}
	if h := node.Height(t); h != 101 {
		t.Fatalf("height %d after restart, want a fresh chain of 101", h)
	}
	node.Stop()
	node.Stop() // a second stop is harmless
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("node still listening after Stop")
	}

	other := regtest.Start(t, regtest.WithBlocks(0))
	other.Kill()
	if c, err := net.DialTimeout("tcp", other.RPCAddr(), time.Second); err == nil {
		c.Close()
		t.Fatal("node still listening after Kill")
	}
}

func TestOptionsReachTheNode(t *testing.T) {
	node := regtest.Start(t, regtest.WithBlocks(0), regtest.WithoutIndexes(),
		regtest.WithArgs("--minrelaytxfee=0.00005"))
	info, err := node.RPC().GetInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.RelayFee != 0.00005 {
		t.Fatalf("relayfee %v, want 0.00005", info.RelayFee)
	}
	if _, err := node.Coins(regtest.Faucet); err == nil || !strings.Contains(err.Error(), "addrindex") {
		t.Fatalf("without indexes, searchrawtransactions gave %v", err)
	}
}

func BenchmarkStartAndFirstAnswer(b *testing.B) {
	regtest.BuildBtcd(b)
	for b.Loop() {
		node := regtest.Start(b, regtest.WithBlocks(0))
		node.Height(b)
		node.Stop()
	}
}

func BenchmarkStartWithInitialBlocks(b *testing.B) {
	regtest.BuildBtcd(b)
	for b.Loop() {
		node := regtest.Start(b)
		node.Stop()
	}
}
