package main

import (
	"path/filepath"

	"context"
	"github.com/satchel-wallet/satchel/wallet/store"

	"flag"
	"fmt"
	"github.com/satchel-wallet/satchel/wallet/chain"
	"github.com/satchel-wallet/satchel/wallet/chain/btcd"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

var soakSteps = flag.Int("soak", 0, "run the soak test with this many random operations (e.g. -soak=1000)")

// TestSoak runs random operations against a real node: sends, syncs, tips, fee bumps, reorgs
// and kill -9 in the middle of syncs and sends, and every 50 steps checks the wallet against a
// fresh restore of its seed. It is a long run, off unless -soak=N is given (BENCHMARKS.md has
// the figures); CI runs the focused crash tests instead.
func TestSoak(t *testing.T) {
	if *soakSteps == 0 {
		t.Skip("long run: go test ./cmd/satchel -run TestSoak -soak=1000 -timeout 60m")
	}
	c, n := nodeCLI(t)
	c.mustRun(abandon, "restore", "--wallet", "a")
	c.mustRun(legal, "restore", "--wallet", "b", "--type", "wpkh")
	c.fund(n, "a", 500_000, 500_000, 200_000)
	rng := rand.New(rand.NewPCG(1, 2))
	ext := regtest.NewKey("soak-external", txbuilder.P2WPKH).Address
	counts := map[string]int{}
	var lastSent string
	checks := 0
	for step := 1; step <= *soakSteps; step++ {
		op := []string{"send", "send", "sync", "tip", "flush", "bump", "mine", "mine", "reorg", "kill-sync", "crash-send", "fund"}[rng.IntN(12)]
		counts[op]++
		if testing.Verbose() {
			t.Logf("step %d: %s", step, op)
		}
		switch op {
		case "send":
			dest := ext
			if rng.IntN(2) == 0 {
				dest = c.receiveAddr("b")
			}
			p, r := c.send("a", dest, fmt.Sprint(600+rng.IntN(20_000)), "--fee-rate", fmt.Sprint(1+rng.IntN(5)))
			if r.code == 0 {
				lastSent = p.TxID
				assertFeeRate(t, n, p.TxID, 1000, p.Fee)
			} else if r.code != exitCannotPay {
				t.Fatalf("step %d send: exit %d %s", step, r.code, r.err)
			}
		case "sync":
			c.mustRun("", "sync", "--wallet", "a")
		case "tip":
			k := rng.IntN(40) // ids repeat on purpose: the same id must queue the same tip once
			c.mustRun("", "tip", "add", ext, fmt.Sprint(1000+37*k), "--wallet", "a", "--id", fmt.Sprint("soak-", k))
		case "flush":
			if r := c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a"); r.code != 0 && r.code != exitCannotPay {
				t.Fatalf("step %d flush: exit %d %s", step, r.code, r.err)
			}
		case "bump":
			if lastSent != "" {
				r := c.run("", "bump-fee", lastSent, "--fee-rate", fmt.Sprint(10+rng.IntN(20)), "--yes", "--json", "--wallet", "a")
				if r.code == 0 {
					lastSent = decodeJSON[bumpJSON](t, r.out).TxID
				} else if r.code != exitUsage && r.code != exitCannotPay && r.code != exitBackend {
					t.Fatalf("step %d bump: exit %d %s", step, r.code, r.err)
				}
			}
		case "mine":
			n.Mine(t, 1+rng.IntN(2))
		case "reorg":
			if h := n.Height(t); h > 130 {
				hash, err := n.RPC().GetBlockHash(int64(h))
				if err == nil {
					n.InvalidateBlock(t, *hash)
					n.Mine(t, 2)
				}
			}
		case "kill-sync":
			cmd := c.command("sync", "--wallet", "a", "--gap-limit", fmt.Sprint(200+rng.IntN(800)))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
		case "crash-send":
			point := []string{crash.SendAfterPlan, crash.SendAfterSign, crash.SendAfterBroadcast, crash.SendAfterRecord}[rng.IntN(4)]
			c.runCrash(point, "send", "--wallet", "a", ext, fmt.Sprint(700+rng.IntN(3000)), "--fee-rate", "2", "--yes", "--json")
		case "fund":
			n.Send(t, c.receiveAddr("a"), txbuilder.Amount(50_000+rng.IntN(100_000)))
		}
		if step%50 == 0 {
			checks++
			fresh := fmt.Sprint("fresh-", step)
			got := c.balance("a")
			c.mustRun(abandon, "restore", "--wallet", fresh)
			want := c.balance(fresh)
			if got.Confirmed != want.Confirmed || got.Unconfirmed != want.Unconfirmed || got.Spendable != want.Spendable {
				for _, h := range c.history("a") {
					if h.Status == "pending" {
						t.Logf("pending %s %d: node confirmations %d", h.TxID, h.Amount, n.TxConfirmations(t, mustHash(t, h.TxID)))
						be, _ := btcd.Open(context.Background(), n.URL(), chain.Options{Net: regtest.Net})
						tx := getTx(t, n, h.TxID)
						for _, in := range tx.TxIn {
							prev := getTx(t, n, in.PreviousOutPoint.Hash.String())
							hs, err := be.ScriptHistories(context.Background(), [][]byte{prev.TxOut[in.PreviousOutPoint.Index].PkScript})
							for _, it := range hs[0] {
								if it.TxID.String() == h.TxID {
									t.Logf("  input script history: %s at %d (%v)", it.TxID, it.Height, err)
								}
							}
						}
						st, _ := store.Open(filepath.Join(c.home, "regtest", "a", store.FileName), store.Options{ReadOnly: true})
						st.View(func(stx *store.Txn) error {
							for _, in := range tx.TxIn {
								prev := getTx(t, n, in.PreviousOutPoint.Hash.String())
								a, ok := stx.Addr(prev.TxOut[in.PreviousOutPoint.Index].PkScript)
								t.Logf("  input %s from our addr %v %+v; prev known %v", in.PreviousOutPoint, ok, a, stx.HasTx(in.PreviousOutPoint.Hash))
							}
							for i, o := range tx.TxOut {
								a, ok := stx.Addr(o.PkScript)
								t.Logf("  output %d ours %v %+v", i, ok, a)
							}
							accts, _ := stx.Accounts()
							t.Logf("  accounts %+v", accts)
							return nil
						})
						st.Close()
						for _, o := range tx.TxOut {
							hs, _ := be.ScriptHistories(context.Background(), [][]byte{o.PkScript})
							for _, it := range hs[0] {
								if it.TxID.String() == h.TxID {
									t.Logf("  output script history: at %d", it.Height)
								}
							}
						}
					}
				}
				t.Logf("ops so far %v", counts)
				t.Logf("sync again: %s", c.mustRun("", "sync", "--json", "--wallet", "a").out)
				for _, h := range c.history("a") {
					if h.Status == "pending" {
						t.Logf("still pending after another sync: %s", h.TxID)
					}
				}
				t.Fatalf("step %d: wallet %+v, fresh restore %+v", step, got, want)
			}
			tips := decodeJSON[[]tipJSON](t, c.mustRun("", "tip", "list", "--json", "--wallet", "a").out)
			paidBy := map[string]int{}
			for _, tp := range tips {
				if tp.Status == "paid" {
					paidBy[tp.ID]++
				}
			}
			for id, k := range paidBy {
				if k != 1 {
					t.Fatalf("step %d: tip %s paid %d times", step, id, k)
				}
			}
		}
	}
	t.Logf("soak: %d steps, %d checks against a fresh restore, operations %v", *soakSteps, checks, counts)
}
