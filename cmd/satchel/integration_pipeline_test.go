package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/psbt/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

// Two --to for one address make one output of their sum, said on stderr; so do two
// spellings of one address (upper-case bech32).
func TestIntegrationRepeatedPayeesAreMerged(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("merge", txbuilder.P2WPKH).Address
	p, r := c.send("a", "--to", dest+"=2100", "--to", strings.ToUpper(dest)+"=3000", "--fee-rate", "2")
	if r.code != 0 {
		t.Fatalf("send: exit %d %s", r.code, r.err)
	}
	if !strings.Contains(r.err, "merged into one output of 5,100 sat") {
		t.Fatalf("no merge note on stderr: %s", r.err)
	}
	payees := 0
	for _, o := range p.Outputs {
		if !o.Change {
			payees++
			if o.Value != 5100 {
				t.Fatalf("merged output pays %d, want 5100", o.Value)
			}
		}
	}
	if payees != 1 || p.Amount != 5100 {
		t.Fatalf("want one payee output of 5100 sat, got %d outputs, amount %d", payees, p.Amount)
	}
	assertFeeRate(t, n, p.TxID, 2000, p.Fee)
}

// labelRecord is one BIP329 record of labels export.
type labelRecord struct {
	Type, Ref, Label string
}

func (c *cli) labels(w string) map[string]string {
	c.t.Helper()
	var recs []labelRecord
	if err := json.Unmarshal([]byte(c.mustRun("", "labels", "export", "--json", "--wallet", w).out), &recs); err != nil {
		c.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range recs {
		out[r.Type+" "+r.Ref] = r.Label
	}
	return out
}

// A batch file's line labels become BIP329 output labels, and a fee bump carries the
// payment's transaction and output labels over to the replacement.
func TestIntegrationBatchLabelsSurviveABump(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 200_000)
	x := regtest.NewKey("lx", txbuilder.P2WPKH).Address
	y := regtest.NewKey("ly", txbuilder.P2TR).Address
	batch := filepath.Join(t.TempDir(), "pay.csv")
	if err := os.WriteFile(batch, []byte(x+",2100,coffee\n"+y+",3000,tea\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, r := c.send("a", "--batch", batch, "--fee-rate", "2", "--label", "friday")
	if r.code != 0 {
		t.Fatalf("send: exit %d %s", r.code, r.err)
	}
	want := func(txid string) {
		t.Helper()
		l := c.labels("a")
		if l["tx "+txid] != "friday" {
			t.Fatalf("tx %s label %q, want friday (labels %v)", txid, l["tx "+txid], l)
		}
		got := map[string]bool{}
		for k, v := range l {
			if strings.HasPrefix(k, "output "+txid+":") {
				got[v] = true
			}
		}
		if !got["coffee"] || !got["tea"] {
			t.Fatalf("output labels of %s: %v (all: %v)", txid, got, l)
		}
	}
	want(p.TxID)
	r = c.run("", "bump-fee", p.TxID, "--fee-rate", "5", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bump: exit %d %s", r.code, r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	assertFeeRate(t, n, b.TxID, 5000, b.Fee)
	want(b.TxID)
}

// Coins forced with --from for a tip pay a fee out of all proportion: the guard judges the
// whole fee and refuses (exit 4), whatever part of it the payment "needed".
func TestIntegrationForcedCoinsForATipHitTheGuard(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 10_000, 10_001, 10_002, 10_003, 10_004, 10_005)
	var from []string
	for _, u := range decodeJSON[[]utxoJSON](t, c.mustRun("", "utxos", "--json", "--wallet", "a").out) {
		from = append(from, "--from", u.OutPoint)
	}
	if len(from) != 12 {
		t.Fatalf("want 6 coins, got %d", len(from)/2)
	}
	dest := regtest.NewKey("tip", txbuilder.P2TR).Address
	_, r := c.send("a", append([]string{dest, "400", "--fee-rate", "1"}, from...)...)
	if code, _ := jsonError(t, r.err); r.code != exitCannotPay || code != "fee_guard" {
		t.Fatalf("six forced coins for a 400 sat tip: exit %d %s", r.code, r.err)
	}
}

// A y/N prompt holds no lock: while a send waits for its answer, offline reads, receive and
// tip add of the same wallet work; and a coin spent meanwhile makes the send plan again.
func TestIntegrationNoLockAcrossThePrompt(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000)
	dest := regtest.NewKey("prompt", txbuilder.P2WPKH).Address
	asked := 0
	var during []result
	r := c.term([]string{"test pass"}, func(prompt string) string {
		if !strings.Contains(prompt, "Sign and send?") {
			return ""
		}
		asked++
		during = append(during,
			c.run("", "balance", "--offline", "--json", "--wallet", "a"),
			c.run("", "receive", "--offline", "--json", "--wallet", "a"),
			c.run("", "tip", "add", dest, "1000", "--json", "--wallet", "a", "--offline"))
		return "y"
	}, "send", dest, "2100", "--fee-rate", "2", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("send: exit %d %s", r.code, r.err)
	}
	if asked != 1 {
		t.Fatalf("asked %d times, want 1", asked)
	}
	for i, d := range during {
		if d.code != 0 {
			t.Fatalf("command %d while the prompt was open: exit %d %s", i, d.code, d.err)
		}
	}
	_ = n
}

// A coin spent by another satchel while the prompt was open is not signed again: the send
// plans anew and asks again, showing the new plan.
func TestIntegrationCoinSpentDuringThePromptIsPlannedAgain(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	c.fund(n, "a", 100_000, 150_000)
	dest := regtest.NewKey("again", txbuilder.P2WPKH).Address
	asked := 0
	r := c.term([]string{"test pass"}, func(prompt string) string {
		if !strings.Contains(prompt, "Sign and send?") {
			return ""
		}
		asked++
		if asked == 1 {
			// Another satchel spends everything while this one waits.
			c.mustRun("", "send", dest, "all", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
		}
		return "y"
	}, "send", dest, "2100", "--fee-rate", "2", "--wallet", "a")
	if r.code == 0 {
		t.Fatalf("a send whose coins were spent during its prompt went through: %s", r.err)
	}
	if asked != 1 || !strings.Contains(r.err, "not enough") && !strings.Contains(r.err, "insufficient") {
		t.Fatalf("asked %d times, stderr %s", asked, r.err)
	}
	_ = n
}

// Against the real node: a PSBT that spends the wallet's coin beside a foreign input that does
// not say what it spends is neither signed nor broadcast; the same PSBT without the foreign
// input is signed, broadcast and accepted.
func TestIntegrationPSBTWithAnInputOfUnknownAmount(t *testing.T) {
	c, n := nodeCLI(t)
	watchPair(t, c, "wpkh")
	c.fund(n, "cold", 1_000_000)
	c.mustRun("", "sync", "--wallet", "hot")
	dest := regtest.NewKey("psbt-dest", txbuilder.P2WPKH).Address
	r := c.mustRun("", "send", "--json", "--wallet", "cold", dest, "50000", "--fee-rate", "2")
	plain := decodeJSON[struct {
		PSBT string `json:"psbt"`
	}](t, r.out).PSBT
	p := decodePSBTText(t, plain)
	// A foreign coin of the node's, added with nothing said about its amount.
	foreign := n.Send(t, regtest.NewKey("foreign", txbuilder.P2WPKH).Address, 40_000)
	n.Mine(t, 1)
	p.UnsignedTx.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&foreign, 0), nil, nil))
	p.Inputs = append(p.Inputs, psbt.PInput{})
	mixed, err := txbuilder.EncodePSBTBase64(p)
	if err != nil {
		t.Fatal(err)
	}
	before := len(n.MempoolTxIDs(t))
	r = c.run(mixed, "psbt", "sign", "-", "--json", "--yes", "--wallet", "hot")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "psbt_refused" || !strings.Contains(msg, "fee cannot be known") || r.out != "" {
		t.Fatalf("signing beside an input of unknown amount: exit %d %s", r.code, r.err)
	}
	r = c.run(mixed, "psbt", "broadcast", "-", "--json", "--yes", "--wallet", "hot")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "psbt_refused" || !strings.Contains(msg, "fee cannot be known") || len(n.MempoolTxIDs(t)) != before {
		t.Fatalf("broadcast of a PSBT with an input of unknown amount: exit %d %s", r.code, r.err)
	}
	// The honest PSBT goes through.
	signed := c.mustRun(plain, "psbt", "sign", "-", "--json", "--yes", "--wallet", "hot")
	s := decodeJSON[psbtResultJSON](t, signed.out)
	b := decodeJSON[psbtBroadcastJSON](t, c.mustRun(s.PSBT, "psbt", "broadcast", "-", "--json", "--yes", "--wallet", "hot").out)
	if b.Fee == nil {
		t.Fatal("broadcast does not state the fee")
	}
	assertFeeRate(t, n, b.TxID, 2000, *b.Fee)
}
