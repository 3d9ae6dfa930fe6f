package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

func TestIntegrationDustFrozenOnArrivalAndDisposed(t *testing.T) {
	c, n := nodeCLI(t, regtest.WithArgs("--minrelaytxfee=0.000001"))
	c.mustRun("", "create", "--wallet", "a")
	addr := c.receiveAddr("a")
	n.Send(t, addr, 50_000)
	n.Mine(t, 1)
	c.balance("a")
	n.Send(t, addr, 600)               // dust to an address already used
	n.Send(t, c.receiveAddr("a"), 700) // small, but to a fresh address: not an attack
	n.Mine(t, 1)
	us := decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out)
	var dust string
	for _, u := range us {
		switch u.Value {
		case 600:
			if !u.Frozen || !u.DustAttack {
				t.Fatalf("dust coin %+v not frozen on arrival", u)
			}
			dust = u.OutPoint
		case 700:
			if u.Frozen {
				t.Fatalf("a small coin to a fresh address was frozen: %+v", u)
			}
		}
	}
	if b := c.balance("a"); b.Spendable != 50_700 || b.Confirmed != 51_300 {
		t.Fatalf("balance %+v: the dust must not be spendable", b)
	}
	// A coin worth spending is never given up as fee, however it is named.
	for _, u := range us {
		if u.Value == 50_000 {
			r := c.run("", "dust", "dispose", u.OutPoint, "--yes", "--json", "--wallet", "a")
			if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "bad_input" {
				t.Fatalf("disposing a 50,000 sat coin: exit %d %s", r.code, r.err)
			}
		}
	}
	if mem := n.MempoolTxIDs(t); len(mem) != 0 {
		t.Fatalf("mempool %v after a refused disposal", mem)
	}
	r := c.run("", "dust", "dispose", dust, "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("dispose: %s", r.err)
	}
	d := decodeJSON[[]disposeJSON](t, r.out)
	if len(d) != 1 || d[0].Fee != 600 || d[0].TxID == "" {
		t.Fatalf("disposal %+v", d)
	}
	// The plan object's fields: the whole coin's rate over the signed size, nothing paid, no change.
	if rate, err := strconv.ParseFloat(string(d[0].FeeRate), 64); err != nil || rate < 1 || rate*float64(d[0].VSize) > 600 || (rate+0.001)*float64(d[0].VSize) <= 600 ||
		d[0].Amount != 0 || d[0].Change != 0 || !strings.Contains(r.out, `"amount_sat": 0`) {
		t.Fatalf("disposal plan fields %+v: %s", d[0], r.out)
	}
	assertFeeRate(t, n, d[0].TxID, 1000, 600)
	n.Mine(t, 1)
	if b := c.balance("a"); b.Confirmed != 50_700 {
		t.Fatalf("after disposal %+v", b)
	}
	// Unfreezing by hand sticks: a later sync does not freeze the coin again.
	n.Send(t, addr, 800)
	n.Mine(t, 1)
	for _, u := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out) {
		if u.Value == 800 {
			c.mustRun("", "unfreeze", u.OutPoint, "--wallet", "a")
			c.mustRun("", "sync", "--wallet", "a")
			for _, v := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out) {
				if v.OutPoint == u.OutPoint && v.Frozen {
					t.Fatal("an unfrozen dust coin was frozen again")
				}
			}
		}
	}
}

func TestIntegrationCPFP(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	addr := c.receiveAddr("a")
	stuck := n.CreateTx(t, regtest.Faucet, []regtest.Output{{Address: addr, Amount: 40_000}}, regtest.TxOptions{FeeRate: 1000})
	parent := n.Broadcast(t, stuck)
	c.balance("a")
	args := []string{"cpfp", parent.String(), "--fee-rate", "10", "--yes", "--json", "--wallet", "a"}
	pfee, pv, _ := realFeeRate(t, n, parent.String())
	if os.Getenv("SATCHEL_TEST_BACKEND") == "p2p" {
		// The parent spends a coin mined long before, in a block the light client never
		// downloaded, and peers cannot be asked for one transaction: the fee is the user's to
		// give (TestIntegrationP2PCPFP covers a parent whose inputs are in the mempool).
		r := c.run("", args...)
		if code, _ := jsonError(t, r.err); r.code != exitUsage || code != "parent_fee_unknown" || !strings.Contains(r.err, "--parent-fee") {
			t.Fatalf("cpfp over p2p of a stranger's parent: exit %d %s", r.code, r.err)
		}
		args = append(args, "--parent-fee", fmt.Sprint(pfee))
	}
	r := c.run("", args...)
	if r.code != 0 {
		t.Fatalf("cpfp: %s", r.err)
	}
	child := decodeJSON[cpfpJSON](t, r.out)
	cfee, cv, _ := realFeeRate(t, n, child.TxID)
	if pfee != child.ParentFee || cfee != child.Fee {
		t.Fatalf("fees: parent %d (satchel %d), child %d (satchel %d)", pfee, child.ParentFee, cfee, child.Fee)
	}
	if pfee+cfee < int64(txbuilder.SatPerVB(10).FeeForVSize(pv+cv)) {
		t.Fatalf("package pays %d sat for %d vB, below 10 sat/vB", pfee+cfee, pv+cv)
	}
	n.Mine(t, 1)
	if b := c.balance("a"); b.Confirmed != 40_000-cfee {
		t.Fatalf("after cpfp %+v", b)
	}
}
