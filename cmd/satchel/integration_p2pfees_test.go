package main

import (
	"context"
	"strings"
	"testing"

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
