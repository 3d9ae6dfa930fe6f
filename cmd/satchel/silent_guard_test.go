package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/satchel-wallet/satchel/wallet/chain/chaintest"
)

// Two ways a silent payment could have gone to its placeholder (an unspendable key) are
// refused before anything is queued or written: a tip (the queue keeps scripts, and the
// output only exists once signed) and a watch-only wallet (it lacks the input keys).
func TestSilentPaymentsNeverPayThePlaceholder(t *testing.T) {
	c, fc := fakeCLI(t)
	c.mustRun("", "create", "--wallet", "a")
	fc.Mine(1, chaintest.Pay(1, wire.NewTxOut(100_000, scriptFor(t, c.receiveAddr("a")))))
	c.mustRun("", "create", "--wallet", "b")
	sp := decodeJSON[map[string]string](t, c.mustRun("", "receive", "--silent", "--json", "--wallet", "b").out)["address"]

	r := c.run("", "tip", "add", sp, "5000", "--json", "--wallet", "a")
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "bad_address" || !strings.Contains(msg, "satchel send") {
		t.Fatalf("tip add to a silent payment address: exit %d %s", r.code, r.err)
	}
	if r := c.mustRun("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a"); !strings.Contains(r.out, "the queue is empty") {
		t.Fatalf("a flush found something to pay: %s", r.out)
	}

	watchPair(t, c, "wpkh")
	fundCold(t, c, fc, 50_000)
	out := filepath.Join(t.TempDir(), "cold.psbt")
	r = c.run("", "send", "--json", "--wallet", "cold", sp, "5000", "--fee-rate", "2", "--psbt-out", out)
	if code, msg := jsonError(t, r.err); r.code != exitUsage || code != "bad_input" || !strings.Contains(msg, "watch-only") || r.out != "" {
		t.Fatalf("watch-only send to a silent payment address: exit %d %q %s", r.code, r.out, r.err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a PSBT was written: %v", err)
	}
}
