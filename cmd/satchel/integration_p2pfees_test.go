package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"github.com/satchel-wallet/satchel/wallet/chain/esplora/esploratest"
)

// Over p2p, whatever SATCHEL_TEST_BACKEND says: the peers give no fee estimate, so a command
// that needs one says how to get one (exit 2 no_fee_estimate); with fee-source set, the
// estimate comes from that Esplora server and the plan says so; info says where fees come from.
func TestIntegrationP2PFeeSource(t *testing.T) {
	n := regtest.Start(t)
	c := newCLI(t)
	c.env["SATCHEL_BACKEND"] = "p2p://" + n.P2PAddr()
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("p2pfees", txbuilder.P2WPKH).Address

	r := c.run("", "send", dest, "10000", "--dry-run", "--json", "--wallet", "a")
	if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "no_fee_estimate" ||
		!strings.Contains(r.err, "no fee estimate over p2p: give --fee-rate or set fee-source") {
		t.Fatalf("send over p2p without a fee source: exit %d %s", r.code, r.err)
	}
	if out := c.mustRun("", "info", "--wallet", "a").out; !strings.Contains(out, "fees from:  nowhere") {
		t.Fatalf("info without a fee source:\n%s", out)
	}

	be, err := btcd.Open(context.Background(), n.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	srv, url := esploratest.Start(t, be)
	c.mustRun("", "config", "set", "fee-source", url, "--wallet", "a")
	p := decodeJSON[planJSON](t, c.mustRun("", "send", dest, "10000", "--dry-run", "--json", "--wallet", "a").out)
	if p.FeeRateSource == "" || !strings.Contains(p.FeeRateSource, "estimate for") || srv.Requests() == 0 {
		t.Fatalf("plan over p2p with a fee source: source %q, %d requests to the fee source", p.FeeRateSource, srv.Requests())
	}
	if out := c.mustRun("", "info", "--wallet", "a").out; !strings.Contains(out, "fees from:  "+url) {
		t.Fatalf("info with a fee source:\n%s", out)
	}
}

// CPFP over p2p, whatever SATCHEL_TEST_BACKEND says. A stranger's parent whose inputs are still
// in the mempool is priced from the peer's mempool the light client downloaded; one spending an
// older coin is refused with the way out, and --parent-fee (checked against the wallet's own
// count when it has one) prices it.
func TestIntegrationP2PCPFP(t *testing.T) {
	n := regtest.Start(t)
	c := newCLI(t)
	c.env["SATCHEL_BACKEND"] = "p2p://" + n.P2PAddr()
	c.mustRun("", "create", "--wallet", "a")
	addr := c.receiveAddr("a")

	// A parent whose only input is an unconfirmed output: the peer's mempool holds both.
	mid := regtest.NewKey("p2p cpfp middle", txbuilder.P2WPKH)
	grand := n.SendFrom(t, regtest.Faucet, []regtest.Output{{Address: mid.Address, Amount: 80_000}})
	var in wire.OutPoint
	for i, o := range rawTx(t, n, grand).TxOut {
		if string(o.PkScript) == string(mid.PkScript) {
			in = wire.OutPoint{Hash: grand, Index: uint32(i)}
		}
	}
	stuck := n.CreateTx(t, mid, []regtest.Output{{Address: addr, Amount: 40_000}}, regtest.TxOptions{FeeRate: 1000, Inputs: []wire.OutPoint{in}})
	parent := n.Broadcast(t, stuck)
	c.balance("a")
	pfee, _, _ := realFeeRate(t, n, parent.String())
	r := c.run("", "cpfp", parent.String(), "--fee-rate", "10", "--dry-run", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("cpfp over p2p of a parent whose inputs are in the mempool: exit %d %s", r.code, r.err)
	}
	if child := decodeJSON[cpfpJSON](t, r.out); child.ParentFee != pfee {
		t.Fatalf("parent fee %d from the mempool, the node says %d", child.ParentFee, pfee)
	}
	// A count and a different word: refused.
	r = c.run("", "cpfp", parent.String(), "--fee-rate", "10", "--dry-run", "--json", "--wallet", "a", "--parent-fee", fmt.Sprint(pfee+1))
	if r.code == 0 || !strings.Contains(r.err, "counted from its inputs") {
		t.Fatalf("cpfp with a wrong --parent-fee: exit %d %s", r.code, r.err)
	}
}

// rawTx is a transaction the node knows, mempool or chain.
func rawTx(t *testing.T, n *regtest.Node, id chainhash.Hash) *wire.MsgTx {
	t.Helper()
	be, err := btcd.Open(context.Background(), n.URL(), chain.Options{Net: regtest.Net})
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()
	txs, err := be.Transactions(context.Background(), []chainhash.Hash{id})
	if err != nil || txs[0] == nil {
		t.Fatalf("transaction %s: %v", id, err)
	}
	return txs[0]
}
