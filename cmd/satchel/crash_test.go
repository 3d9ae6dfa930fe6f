package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/satchel-wallet/satchel/internal/crash"
	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/txbuilder"
)

var (
	crashOnce sync.Once
	crashBin  string
	crashErr  error
)

// crashBinary builds satchel with the crashpoints tag, once.
func crashBinary(t *testing.T) string {
	t.Helper()
	crashOnce.Do(func() {
		dir, err := os.MkdirTemp("", "satchel-crash")
		if err != nil {
			crashErr = err
			return
		}
		crashBin = filepath.Join(dir, "satchel")
		if out, err := exec.Command("go", "build", "-tags", "crashpoints", "-o", crashBin, ".").CombinedOutput(); err != nil {
			crashErr = err
			t.Logf("%s", out)
		}
	})
	if crashErr != nil {
		t.Fatalf("build with crashpoints: %v", crashErr)
	}
	return crashBin
}

// runCrash runs the crashpoints binary with SATCHEL_CRASH_AT=point and reports whether the
// process died at the point.
func (c *cli) runCrash(point string, args ...string) bool {
	c.t.Helper()
	c.registerScripts()
	cmd := exec.Command(crashBinary(c.t), args...)
	cmd.Env = []string{"HOME=" + c.home, "SATCHEL_CRASH_AT=" + point}
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, _ := cmd.CombinedOutput()
	c.checkOutput(args, string(out), "")
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		c.t.Logf("output: %s", out)
		return false
	}
	return true
}

// checkInvariants: the keystore opens with the passphrase, the store opens, and the wallet's
// balance equals that of a fresh restore of the same seed.
func (c *cli) checkInvariants(w string) balanceJSON {
	c.t.Helper()
	c.mustRun("", "seed", "show", "--json", "--wallet", w)
	got := c.balance(w)
	fresh := w + "-fresh"
	c.mustRun(abandon, "restore", "--wallet", fresh)
	want := c.balance(fresh)
	if got.Confirmed != want.Confirmed || got.Unconfirmed != want.Unconfirmed || got.Spendable != want.Spendable {
		c.t.Fatalf("after the crash %+v, a fresh restore sees %+v", got, want)
	}
	return got
}

func TestCrashPointsSend(t *testing.T) {
	if crash.Enabled {
		t.Fatal("the test binary itself must not be built with crashpoints")
	}
	for _, point := range []string{crash.SendAfterPlan, crash.SendAfterSign, crash.SendAfterBroadcast, crash.SendAfterRecord} {
		t.Run(point, func(t *testing.T) {
			c, n := nodeCLI(t)
			c.mustRun(abandon, "restore", "--wallet", "a")
			c.fund(n, "a", 100_000)
			dest := regtest.NewKey("crash-dest", txbuilder.P2WPKH).Address
			if !c.runCrash(point, "send", "--wallet", "a", dest, "2100", "--fee-rate", "2", "--yes", "--json") {
				t.Fatalf("the process did not die at %s", point)
			}
			b := c.checkInvariants("a")
			mem := n.MempoolTxIDs(t)
			reached := point == crash.SendAfterBroadcast || point == crash.SendAfterRecord
			switch {
			case reached && len(mem) != 1:
				t.Fatalf("mempool %v: the payment should be there exactly once", mem)
			case !reached && len(mem) != 0:
				t.Fatalf("mempool %v: nothing should have been sent", mem)
			case !reached && b.Spendable != 100_000:
				t.Fatalf("a payment that never reached the network still holds coins: %+v", b)
			case reached && b.Unconfirmed >= 0:
				t.Fatalf("the sent payment is not accounted for: %+v", b)
			}
			// The wallet keeps working: another payment goes through and nothing is paid twice.
			p, r := c.send("a", dest, "3000", "--fee-rate", "2")
			if r.code != 0 {
				t.Fatalf("send after the crash: %s", r.err)
			}
			assertFeeRate(t, n, p.TxID, 2000, p.Fee)
			n.Mine(t, 1)
			after := c.balance("a")
			paid := int64(3000) + p.Fee
			if reached {
				paid += 2100 + (100_000 - 2100 - b.Spendable - 2100) // the first payment's fee: spendable change = 100000-2100-fee
			}
			if reached {
				if after.Confirmed != b.Spendable-3000-p.Fee {
					t.Fatalf("after a second payment %+v, want %d", after, b.Spendable-3000-p.Fee)
				}
			} else if after.Confirmed != 100_000-paid {
				t.Fatalf("after a second payment %+v, want %d", after, 100_000-paid)
			}
		})
	}
}

func TestCrashPointsSync(t *testing.T) {
	for _, point := range []string{crash.SyncMidBatch, crash.SyncBeforeCommit} {
		t.Run(point, func(t *testing.T) {
			c, n := nodeCLI(t)
			c.mustRun(abandon, "restore", "--wallet", "a")
			c.fund(n, "a", 10_000, 20_000)
			c.mustRun("", "sync", "--wallet", "a")
			n.Send(t, c.receiveAddr("a"), 5_000)
			n.Mine(t, 1)
			if !c.runCrash(point, "sync", "--wallet", "a") {
				t.Fatalf("the process did not die at %s", point)
			}
			// What was synced before is still there, offline.
			r := c.mustRun("", "balance", "--json", "--offline", "--wallet", "a")
			if b := decodeJSON[balanceJSON](t, r.out); b.Confirmed != 30_000 {
				t.Fatalf("offline after the crash %+v, want the earlier 30000", b)
			}
			if b := c.checkInvariants("a"); b.Confirmed != 35_000 {
				t.Fatalf("after a clean sync %+v", b)
			}
		})
	}
}

func TestCrashPointsPassphraseChange(t *testing.T) {
	for _, tc := range []struct {
		point   string
		opensAs string
	}{
		{crash.PassphraseBeforeSwap, "old"},
		{crash.PassphraseAfterSwap, "new"},
	} {
		t.Run(tc.point, func(t *testing.T) {
			c := newCLI(t)
			c.mustRun("", "create")
			c.env["SATCHEL_NEW_PASSPHRASE"] = "new"
			if !c.runCrash(tc.point, "passphrase", "change") {
				t.Fatalf("the process did not die at %s", tc.point)
			}
			delete(c.env, "SATCHEL_NEW_PASSPHRASE")
			old := c.run("", "seed", "show", "--json")
			c.env["SATCHEL_PASSPHRASE"] = "new"
			nw := c.run("", "seed", "show", "--json")
			works := map[string]bool{"old": old.code == 0, "new": nw.code == 0}
			if !works[tc.opensAs] || works["old"] == works["new"] {
				t.Fatalf("after a crash at %s: old passphrase exit %d, new exit %d; want only the %s one to work",
					tc.point, old.code, nw.code, tc.opensAs)
			}
			// The wallet keeps working: the store opens.
			c.mustRun("", "balance", "--offline", "--json")
		})
	}
}

func TestCrashPointsBackupExport(t *testing.T) {
	for _, point := range []string{crash.BackupBeforeWrite, crash.BackupAfterWrite} {
		t.Run(point, func(t *testing.T) {
			c := newCLI(t)
			c.mustRun(abandon, "restore")
			c.mustRun("", "receive", "--label", "kept")
			file := filepath.Join(t.TempDir(), "wallet.backup")
			if !c.runCrash(point, "backup", "export", file) {
				t.Fatalf("the process did not die at %s", point)
			}
			_, err := os.Stat(file)
			if point == crash.BackupBeforeWrite {
				if err == nil {
					t.Fatal("a backup file exists after a crash before writing it")
				}
				return
			}
			// After the write the file is whole: it restores the wallet with its labels.
			c.mustRun("", "restore", "--from-backup", file, "--wallet", "again")
			if r := c.mustRun("", "labels", "export", "-", "--wallet", "again"); !contains(r.out, "kept") {
				t.Fatalf("restored labels: %s", r.out)
			}
		})
	}
}

// A silent payment whose process dies right after recording it (before it finished) keeps its
// mark: a later bump from the same wallet keeps the inputs, so the output stays valid, and a
// bump that would need more coins is refused. A restored copy of the wallet, which never had
// the mark and did not sign the payment, bumps nothing (issue 17: only what this copy signed).
func TestCrashSilentPaymentKeepsItsInputs(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun(abandon, "restore", "--wallet", "a")
	c.fund(n, "a", 30_000, 30_000)
	c.mustRun(legal, "restore", "--wallet", "b")
	sp := c.silentAddr(n, "b")
	if !c.runCrash(crash.SendAfterRecord, "send", "--wallet", "a", sp, "20000", "--fee-rate", "1", "--yes", "--json") {
		t.Fatal("the process did not die after recording")
	}
	mem := n.MempoolTxIDs(t)
	if len(mem) != 1 {
		t.Fatalf("mempool %v", mem)
	}
	txid := mem[0].String()
	c.mustRun(abandon, "restore", "--wallet", "a2")
	if r := c.run("", "bump-fee", txid, "--fee-rate", "3", "--dry-run", "--json", "--wallet", "a2"); r.code != exitUsage ||
		!strings.Contains(r.err, "not_replaceable") {
		t.Fatalf("a2: bump of a payment another copy signed: exit %d %s", r.code, r.err)
	}
	for _, w := range []string{"a"} {
		r := c.run("", "bump-fee", txid, "--fee-rate", "100", "--dry-run", "--json", "--wallet", w)
		if code, msg := jsonError(t, r.err); r.code != exitCannotPay || code != "insufficient_funds" || !strings.Contains(msg, "silent payment") {
			t.Fatalf("%s: a bump needing another coin: exit %d %s", w, r.code, r.err)
		}
		r = c.run("", "bump-fee", txid, "--fee-rate", "3", "--dry-run", "--json", "--wallet", w)
		if r.code != 0 {
			t.Fatalf("%s: bump: %s", w, r.err)
		}
		if b := decodeJSON[bumpJSON](t, r.out); b.CoinsSpent != 1 {
			t.Fatalf("%s: the replacement spends %d coins, the silent payment was built on 1", w, b.CoinsSpent)
		}
	}
	r := c.run("", "bump-fee", txid, "--fee-rate", "3", "--yes", "--json", "--wallet", "a")
	if r.code != 0 {
		t.Fatalf("bump: %s", r.err)
	}
	b := decodeJSON[bumpJSON](t, r.out)
	assertFeeRate(t, n, b.TxID, 3000, b.Fee)
	if f := scanFor(t, n, getTx(t, n, b.TxID)); len(f) != 1 {
		t.Fatalf("after the bump the receiver finds %d outputs", len(f))
	}
}

// A create or restore killed before its folder is in place leaves no wallet behind, so the
// same command simply runs again (an interrupted one used to leave a half folder that blocked
// the retry).
func TestCrashCreateLeavesNothingToBlockARetry(t *testing.T) {
	c := newCLI(t)
	words := filepath.Join(t.TempDir(), "words.txt")
	if err := os.WriteFile(words, []byte(abandon), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"create", "--wallet", "a"}, {"restore", "--wallet", "b", "--mnemonic-file", words}} {
		if !c.runCrash(crash.CreateBeforeCommit, args...) {
			t.Fatalf("%v did not die before its commit", args)
		}
		if _, err := os.Stat(filepath.Join(c.home, "regtest", args[2])); !os.IsNotExist(err) {
			t.Fatalf("%v left its folder: %v", args, err)
		}
		c.mustRun("", args...)
		c.mustRun("", "info", "--json", "--wallet", args[2])
	}
}

// A flush that merges two tips to one address into one output and dies at each step pays
// them at most once: tips are marked paid before the broadcast, so a later sync that finds
// the transaction keeps them paid, and one that does not finds them queued again.
func TestCrashFlushOfMergedTipsPaysOnce(t *testing.T) {
	for _, point := range []string{crash.SendAfterSign, crash.SendAfterBroadcast} {
		t.Run(point, func(t *testing.T) {
			c, n := nodeCLI(t)
			c.mustRun(abandon, "restore", "--wallet", "a")
			c.fund(n, "a", 100_000)
			x := regtest.NewKey("merged-tips", txbuilder.P2WPKH).Address
			c.mustRun("", "tip", "add", x, "1000", "--id", "t1", "--wallet", "a")
			c.mustRun("", "tip", "add", x, "1500", "--id", "t2", "--wallet", "a")
			if !c.runCrash(point, "tip", "flush", "--wallet", "a", "--fee-rate", "2", "--yes", "--json") {
				t.Fatalf("the process did not die at %s", point)
			}
			c.mustRun("", "sync", "--wallet", "a")
			r := c.run("", "tip", "flush", "--fee-rate", "2", "--yes", "--json", "--wallet", "a")
			if r.code != 0 {
				t.Fatalf("flush after the crash: %s", r.err)
			}
			n.Mine(t, 1)
			c.mustRun("", "sync", "--wallet", "a")
			var paid int64
			for _, h := range c.history("a") {
				if h.Amount < 0 && h.Status == "confirmed" && h.Fee != nil {
					paid += -h.Amount - *h.Fee
				}
			}
			if paid != 2500 {
				t.Fatalf("paid %d sat to tips in all, want 2500 exactly once (history %+v)", paid, c.history("a"))
			}
		})
	}
}
