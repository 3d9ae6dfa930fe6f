package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/satchel-wallet/satchel/internal/regtest"
	"github.com/satchel-wallet/satchel/wallet/store"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// satchelBin builds the real binary once per test run.
func satchelBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "satchel-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "satchel")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = err
			t.Logf("go build: %s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build satchel: %v", binErr)
	}
	return binPath
}

func (c *cli) command(args ...string) *exec.Cmd {
	c.registerScripts()
	cmd := exec.Command(satchelBin(c.t), args...)
	cmd.Env = []string{"HOME=" + c.home}
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

func TestProcessWriterBusyReadersTogether(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create")
	c.fund(n, "default", 12_345)
	// Several readers and a syncing writer at once: all succeed.
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			args := []string{"balance", "--offline", "--json"}
			if i == 0 {
				args = []string{"sync", "--json"}
			}
			out, err := c.command(args...).CombinedOutput()
			codes[i] = exitCode(err)
			if codes[i] != 0 {
				t.Logf("%v: %s", args, out)
			}
		}(i)
	}
	wg.Wait()
	for i, code := range codes {
		if code != 0 {
			t.Errorf("process %d exited %d", i, code)
		}
	}
	// A writer holding the lock: another writer waits, then exits 6 with a clear message.
	st, err := store.Open(filepath.Join(c.home, "regtest", "default", store.FileName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var stderr bytes.Buffer
	cmd := c.command("receive", "--json", "--offline")
	cmd.Stderr = &stderr
	err = cmd.Run()
	st.Close()
	if exitCode(err) != exitBusy || !bytes.Contains(stderr.Bytes(), []byte("wallet busy")) {
		t.Fatalf("receive while locked: exit %d, %s", exitCode(err), stderr.String())
	}
	if d := time.Since(start); d < time.Second || d > 10*time.Second {
		t.Fatalf("busy after %s, want a short wait first", d)
	}
	// Once the lock is free, it works.
	if out, err := c.command("receive", "--json", "--offline").CombinedOutput(); err != nil {
		t.Fatalf("receive after unlock: %v %s", err, out)
	}
}

func TestProcessKillDuringSync(t *testing.T) {
	c, n := nodeCLI(t)
	c.mustRun("", "create")
	c.fund(n, "default", 20_000, 30_000)
	n.Send(t, c.receiveAddr("default"), 7_000) // one pending too
	killed := 0
	for try := 0; try < 3; try++ {
		cmd := c.command("sync", "--gap-limit", "3000")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(150+100*try) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		}
	}
	if killed == 0 {
		t.Fatal("every sync finished before the kill: the test proved nothing")
	}
	// The file opens and a clean sync gives the right state.
	b := c.balance("default")
	if b.Confirmed != 50_000 || b.Unconfirmed != 7_000 {
		t.Fatalf("after kills and a clean sync: %+v", b)
	}
	n.Mine(t, 1)
	if b := c.balance("default"); b.Confirmed != 57_000 {
		t.Fatalf("after mining: %+v", b)
	}
	_ = regtest.Faucet
}
