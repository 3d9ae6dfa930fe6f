package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

func TestImmatureCoinbaseInUtxosAndHistory(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	addr := c.receiveAddr("default")
	fc.Mine(1, chaintest.Coinbase(regtestScript(t, addr), 5_000_000_000, 1))
	mined := fc.Height()
	fc.Mine(9)
	mature := mined + 99

	us := decodeJSON[[]map[string]any](t, c.mustRun("", "utxos", "--json").out)
	if len(us) != 1 || us[0]["immature"] != true || us[0]["spendable"] != false || us[0]["mature_height"] != float64(mature) {
		t.Fatalf("utxos --json: %v", us)
	}
	c.env["NO_COLOR"] = "1"
	r := c.mustRun("", "utxos", "--offline")
	if !strings.Contains(r.out, fmt.Sprintf("immature until height %d", mature)) {
		t.Fatalf("utxos text:\n%s", r.out)
	}
	c.golden("utxos-immature.txt", r.out)
	c.golden("utxos-immature.json", c.mustRun("", "utxos", "--offline", "--json").out)
	c.golden("history-immature.txt", c.runApp(onTerminal(80), "", "history", "--offline", "--utc").out)
	// Spending it by name says when it can be spent; without --from it is not counted.
	from := us[0]["outpoint"].(string)
	r = c.run("", "send", outsider, "1000", "--fee-rate", "2", "--from", from, "--dry-run")
	if r.code != exitUsage || !strings.Contains(r.err, fmt.Sprintf("immature until height %d (%d more blocks)", mature, mature-fc.Height())) {
		t.Fatalf("--from an immature coin: exit %d %s", r.code, r.err)
	}
	hs := decodeJSON[[]map[string]any](t, c.mustRun("", "history", "--json", "--offline").out)
	if len(hs) != 1 || hs[0]["immature"] != true || hs[0]["status"] != "confirmed" {
		t.Fatalf("history --json: %v", hs)
	}
	if _, ok := hs[0]["label"]; ok {
		t.Fatal("history has a label field for a row without a label (utxos leaves it out)")
	}
	if r := c.mustRun("", "history", "--offline"); !strings.Contains(r.out, " immature ") {
		t.Fatalf("history text:\n%s", r.out)
	}
	// A spendable coin says so in JSON.
	fc.Mine(100)
	us = decodeJSON[[]map[string]any](t, c.mustRun("", "utxos", "--json").out)
	if us[0]["immature"] != false || us[0]["spendable"] != true {
		t.Fatalf("mature coin: %v", us)
	}
}

func TestHistoryFitsTheTerminal(t *testing.T) {
	c, _ := shopWallet(t)
	c.env["NO_COLOR"] = "1"
	c.mustRun("", "label", "9afdd460a5d30716ed116b2083a45c4ceef4ee8ebfb0c9c8b0f48b92031c36b1",
		"coffee with the whole team after the long meeting about the quarterly numbers")
	r := c.runApp(onTerminal(80), "", "history", "--utc", "--offline")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.err)
	}
	for _, l := range strings.Split(strings.TrimRight(r.out, "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	c.golden("history-80.txt", r.out)
	// --wide, a pipe and --json keep full txids.
	full := "9afdd460a5d30716ed116b2083a45c4ceef4ee8ebfb0c9c8b0f48b92031c36b1"
	for _, args := range [][]string{{"history", "--offline", "--wide"}, {"history", "--offline", "--json"}} {
		if r := c.runApp(onTerminal(80), "", args...); !strings.Contains(r.out, full) {
			t.Errorf("%v cut the txid:\n%s", args, r.out)
		}
	}
	if r := c.run("", "history", "--offline"); !strings.Contains(r.out, full) {
		t.Errorf("a pipe got short txids:\n%s", r.out)
	}
}

func TestHistoryOffsetPastTheEnd(t *testing.T) {
	c, _ := shopWallet(t)
	r := c.mustRun("", "history", "--offline", "--offset", "10")
	if r.out != "No transactions past the first 10 (--offset 10): the wallet has 4 transactions\n" {
		t.Fatalf("got %q", r.out)
	}
	empty := newCLI(t)
	empty.mustRun("", "create")
	if r := empty.mustRun("", "history", "--offline", "--offset", "10"); r.out != emptyHistory+"\n" {
		t.Fatalf("empty wallet: %q", r.out)
	}
}

// A payment replaced by bump-fee no longer counts: once newer rows are in blocks, it sinks
// below them rather than staying on top with the pending ones.
func TestReplacedPaymentSinksBelowNewerRows(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create")
	blockTime := func(h int32) time.Time { return time.Unix(1700000000+int64(h)*600, 0) }
	funding := chaintest.Pay(1, wire.NewTxOut(100_000, regtestScript(t, c.receiveAddr("default"))))
	fc.Mine(1, funding)
	c.now = blockTime(fc.Height()).Add(time.Minute)
	sent := decodeJSON[planJSON](t, c.mustRun("", "send", outsider, "20000", "--fee-rate", "1", "--yes", "--json").out)
	c.now = c.now.Add(time.Minute)
	c.dial = func(ctx context.Context, url string) (chain.Backend, error) { return replacingChain{fc}, nil }
	bump := decodeJSON[planJSON](t, c.mustRun("", "bump-fee", sent.TxID, "--fee-rate", "5", "--yes", "--json").out)
	fc.Mine(1) // the replacement
	later := chaintest.Pay(2, wire.NewTxOut(7_000, regtestScript(t, c.receiveAddr("default"))))
	fc.Mine(1, later)
	c.now = blockTime(fc.Height()).Add(time.Minute)
	h := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--json").out)
	var got []string
	for _, r := range h {
		got = append(got, r.TxID[:8]+" "+r.Status)
	}
	want := []string{later.TxHash().String()[:8] + " confirmed", bump.TxID[:8] + " confirmed",
		sent.TxID[:8] + " replaced", funding.TxHash().String()[:8] + " confirmed"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("history\n%v\nwant\n%v", got, want)
	}
	// The text table shows it in the same place, marked.
	r := c.mustRun("", "history", "--offline")
	if i, j := strings.Index(r.out, sent.TxID), strings.Index(r.out, bump.TxID); i < j || !strings.Contains(r.out[i-40:], "replaced") {
		t.Fatalf("history text:\n%s", r.out)
	}
}

// replacingChain is the fake chain with replacement as nodes do it (BIP125, fees unchecked): a
// transaction spending what one in the mempool spends takes its place.
type replacingChain struct{ *chaintest.Chain }

func (r replacingChain) Broadcast(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	for _, m := range r.Mempool() {
		for _, a := range m.TxIn {
			for _, b := range tx.TxIn {
				if a.PreviousOutPoint == b.PreviousOutPoint {
					r.RemoveMempool(m.TxHash())
				}
			}
		}
	}
	return r.Chain.Broadcast(ctx, tx)
}

// Amounts too wide for the usual narrow table (20 million BTC, in sat or BTC) still fit 80
// columns: the unit moves to the header, and the label goes when nothing else makes room.
func TestHistoryFitsTheTerminalWithLargeAmounts(t *testing.T) {
	c, fc := fakeCLI(t)
	c.env["NO_COLOR"] = "1"
	c.mustRun("", "create")
	a := regtestScript(t, c.receiveAddr("default"))
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(2_000_000_000_000_000, a)))
	fc.Mine(1, chaintest.Pay(2, wire.NewTxOut(1_500, a)))
	h := decodeJSON[[]historyJSON](t, c.mustRun("", "history", "--json").out)
	c.mustRun("", "label", h[0].TxID, "a rather long label for the small payment that came in")
	for _, unit := range []string{"sat", "btc"} {
		r := c.runApp(onTerminal(80), "", "history", "--offline", "--utc", "--unit", unit)
		for _, l := range strings.Split(strings.TrimRight(r.out, "\n"), "\n") {
			if n := utf8.RuneCountInString(l); n > 80 {
				t.Errorf("%s: %d columns: %q", unit, n, l)
			}
		}
		head := map[string]string{"sat": "AMOUNT (sat)", "btc": "AMOUNT (BTC)"}[unit]
		if !strings.Contains(r.out, head) || !strings.Contains(r.out, h[1].TxID[:10]) {
			t.Errorf("%s:\n%s", unit, r.out)
		}
	}
	// Narrower than even the labelless table: the line runs over rather than cut the short
	// txids (to 9e51f…), the last column once the label is gone.
	r := c.runApp(onTerminal(60), "", "history", "--offline", "--utc")
	if !strings.Contains(r.out, h[0].TxID[:10]) || !strings.Contains(r.out, h[1].TxID[:10]) || strings.Contains(r.out, "…") {
		t.Errorf("60 columns:\n%s", r.out)
	}
	// With room, the usual table: units on the amounts, the label whole.
	if r := c.runApp(onTerminal(200), "", "history", "--offline"); !strings.Contains(r.out, "+1,500 sat") || !strings.Contains(r.out, "came in") {
		t.Errorf("wide terminal:\n%s", r.out)
	}
}

// Confirmations are numbers like any other in text: grouped (1,200), in history and utxos.
func TestConfirmationsGrouped(t *testing.T) {
	c, fc := fakeCLI(t)
	c.env["NO_COLOR"] = "1"
	c.mustRun("", "create")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(50_000, regtestScript(t, c.receiveAddr("default")))))
	fc.Mine(1199)
	for _, cmd := range []string{"history", "utxos"} {
		if r := c.mustRun("", cmd); !strings.Contains(r.out, " 1,200 ") {
			t.Errorf("%s:\n%s", cmd, r.out)
		}
	}
}
